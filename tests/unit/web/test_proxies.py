"""Whose forwarding headers count: YSS_TRUSTED_PROXIES alone (none by default), resolved once, by the server."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from renderer.web.clients import limited_as
from renderer.web.config import load_settings
from renderer.web.server import server_config
from tests import aio
from tests.unit.web.test_server import settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def logging_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's Config applies its logging config when built; the test process keeps its own."""
    monkeypatch.setattr(Config, "configure_logging", lambda self: None)


def settings_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, trusted: str | None) -> Any:
    monkeypatch.setenv("YSS_DB", str(tmp_path / "yss.sqlite3"))
    monkeypatch.setenv("YSS_SECRET", "s")
    if trusted is None:
        monkeypatch.delenv("YSS_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("YSS_TRUSTED_PROXIES", trusted)
    return load_settings()


def test_no_proxy_is_trusted_unless_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert settings_from(monkeypatch, tmp_path, None).trusted_proxies == ()
    assert settings_from(monkeypatch, tmp_path, " , ").trusted_proxies == ()
    listed = settings_from(monkeypatch, tmp_path, "10.0.0.2, 192.168.1.7/24,::1")
    assert listed.trusted_proxies == ("10.0.0.2", "192.168.1.0/24", "::1")


@pytest.mark.parametrize("wrong", ["*", "proxy.internal", "10.0.0.300", "10.0.0.0/40"])
def test_a_proxy_that_is_not_an_address_stops_the_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        wrong: str) -> None:
    with pytest.raises(ValueError, match=r"YSS_TRUSTED_PROXIES: .* is not an IP address or network"):
        settings_from(monkeypatch, tmp_path, f"127.0.0.1,{wrong}")


def test_uvicorns_own_setting_cannot_bring_trust_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    config = server_config(settings(), "app")
    assert config.proxy_headers is False and config.forwarded_allow_ips == []
    config = server_config(settings(trusted_proxies=("10.0.0.2",)), "app")
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["10.0.0.2"]


def client_seen(trusted: tuple[str, ...], peer: str, forwarded: str | None) -> str:
    """The client address the app is handed, once the server's configured middleware has run."""
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["client"][0])

    config = server_config(settings(trusted_proxies=trusted), app)
    config.load()
    assert isinstance(config.loaded_app, ProxyHeadersMiddleware) == bool(trusted)
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    scope = {"type": "http", "client": (peer, 1234), "headers": headers, "scheme": "http"}
    aio.run(config.loaded_app(scope, None, None))
    return seen[0]


def test_the_client_is_the_right_most_address_no_trusted_proxy_added() -> None:
    proxies = ("127.0.0.1", "10.0.0.0/8")
    assert client_seen((), "127.0.0.1", "203.0.113.9") == "127.0.0.1"                 # none trusted: the peer
    assert client_seen(proxies, "127.0.0.1", "203.0.113.9") == "203.0.113.9"
    # what the client wrote itself is left of the address the first trusted proxy saw
    assert client_seen(proxies, "10.1.2.3", "198.51.100.1, 203.0.113.9, 10.0.0.5") == "203.0.113.9"
    assert client_seen(proxies, "198.51.100.7", "203.0.113.9") == "198.51.100.7"        # a peer that is no proxy
    assert client_seen(proxies, "127.0.0.1", None) == "127.0.0.1"


def test_only_the_resolved_address_is_read() -> None:
    """No code reads a forwarding header or the peer itself, but clients.client_address."""
    header = re.compile(r"x-forwarded|x-real-ip|[\"']forwarded[\"']|\bforwarded_for|true-client-ip|cf-connecting",
                        re.IGNORECASE)
    peer = re.compile(r"\.client\b(?!_)|\[[\"']client[\"']\]")
    readers = []
    for path in sorted([*(ROOT / "renderer").rglob("*.py"), *(ROOT / "widgets").rglob("*.py")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#", 1)[0]
            if header.search(code) or peer.search(code):
                readers.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert readers == ['renderer/web/clients.py: return request.client.host if request.client else "unknown"']


def test_a_limit_counts_an_ipv6_client_by_its_network() -> None:
    assert limited_as("203.0.113.9") == "203.0.113.9"
    assert limited_as("::ffff:203.0.113.9") == "203.0.113.9"
    assert limited_as("2001:db8:1:2:aaaa::1") == limited_as("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert limited_as("2001:db8:1:3::1") != limited_as("2001:db8:1:2::1")
    assert limited_as("testclient") == "testclient"
