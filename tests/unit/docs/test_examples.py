"""Every example in docs/*.md is checked: YAML snippets are applied or validated, lint output is what lint prints.

Each fenced block is preceded by an HTML comment (invisible when the page is rendered) whose body is YAML:

- `<!-- apply: {file: F, replace: "A", to: "B"} -->`: in the copy of forms/, the lines from the first one containing
  A through the next one containing B (or just that line without `to`; `to: end` is the end of the file) become the
  ```yaml block; with `after: "A"` instead of `replace`, the block is inserted after that line. Snippets of one
  document are applied in order to one copy, as a reader following it would.
- `<!-- lints: ok -->` (in the prose): the copy, as far as the document has changed it, loads with no problem.
- `<!-- mistake: {file: F, replace: "X", with: "Y", after: "A"} -->` or `<!-- mistake: none -->` before an output
  block: X (the first one after A, if given) is replaced by Y in a throwaway copy of the current state (a line left
  empty goes), lint runs, and its problems (file, line, column, code, message, hint) and its summary (number of
  files and verdict, not the time) must be those the block shows; a line `…` stands for lines left out before the
  summary.
- `<!-- check: field -->` before a ```yaml block of field settings: validated against the schema's `$defs/field`
  (as a text field) and every condition and rule check compiled as an expression.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from renderer.definition.expressions import compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.loader import FORMS_DIR, LoadResult, load_forms

DOCS = Path(__file__).resolve().parents[3] / "docs"
DIRECTIVE = re.compile(r"<!--\s*(apply|mistake|check|lints):\s*(.*?)\s*-->", re.S)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
PROBLEM = re.compile(r"^(forms/\S+\.yaml):(\d+):(\d+): (warning )?(\S+) (.*)$")
SUMMARY = re.compile(r"^(\d+) files checked in \d+ ms: (.*)$")
ELLIPSIS = "…"              # a line of its own in an output block: lines left out, up to the summary
# Names an expression may read besides field ids (renderer/definition: the context every page evaluates in).
CONTEXT = ("person", "applicant", "resident", "residents", "lists", "cities", "records", "derived", "entry", "today",
           "outcome", "branch")


def _yaml(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


@dataclass(frozen=True)
class Step:
    """One checked thing in a document, in reading order."""

    directive: str          # apply, mistake, check, lints; or "" for a block nobody annotated
    spec: Any               # the directive's YAML
    block: str              # the fenced block that follows it ("" for lints)
    language: str
    line: int               # where in the document, for messages

    def where(self, doc: str) -> str:
        return f"docs/{doc}:{self.line}"


def steps(text: str) -> Iterator[Step]:
    """Directives and fenced blocks, pairing each directive with the block right after it."""
    events: list[tuple[int, str, Any]] = [(m.start(), "directive", m) for m in DIRECTIVE.finditer(text)]
    events += [(m.start(), "fence", m) for m in FENCE.finditer(text)]
    pending: re.Match[str] | None = None
    for start, what, match in sorted(events, key=lambda e: e[0]):
        line = text.count("\n", 0, start) + 1
        if what == "directive":
            if pending is not None:
                yield _step(pending, "", "", text)
            pending = None
            if match.group(1) == "lints":
                yield Step("lints", _yaml(match.group(2)), "", "", line)
            else:
                pending = match
            continue
        if pending is not None:
            spec = _yaml(pending.group(2))
            yield Step(pending.group(1), spec, match.group(2), match.group(1), line)
            pending = None
        else:
            yield Step("", None, match.group(2), match.group(1), line)


def _step(directive: re.Match[str], block: str, language: str, text: str) -> Step:
    return Step(directive.group(1), _yaml(directive.group(2)), block, language,
                text.count("\n", 0, directive.start()) + 1)


def is_lint_output(step: Step) -> bool:
    lines = step.block.splitlines()
    return step.language == "" and any(PROBLEM.match(x) or SUMMARY.match(x) for x in lines)


def needs_check(step: Step) -> bool:
    """A YAML snippet or a lint output must be annotated; shell commands and other output need not."""
    return step.language == "yaml" or is_lint_output(step)


# ---------------------------------------------------------------------- editing a copy of forms/

def apply_snippet(root: Path, spec: dict[str, Any], block: str) -> None:
    path = root.parent / spec["file"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    snippet = block.splitlines(keepends=True)
    if "after" in spec:
        at = _find(lines, spec["after"], 0, spec)
        lines[at + 1:at + 1] = snippet
    else:
        start = _find(lines, spec["replace"], 0, spec)
        end = start if "to" not in spec else len(lines) - 1 if spec["to"] == "end" else _find(lines, spec["to"], start + 1,
                                                                                              spec)
        lines[start:end + 1] = snippet
    path.write_text("".join(lines), encoding="utf-8")


def _find(lines: list[str], needle: str, start: int, spec: dict[str, Any]) -> int:
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i
    raise AssertionError(f"{spec['file']} has no line containing {needle!r} (directive {spec})")


def make_mistake(root: Path, spec: dict[str, Any]) -> None:
    path = root.parent / spec["file"]
    text = path.read_text(encoding="utf-8")
    start = text.index(spec["after"]) if "after" in spec else 0
    at = text.find(spec["replace"], start)
    assert at >= 0, f"{spec['file']} has no {spec['replace']!r} (after {spec.get('after')!r})"
    text = text[:at] + spec["with"] + text[at + len(spec["replace"]):]
    line_start, line_end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    if not text[line_start:line_end].strip():       # the mistake removed a whole line: so does the analyst
        text = text[:line_start] + text[line_end + 1:]
    path.write_text(text, encoding="utf-8")


def lint_lines(result: LoadResult) -> list[str]:
    """What `yss lint` prints, without the time it took."""
    errors, warnings = len(result.errors), len(result.warnings)
    verdict = f"{errors} problem(s)" if errors else "ok"
    if warnings:
        verdict += f", {warnings} warning(s)"
    return [*"\n".join(str(p) for p in result.problems).splitlines(), f"{result.files} files checked in 0 ms: {verdict}"]


def comparable(lines: list[str], *, summary: bool) -> list[tuple[str, ...]]:
    """Problems as (file, line, col, code, message) with their hints, and the summary without its time."""
    out: list[tuple[str, ...]] = []
    for line in lines:
        if problem := PROBLEM.match(line):
            out.append(("problem", *problem.groups("")))
        elif line.startswith("    hint: "):
            out.append(("hint", line.removeprefix("    hint: ")))
        elif (total := SUMMARY.match(line)) and summary:
            out.append(("summary", *total.groups()))
        elif line.strip() and line != ELLIPSIS and not SUMMARY.match(line):
            out.append(("other", line))
    return out


def copy_of_forms(tmp_path: Path) -> Path:
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    return root


def check_field_shape(block: str) -> None:
    settings = _yaml(block)
    schema = json.loads((FORMS_DIR / "schema" / "form.schema.json").read_text(encoding="utf-8"))
    field = {"id": "example", "kind": "text", "label": "例子", **settings}
    validator = Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/field"})
    errors = [e.message for e in validator.iter_errors(field)]
    assert not errors, errors
    result = load_forms(FORMS_DIR)
    assert result.definition is not None
    ids = {f.id for journey in result.definition.journeys.values() for f in journey.fields}
    for key in ("when", "required", "enabled"):
        if isinstance(settings.get(key), str):
            compile_expression(settings[key], known_roots=ids | set(CONTEXT), functions=FUNCTIONS)
    for rule in settings.get("rules") or []:
        compile_expression(rule["check"], known_roots=ids | set(CONTEXT), functions=FUNCTIONS)


# ---------------------------------------------------------------------- the tests

DOCUMENTS = sorted(p.name for p in DOCS.glob("*.md"))


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_example_is_annotated(doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    bare = [s.where(doc) for s in steps(text) if s.directive == "" and needs_check(s)]
    assert not bare, f"add a <!-- apply/mistake/check --> comment (see {__name__}) before the blocks at: {bare}"
    lost = [s.where(doc) for s in steps(text) if s.directive in ("apply", "mistake", "check") and not s.block]
    assert not lost, f"a directive with no fenced block after it at: {lost}"


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_examples_are_true(doc: str, tmp_path: Path) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    root = copy_of_forms(tmp_path / "copy")
    for step in steps(text):
        if step.directive == "apply":
            apply_snippet(root, step.spec, step.block)
        elif step.directive == "lints":
            result = load_forms(root)
            assert not result.problems, f"{step.where(doc)}: the doc says lint prints ok, but:\n" + "\n".join(
                map(str, result.problems))
        elif step.directive == "check":
            assert step.spec == "field", f"{step.where(doc)}: unknown check {step.spec!r}"
            check_field_shape(step.block)
        elif step.directive == "mistake":
            trial = tmp_path / f"mistake-{step.line}" / "forms"
            shutil.copytree(root, trial)
            if step.spec != "none":
                make_mistake(trial, step.spec)
            shown = step.block.splitlines()
            real = lint_lines(load_forms(trial))
            has_summary = any(SUMMARY.match(x) for x in shown)
            expected, got = comparable(shown, summary=has_summary), comparable(real, summary=has_summary)
            if ELLIPSIS in shown:      # the first lines, then the summary
                head = comparable(shown[:shown.index(ELLIPSIS)], summary=False)
                got = got[:len(head)] + got[-1:] if has_summary else got[:len(head)]
            assert expected == got, (
                f"{step.where(doc)}: the output shown is not what lint prints for this mistake; it prints:\n"
                + "\n".join(real))
