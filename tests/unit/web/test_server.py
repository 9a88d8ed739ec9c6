"""uvicorn's options for the product: timeouts, JSON logs, the header deadline protocol, workers by factory."""
from __future__ import annotations

from pathlib import Path

import pytest
from uvicorn.config import Config

from renderer.web.config import Settings
from renderer.web.security import HEADERS, HSTS, security_headers
from renderer.web.server import APP_FACTORY, DeadlineProtocol, server_config


def settings(**changes: object) -> Settings:
    base = {"host": "127.0.0.1", "port": 0, "database": Path("x"), "forms": Path("forms"), "personas": Path("p"),
                "services": "simulator", "failure_rate": 0.0, "https_cookies": False, "secret": "s"}
    return Settings(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def logging_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's Config applies its logging config when built; the test process keeps its own."""
    monkeypatch.setattr(Config, "configure_logging", lambda self: None)


def test_the_server_closes_stalled_clients_and_finishes_running_requests() -> None:
    config = server_config(settings(header_timeout=3.0, keep_alive_timeout=4, shutdown_timeout=7), "app")
    assert config.http is DeadlineProtocol and config.header_timeout == 3.0
    assert (config.timeout_keep_alive, config.timeout_graceful_shutdown) == (4, 7)
    assert config.access_log is False and config.server_header is False


def test_workers_build_their_app_from_the_factory() -> None:
    config = server_config(settings(), APP_FACTORY, workers=3)
    assert (config.workers, config.factory, config.app) == (3, True, "renderer.web.app:create_app")
    assert server_config(settings(), object()).factory is False      # one process serves the app it is given


def test_security_headers_add_hsts_only_for_https_and_leave_static_caching_alone() -> None:
    assert security_headers("/login", hsts=False) == HEADERS
    assert security_headers("/login", hsts=True)["Strict-Transport-Security"] == HSTS
    assert "Cache-Control" not in security_headers("/static/app.css", hsts=False)
