"""The one place that reads the environment (prefix YSS_)."""
from __future__ import annotations

import ipaddress
import os
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
    database: str | Path          # a SQLite file, or postgresql://… (YSS_DB)
    forms: Path                   # the YAML the product serves (a copy elsewhere to try changes)
    personas: Path
    services: str                 # "simulator"; a real deployment names its adapters' module here
    failure_rate: float | dict[str, float]   # share of simulated back-office calls that fail (or per call)
    https_cookies: bool
    secret: str
    retention_days: int = 30      # drafts and uploads of an abandoned application are purged after this (yss purge)
    sim_latency: float | dict[str, float] = 0.0    # seconds each simulated back-office call takes (or per call)
    submit_lease: float = 30.0    # s: a 确认提交 in flight; after this (a crashed worker) a retry may send it again
    service_timeout: float = 10.0     # s: an outside system's answer is waited for this long (under submit_lease)
    db_pool: int = 8              # connections per worker process (and as many again in overflow)
    # Serving (renderer/web/server.py): worker processes and the timeouts that close idle or stalled clients.
    workers: int = 1
    header_timeout: float = 10.0   # seconds to send a request's headers, from connect or from its first byte
    body_timeout: float = 30.0     # seconds the server waits for the next piece of a request body
    keep_alive_timeout: int = 5    # seconds an idle kept-alive connection stays open
    shutdown_timeout: int = 20     # seconds running requests get to finish on SIGTERM
    # Proxies whose X-Forwarded-For names the client (addresses or networks); none: the peer is the client.
    trusted_proxies: tuple[str, ...] = ()


def _secret(path: Path) -> str:
    """A signing key kept beside the database, so a restart keeps people signed in. Made once, atomically:
    workers starting together must all read the same key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)          # fails if another worker made it first: theirs is the key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def _data_folder(database: str) -> Path:
    """Where the key lives: beside a SQLite file, else var/ of the repo."""
    return Path(database).parent if "://" not in database else ROOT / "var"


def _rates(text: str) -> float | dict[str, float]:
    """`0.1` for every call, or `precheck=0,eligibility=1` per call."""
    if "=" not in text:
        return float(text or 0)
    return {name.strip(): float(rate) for name, rate in (part.split("=", 1) for part in text.split(",") if part)}


class SettingsInvalid(SystemExit):
    """A setting that would break a guarantee: the server does not start, and says which and why."""


def checked(settings: Settings) -> Settings:
    """A sender's lease must outlast the wait for the province's answer: else a second request would claim and send
    the application while the first still waits (renderer/store/sql.py settles only the claim that was granted)."""
    if settings.service_timeout <= 0 or settings.submit_lease <= settings.service_timeout:
        raise SettingsInvalid(f"YSS_SUBMIT_LEASE ({settings.submit_lease:g} s) must be longer than "
                              f"YSS_SERVICE_TIMEOUT ({settings.service_timeout:g} s), and both above 0")
    if settings.db_pool < 1:
        raise SettingsInvalid(f"YSS_DB_POOL must be at least 1, not {settings.db_pool}")
    return settings


def _proxies(text: str) -> tuple[str, ...]:
    """`10.0.0.2,192.168.0.0/24`: each an IP address or network; anything else stops the start, since a guess
    here decides whose sign-in limit a request counts against."""
    proxies = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            proxies.append(str(ipaddress.ip_network(item, strict=False)) if "/" in item
                           else str(ipaddress.ip_address(item)))
        except ValueError:
            raise ValueError(f"YSS_TRUSTED_PROXIES: {item!r} is not an IP address or network; list the addresses "
                             "of the proxies in front of the product, e.g. 10.0.0.2,192.168.1.0/24") from None
    return tuple(proxies)


def load_settings() -> Settings:
    database = config("YSS_DB", default=str(ROOT / "var" / "yss.sqlite3"))
    secret = config("YSS_SECRET", default="") or _secret(_data_folder(database) / "secret.key")
    return checked(Settings(
        host=config("YSS_HOST", default="127.0.0.1"),
        port=config("YSS_PORT", cast=int, default=8000),
        database=database,
        forms=Path(config("YSS_FORMS", default=str(ROOT / "forms"))),
        personas=Path(config("YSS_PERSONAS", default=str(ROOT / "data" / "personas.yaml"))),
        services=config("YSS_SERVICES", default="simulator"),
        failure_rate=_rates(config("YSS_SIM_FAILURE_RATE", default="0")),
        https_cookies=config("YSS_HTTPS_COOKIES", cast=bool, default=False),
        secret=secret,
        retention_days=config("YSS_RETENTION_DAYS", cast=int, default=30),
        sim_latency=_rates(config("YSS_SIM_LATENCY", default="0")),
        submit_lease=config("YSS_SUBMIT_LEASE", cast=float, default=Settings.submit_lease),
        service_timeout=config("YSS_SERVICE_TIMEOUT", cast=float, default=Settings.service_timeout),
        db_pool=config("YSS_DB_POOL", cast=int, default=Settings.db_pool),
        workers=config("YSS_WORKERS", cast=int, default=Settings.workers),
        header_timeout=config("YSS_HEADER_TIMEOUT", cast=float, default=Settings.header_timeout),
        body_timeout=config("YSS_BODY_TIMEOUT", cast=float, default=Settings.body_timeout),
        keep_alive_timeout=config("YSS_KEEPALIVE_TIMEOUT", cast=int, default=Settings.keep_alive_timeout),
        shutdown_timeout=config("YSS_SHUTDOWN_TIMEOUT", cast=int, default=Settings.shutdown_timeout),
        trusted_proxies=_proxies(config("YSS_TRUSTED_PROXIES", default="")),
    ))
