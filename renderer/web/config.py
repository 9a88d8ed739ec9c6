"""The one place that reads the environment (prefix YSS_)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from starlette.config import Config

ROOT = Path(__file__).resolve().parents[2]
config = Config(env_prefix="")


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    database: Path
    forms: Path                   # the YAML the product serves (a copy elsewhere to try changes)
    personas: Path
    services: str                 # "simulator"; a real deployment names its adapters' module here
    failure_rate: float | dict[str, float]   # share of simulated back-office calls that fail (or per call)
    https_cookies: bool
    secret: str
    # Serving (renderer/web/server.py): worker processes and the timeouts that close idle or stalled clients.
    workers: int = 1
    header_timeout: float = 10.0   # seconds to send a request's headers, from connect or from its first byte
    body_timeout: float = 30.0     # seconds the server waits for the next piece of a request body
    keep_alive_timeout: int = 5    # seconds an idle kept-alive connection stays open
    shutdown_timeout: int = 20     # seconds running requests get to finish on SIGTERM


def _secret(path: Path) -> str:
    """A signing key kept beside the database, so a restart keeps people signed in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _rates(text: str) -> float | dict[str, float]:
    """`0.1` for every call, or `precheck=0,eligibility=1` per call."""
    if "=" not in text:
        return float(text or 0)
    return {name.strip(): float(rate) for name, rate in (part.split("=", 1) for part in text.split(",") if part)}


def load_settings() -> Settings:
    database = Path(config("YSS_DB", default=str(ROOT / "var" / "yss.sqlite3")))
    secret = config("YSS_SECRET", default="") or _secret(database.parent / "secret.key")
    return Settings(
        host=config("YSS_HOST", default="127.0.0.1"),
        port=config("YSS_PORT", cast=int, default=8000),
        database=database,
        forms=Path(config("YSS_FORMS", default=str(ROOT / "forms"))),
        personas=Path(config("YSS_PERSONAS", default=str(ROOT.parent / "shared" / "spec" / "personas.yaml"))),
        services=config("YSS_SERVICES", default="simulator"),
        failure_rate=_rates(config("YSS_SIM_FAILURE_RATE", default="0")),
        https_cookies=config("YSS_HTTPS_COOKIES", cast=bool, default=False),
        secret=secret,
        workers=config("YSS_WORKERS", cast=int, default=Settings.workers),
        header_timeout=config("YSS_HEADER_TIMEOUT", cast=float, default=Settings.header_timeout),
        body_timeout=config("YSS_BODY_TIMEOUT", cast=float, default=Settings.body_timeout),
        keep_alive_timeout=config("YSS_KEEPALIVE_TIMEOUT", cast=int, default=Settings.keep_alive_timeout),
        shutdown_timeout=config("YSS_SHUTDOWN_TIMEOUT", cast=int, default=Settings.shutdown_timeout),
    )
