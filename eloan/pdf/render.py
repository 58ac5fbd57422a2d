"""One renderer for the four official forms (附件1-4): Jinja template → HTML → WeasyPrint PDF.

A form is a function of the context it is given: templates use no request, no current user and no
context processor, so the same form comes out of a page, the API, the CLI or a scheduled job.
Fonts are chosen by family name in templates/pdf/forms.css and found by fontconfig; no font file
is named here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app, has_app_context
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from weasyprint import HTML, Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from eloan.config import BASE_DIR

TEMPLATES_DIR = BASE_DIR / "templates"
PDF_TEMPLATES_DIR = TEMPLATES_DIR / "pdf"


class FormAssetsFetcher(URLFetcher):
    """Loads files from templates/pdf/ and nothing else, and any failure stops the render.

    Values typed by users are escaped by Jinja, but should markup ever slip through, the renderer
    still cannot be made to read a local file or call a URL while printing a form; and a missing
    stylesheet must not quietly give an unstyled official form.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"forms load only local files, not {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(PDF_TEMPLATES_DIR.resolve()):
            raise ValueError(f"forms load only files under templates/pdf/, not {path}")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def _standalone_environment() -> Environment:
    # Benchmarks and scripts render without an app; same loader root, so "pdf/base.html" resolves.
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(("html",)),
    )


def _template(template_name: str) -> Template:
    # The app's own environment when there is one (its loader, its filters); flask.render_template
    # is not used because it runs the web layer's context processors, which need a request.
    env = current_app.jinja_env if has_app_context() else _standalone_environment()
    return env.get_template(f"pdf/{template_name}")


def render_html(template_name: str, **context) -> str:
    """The form as HTML, for debugging a layout in a browser."""
    return _template(template_name).render(**context)


def render_document(template_name: str, **context) -> Document:
    """The laid-out form; `.pages` gives the page count, `.write_pdf()` the bytes."""
    html = HTML(
        string=render_html(template_name, **context),
        base_url=str(PDF_TEMPLATES_DIR),
        url_fetcher=FormAssetsFetcher(),
    )
    try:
        return html.render()
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException; callers expect an ordinary one.
        raise RuntimeError(f"{template_name}: {exc} ({exc.__cause__})") from exc


def render_pdf(template_name: str, **context) -> bytes:
    """Render templates/pdf/<template_name> with the context as a PDF."""
    return render_document(template_name, **context).write_pdf()
