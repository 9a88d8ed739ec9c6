"""What makes a forms folder a version: the hash of its files' contents, and a label people can say."""
from __future__ import annotations

import hashlib
from pathlib import Path

LABEL_FILE = "VERSION"          # forms/VERSION: one line, e.g. 2026.12-城市新增; optional


def source_files(root: Path) -> dict[str, str]:
    """Every file that defines the forms (YAML, the schema, VERSION), by path relative to `root`, as text."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix in (".yaml", ".json") or p.name == LABEL_FILE))
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}


def hash_of(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()[:32]


def content_hash(root: Path) -> str:
    return hash_of(source_files(root))


def version_label(root: Path) -> str:
    label_file = root / LABEL_FILE
    if label_file.is_file():
        text = label_file.read_text(encoding="utf-8").strip().splitlines()
        if text and text[0].strip():
            return text[0].strip()[:64]
    return f"v-{content_hash(root)[:8]}"
