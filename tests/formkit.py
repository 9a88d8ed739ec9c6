"""One helper for small inline forms in tests: write YAML files into a temp forms/ and load them."""
from __future__ import annotations

import textwrap
from pathlib import Path

from renderer.definition.loader import LoadResult, load_forms

RESIDENTS = """
residents:
  mainland:
    label: 内地居民
    online: true
    nationality: 中国
    allows_longterm_id: true
    pickup_methods: [网点领卡, 邮寄到付]
    materials: 居民身份证(原件)
    documents:
      - {id: id_card, label: 居民身份证, sides: [身份证国徽面, 身份证人像面]}
"""


def load_inline(tmp_path: Path, files: dict[str, str], residents: bool = True) -> LoadResult:
    """Write `files` (path -> YAML text, dedented) under tmp_path/forms and load them."""
    root = tmp_path / "forms"
    for name, text in {**({"residents.yaml": RESIDENTS} if residents else {}), **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_forms(root)


def codes(result: LoadResult) -> list[str]:
    return [e.code for e in result.problems]
