"""The real server for tests that need a socket, a signal or a crash: `python -m renderer.web` in a subprocess."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`python -m renderer.web` in a subprocess, on a free port and a temp database."""

    def __init__(self, tmp: Path, **env: str) -> None:
        self.port, self.terminated = free_port(), False
        self.log = tmp / "server.log"
        environ = {**os.environ, "YSS_PORT": str(self.port), "YSS_DB": str(tmp / "db" / "yss.sqlite3"),
                   "YSS_SECRET": "serving-test", **env}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "renderer.web"], cwd=ROOT, env=environ,
                                            stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz") == (200, "ok"):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"server did not start:\n{self.log.read_text()}")

    def get(self, path: str) -> tuple[int, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
            return response.status, response.read().decode()

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def terminate(self) -> None:
        """SIGTERM, once: a second one during shutdown would meet the default handler again."""
        if self.process.poll() is None and not self.terminated:
            self.process.send_signal(signal.SIGTERM)
            self.terminated = True

    def kill(self) -> None:
        """kill -9: the worker dies mid-request, as in a crash; nothing it was doing is finished."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> bool:
        """True when the server shut down cleanly (uvicorn re-raises the SIGTERM once it is done)."""
        self.terminate()
        return self.process.wait(timeout=30) in (0, -signal.SIGTERM)

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]
