"""`python -m renderer` (also the `yss` command): the analysts' tools and the server."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from renderer.definition.loader import FORMS_DIR

# Commands that only print (never a server: a server must survive a client that hangs up).
PRINTING = ("lint", "graph", "paths", "diff", "purge")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yss", description="社保卡申领 forms: check, draw, list paths, serve.")
    sub = parser.add_subparsers(dest="command", required=True)

    lint = sub.add_parser("lint", help="check every YAML file; exit 1 when there is a problem")
    lint.add_argument("path", nargs="?", type=Path, default=FORMS_DIR, help="the forms folder (default: forms/)")
    lint.add_argument("--explain", metavar="CODE", help="say what a problem code means: its title, message and hint")

    graph = sub.add_parser("graph", help="draw a journey as .svg, .html, .png or .dot (Graphviz)")
    graph.add_argument("journey")
    graph.add_argument("-o", "--output", type=Path, required=True, help="a .svg, .html, .png or .dot file")
    graph.add_argument("--forms", type=Path, default=FORMS_DIR)

    paths = sub.add_parser("paths", help="every distinct route through a journey, with the answers that take it")
    paths.add_argument("journey")
    paths.add_argument("--forms", type=Path, default=FORMS_DIR)
    paths.add_argument("--json", action="store_true", help="print JSON instead of text")

    compare = sub.add_parser("diff", help="what changes for citizens in flight between two versions of forms/; "
                                          "exit 3 when a change is breaking")
    compare.add_argument("old", help="a forms folder, or a git revision (its forms/ is read with git archive)")
    compare.add_argument("new", help="a forms folder (e.g. ./forms, the working copy), or a git revision")
    compare.add_argument("--json", action="store_true", help="print JSON instead of text")

    serve = sub.add_parser("serve", help="serve the product (like make run)")
    serve.add_argument("--reload", action="store_true", help="reload forms when a YAML file is saved")

    preview = sub.add_parser("preview", help="serve with /preview: any page with fixture answers, or in its error state")
    preview.add_argument("--reload", action="store_true")

    purge = sub.add_parser("purge", help="remove abandoned drafts and their uploads, expired sessions and codes "
                                         "(schedule it daily)")
    purge.add_argument("--days", type=int, default=None,
                       help="keep what changed within this many days (default: YSS_RETENTION_DAYS, 30)")

    args = parser.parse_args(argv)
    if args.command in PRINTING and argv is None and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)      # `yss lint | head`: stop quietly, no traceback
    if args.command == "purge":
        from renderer.tools.purge import run_purge
        return run_purge(args.days)
    if args.command == "lint":
        from renderer.tools.lint import run_explain, run_lint
        return run_explain(args.explain) if args.explain else run_lint(args.path)
    if args.command == "graph":
        from renderer.tools.graph import run_graph
        return run_graph(args.forms, args.journey, args.output)
    if args.command == "diff":
        from renderer.tools.diff import run_diff
        return run_diff(args.old, args.new, as_json=args.json)
    if args.command == "paths":
        from renderer.tools.paths import run_paths
        return run_paths(args.forms, args.journey, as_json=args.json)
    from renderer.web.__main__ import serve as run_server
    return run_server(reload=args.reload, preview=args.command == "preview")


if __name__ == "__main__":
    sys.exit(main())
