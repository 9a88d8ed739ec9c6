"""Static files under fingerprinted addresses: /static/<hash>/<name> is cached for a year and never revalidated;
when a file changes its address changes, so a phone never runs yesterday's script against today's page."""
from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"          # an address without its fingerprint: may be cached, asked again each time
HASH_LENGTH = 12


class Assets:
    """The fingerprint of every file in the static folder, read once at start (the files ship with the release)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hashes = {path.relative_to(directory).as_posix(): _digest(path)
                       for path in sorted(directory.rglob("*")) if path.is_file()}

    def url(self, name: str) -> str:
        """The address of `name` with its fingerprint; a name that is not a static file is a programming error."""
        return f"/static/{self.hashes[name]}/{name}"

    def app(self) -> StaticFiles:
        return FingerprintedFiles(self, directory=str(self.directory))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


class FingerprintedFiles(StaticFiles):
    """StaticFiles that also answers /<hash>/<name> (immutable) when the hash is the file's own."""

    def __init__(self, assets: Assets, directory: str) -> None:
        super().__init__(directory=directory)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        fingerprint, _, name = path.partition("/")
        if name in self.assets.hashes and len(fingerprint) == HASH_LENGTH:
            response = await super().get_response(name, scope)
            # An older release's address (a page kept in the back-forward cache) gets today's file, not kept.
            current = self.assets.hashes[name] == fingerprint
            if response.status_code in (200, 304):
                response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
            return response
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = REVALIDATE
        return response
