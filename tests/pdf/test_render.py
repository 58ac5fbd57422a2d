"""The shared renderer loads its own stylesheet and nothing else (eloan/pdf/render.py)."""

from __future__ import annotations

import pytest

from eloan.pdf.render import PDF_TEMPLATES_DIR, FormAssetsFetcher, render_pdf


def test_a_form_loads_its_stylesheet():
    response = FormAssetsFetcher().fetch((PDF_TEMPLATES_DIR / "forms.css").as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (PDF_TEMPLATES_DIR / ".." / ".." / "eloan" / "config.py").as_uri(),
        "https://example.com/forms.css",
        "data:text/css,p{color:red}",
    ],
)
def test_a_form_cannot_load_anything_else(url):
    with pytest.raises(ValueError):
        FormAssetsFetcher().fetch(url)


def test_the_blank_frame_is_one_numbered_page(pdf):
    printed = render_pdf("base.html", doc_title="空白")

    assert pdf.pages(printed) == 1
    assert "第 1 页 共 1 页" in pdf.text(printed)
