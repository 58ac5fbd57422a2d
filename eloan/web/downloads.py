"""How a page hands over a file: an Excel sheet or a PDF form, saved under a Chinese name the user can find."""

from __future__ import annotations

import io

from flask import send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def xlsx_file(content: bytes, name: str):
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)


def pdf_file(content: bytes, name: str, *, inline: bool = False):
    """A PDF to save (the forms), or with `inline` to open in the browser."""
    return send_file(io.BytesIO(content), mimetype=PDF, as_attachment=not inline, download_name=name)
