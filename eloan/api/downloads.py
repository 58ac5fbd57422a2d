"""How the API answers with a file: an Excel sheet to save, a PDF to open (inline, as the forms print)."""

from __future__ import annotations

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def xlsx(content: bytes, name: str) -> Response:
    return Response(content, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename={name}"})


def pdf(content: bytes, name: str) -> Response:
    return Response(content, mimetype=PDF, headers={"Content-Disposition": f"inline; filename={name}"})
