"""`python -m renderer.web`: serve the product (embedded store, demo data, simulated channel)."""
from __future__ import annotations

import uvicorn

from renderer.web.app import create_app
from renderer.web.config import load_settings


def serve(reload: bool = False, preview: bool = False) -> int:
    """Serve the product; `reload` re-reads forms/ when a file changes; `preview` adds /preview for analysts."""
    settings = load_settings()
    print(f"社保卡申领: http://{settings.host}:{settings.port}/login")
    # Access logs carry paths only; no personal data is ever in a path or query string.
    uvicorn.run(create_app(settings, reload_forms=reload, preview=preview), host=settings.host, port=settings.port,
                log_level="info")
    return 0


if __name__ == "__main__":
    serve()
