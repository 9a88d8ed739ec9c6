"""关怀版 (the elder mode): a theme the citizen switches on and off from the top bar of every page.

The choice is a long-lived cookie of its own, not part of the session: any worker serves the same mode, and it
stays through 退出 and the next sign-in. The pages are the same; base.html only marks <html data-theme="care"> and
adds static/care.css. The switch is a form POST that answers 303 back to the page it was pressed on (without
JavaScript the page is simply shown again; with it, static/care.js swaps the theme in place, keeping what is
typed), and only ever to a path of this site.
"""
from __future__ import annotations

from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from renderer.web.htmx import HtmxDetails
from renderer.web.security import same_site_path
from renderer.web.sessions import csrf_ok

COOKIE = "yss_care"
ON = "1"
LIFETIME_S = 365 * 24 * 3600          # a year: browsers keep a cookie 400 days at most
THEME = "care"                        # <html data-theme="care">
FORM_LIMITS = {"max_files": 0, "max_fields": 8, "max_part_size": 4 * 1024}


def is_on(request: Request) -> bool:
    """Whether this browser asked for 关怀版."""
    return request.cookies.get(COOKIE) == ON


def care_switch(request: Request) -> dict[str, str | None]:
    """What base.html shows: the theme to declare, the switch's label, the value it posts, the page to come back to
    (a page answered to a POST has no address to come back to: the home page then)."""
    on = is_on(request)
    url = request.url
    back = url.path + (f"?{url.query}" if url.query else "") if request.method == "GET" else "/"
    return {"theme": THEME if on else None, "label": "标准版" if on else "关怀版", "next": "0" if on else ON,
            "back": same_site_path(back)}


async def switch(request: Request) -> Response:
    """POST /care: care=1 turns 关怀版 on, care=0 back to 标准版; answered by a 303 to `back` (htmx: 204)."""
    try:
        async with request.form(**FORM_LIMITS) as form:
            fields = {key: value for key, value in form.items() if isinstance(value, str)}
    except (MultiPartException, ValueError, KeyError):        # a body that is not a form, or over the limits
        return RedirectResponse("/", status_code=303)
    back = same_site_path(fields.get("back"))
    in_place = HtmxDetails.of(request).request       # static/care.js: the page stays, only the theme changes
    if not csrf_ok(request, fields):      # a page too old (or another site's form): nothing changes
        return Response(status_code=403) if in_place else RedirectResponse(back, status_code=303)
    response = Response(status_code=204) if in_place else RedirectResponse(back, status_code=303)
    https = request.app.state.settings.https_cookies
    if fields.get("care") == ON:
        response.set_cookie(COOKIE, ON, max_age=LIFETIME_S, path="/", secure=https, httponly=True, samesite="lax")
    else:
        response.delete_cookie(COOKIE, path="/", secure=https, httponly=True, samesite="lax")
    return response
