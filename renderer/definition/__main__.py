"""`python -m renderer.definition [forms-dir]`: check the forms and print every error; exit 1 if any."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from renderer.definition.loader import FORMS_DIR, load_forms


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else FORMS_DIR
    started = time.perf_counter()
    result = load_forms(root.resolve())
    elapsed = (time.perf_counter() - started) * 1000
    for error in result.errors:
        print(error)
    status = "ok" if result.definition else f"{len(result.errors)} error(s)"
    print(f"{result.files} files checked in {elapsed:.0f} ms: {status}")
    return 0 if result.definition else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
