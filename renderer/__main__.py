"""`python -m renderer …`: see renderer/cli.py."""
import sys

from renderer.cli import main

sys.exit(main())
