"""`python -m renderer.web`: serve the product (embedded store, demo data, simulated channel)."""
from __future__ import annotations

import logging.config

from renderer.web.app import create_app
from renderer.web.config import load_settings
from renderer.web.logs import log_config
from renderer.web.server import APP_FACTORY, run, server_config


def serve(reload: bool = False, preview: bool = False) -> int:
    """Serve the product; `reload` re-reads forms/ when a file changes; `preview` adds /preview for analysts."""
    settings = load_settings()
    logging.config.dictConfig(log_config())      # before the app is built: its start-up lines are JSON lines too
    # An analyst's server (reload, preview) is one process; the product runs YSS_WORKERS of them.
    workers = 1 if reload or preview else max(1, settings.workers)
    app = create_app(settings, reload_forms=reload, preview=preview) if workers == 1 else APP_FACTORY
    print(f"社保卡申领: http://{settings.host}:{settings.port}/login ({workers} worker{'s' if workers > 1 else ''})",
          flush=True)
    return run(server_config(settings, app, workers))


if __name__ == "__main__":
    raise SystemExit(serve())
