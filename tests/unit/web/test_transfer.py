"""What travels to a phone: compressed pages, fingerprinted static files cached for good, masked CSRF tokens."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.web.app import create_app
from renderer.web.assets import IMMUTABLE, REVALIDATE
from renderer.web.sessions import mask, unmask
from tests.integration.conftest import settings_for

FIRST_PAGE_BUDGET = 30_000      # bytes on the wire for the first page a citizen opens, with what it loads


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(create_app(settings_for(tmp_path / "app.sqlite3"))) as c:
        yield c


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_css_and_js_are_compressed(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert _assets(page.text)
    assert page.headers["content-encoding"] == "gzip" and "accept-encoding" in page.headers["vary"].lower()
    for url in _assets(page.text):
        answer = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert answer.headers.get("content-encoding") == "gzip", url


def test_static_files_have_fingerprinted_addresses_cached_for_good(client: TestClient) -> None:
    urls = _assets(client.get("/login").text)
    assert len(urls) >= 3 and all(re.fullmatch(r"/static/[0-9a-f]{12}/[\w.-]+", u) for u in urls), urls
    for url in urls:
        assert client.get(url).headers["cache-control"] == IMMUTABLE
    name = urls[0].rsplit("/", 1)[1]
    assert client.get(f"/static/{name}").headers["cache-control"] == REVALIDATE      # no fingerprint: ask again
    stale = client.get(f"/static/000000000000/{name}")          # an older release's address: today's file
    assert stale.status_code == 200 and stale.headers["cache-control"] == REVALIDATE
    assert client.get("/static/000000000000/nothing.js").status_code == 404


def test_the_first_page_with_what_it_loads_is_within_budget(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    total = sum(_wire(client, url) for url in ["/login", *_assets(page.text)])
    assert total <= FIRST_PAGE_BUDGET, total


def _wire(client: TestClient, url: str) -> int:
    """Bytes on the wire: the compressed body as sent (the client would decompress it)."""
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as answer:
        return sum(len(chunk) for chunk in answer.iter_raw())


def test_a_csrf_token_is_masked_afresh_on_every_page_and_still_accepted(client: TestClient) -> None:
    first = re.search(r'name="_csrf" value="([^"]+)"', client.get("/login").text).group(1)
    second = re.search(r'name="_csrf" value="([^"]+)"', client.get("/login").text).group(1)
    assert first != second and unmask(first) == unmask(second) != ""
    signed_in = client.post("/login", data={"_csrf": second, "id_number": "440106199001011235"})
    assert signed_in.status_code == 200 and "社保卡申领" in signed_in.text


def test_masking_round_trips_and_garbage_is_refused_not_a_crash(client: TestClient) -> None:
    assert unmask(mask("token-Ab_9")) == "token-Ab_9"
    assert [unmask(g) for g in ("", "!!", "abc")] == ["", "", ""]
    client.get("/login")
    for garbage in ("中文", "5Lit5paH", "77-977-9", "%%%"):     # non-ASCII once unmasked, or not base64 at all
        refused = client.post("/login", data={"_csrf": garbage, "id_number": "440106199001011235"})
        # Refused: 303 to the sign-in page, which says 页面已过期 (400); never a 500.
        assert [r.status_code for r in refused.history] == [303] and refused.status_code == 400, garbage
