"""制卡进度查询 (/status) and the receipt of an accepted application: a print-friendly page and a PDF.

The store answers; renderer/journey/receipts.py says what is shown; this module only translates HTTP and renders.
A citizen sees only their own applications: a number that is not theirs is "not found", never someone else's."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from renderer.journey.receipts import find, receipt_view, status_rows
from renderer.web.routes import current_identity, engine, error_page, language, render, said_all

RECEIPT_CSS = Path(__file__).resolve().parents[2] / "static" / "receipt.css"
NOT_FOUND = "未找到该申请的回执"


async def status(request: Request) -> Response:
    identity = current_identity(request)
    if identity is None:
        return RedirectResponse("/login", status_code=303)
    applications = await run_in_threadpool(request.app.state.store.applications_of, identity.key)
    return render(request, "status.html", {"rows": said_all(request, status_rows(engine(request).definition, applications))})


async def receipt(request: Request) -> Response:
    view = await _receipt(request)
    if isinstance(view, Response):
        return view
    return render(request, "receipt.html", {"receipt": view})


async def receipt_pdf(request: Request) -> Response:
    view = await _receipt(request)
    if isinstance(view, Response):
        return view
    html = request.app.state.templates[language(request)].get_template("receipt_pdf.html").render({"receipt": view})
    data = await run_in_threadpool(pdf_of, html)
    name = f"receipt-{view['reference']}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


async def _receipt(request: Request) -> dict[str, Any] | Response:
    identity = current_identity(request)
    if identity is None:
        return RedirectResponse("/login", status_code=303)
    applications = await run_in_threadpool(request.app.state.store.applications_of, identity.key)
    found = find(applications, request.path_params["reference"])
    view = receipt_view(engine(request).definition, found) if found else None
    return said_all(request, view) if view is not None else error_page(request, NOT_FOUND, 404)


def pdf_of(html: str) -> bytes:
    """The receipt as a PDF (WeasyPrint, Debian's Noto CJK fonts). Nothing is fetched: the page is self-contained."""
    from PIL import ImageFile

    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import CSS, HTML  # imported when first asked: it loads Pango, which most workers never need
    from weasyprint import images as _images  # noqa: F401  (the module that flips the setting, imported now)

    # Importing WeasyPrint turns on Pillow's loading of truncated images for the whole process; uploads must go on
    # refusing a truncated photo (renderer/uploads), and the receipt draws no image.
    ImageFile.LOAD_TRUNCATED_IMAGES = lenient

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the receipt fetches nothing ({url})")

    document = HTML(string=html, url_fetcher=refuse)
    return bytes(document.write_pdf(stylesheets=[CSS(string=RECEIPT_CSS.read_text(encoding="utf-8"))]))
