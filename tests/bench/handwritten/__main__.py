"""`python -m tests.bench.handwritten DB PORT [--prg]`: the hand-written 申请信息 under uvicorn, one worker, loopback."""
from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from tests.bench.handwritten.app import create_app

if __name__ == "__main__":
    uvicorn.run(create_app(Path(sys.argv[1]), prg="--prg" in sys.argv), host="127.0.0.1", port=int(sys.argv[2]), http="h11",
                log_level="warning", access_log=False)
