"""`python -m renderer.definition [forms-dir]`: the same as `python -m renderer lint`."""
from __future__ import annotations

import sys
from pathlib import Path

from renderer.definition.loader import FORMS_DIR
from renderer.tools.lint import run_lint

if __name__ == "__main__":
    sys.exit(run_lint(Path(sys.argv[1]) if len(sys.argv) > 1 else FORMS_DIR))
