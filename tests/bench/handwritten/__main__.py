"""`python -m tests.bench.handwritten DB PORT [--prg | --product-stack]`: the hand-written 申请信息 under uvicorn, one
worker, loopback: bare (app.py) or on the product's own stack (product_stack.py, with the product's JSON logs)."""
from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from renderer.web.logs import log_config
from renderer.web.server import DeadlineProtocol
from tests.bench.handwritten import app, product_stack

if __name__ == "__main__":
    database, port = Path(sys.argv[1]), int(sys.argv[2])
    if "--product-stack" in sys.argv:
        uvicorn.run(product_stack.create_app(database), host="127.0.0.1", port=port, http=DeadlineProtocol,
                    log_config=log_config(), access_log=False, server_header=False)
    else:
        uvicorn.run(app.create_app(database, prg="--prg" in sys.argv), host="127.0.0.1", port=port, http="h11",
                    log_level="warning", access_log=False)
