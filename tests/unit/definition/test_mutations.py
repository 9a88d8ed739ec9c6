"""Lint never fails on any YAML: the real forms/, mutated the way hurried typing and pasting mutate them.

Each case copies forms/, changes one or two files (a line deleted or doubled, a character that matters to YAML
typed into it, a DSL line that does not belong, a value replaced by one of another type) and loads it. The loader
must answer with problems, never raise, and never report a crash of its own checks (`internal.unexpected`).
The mutations are seeded: a failure names its seed, and the same seed gives the same forms again.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from renderer.definition.loader import FORMS_DIR, load_forms

CHARACTERS = ["：", "，", "'", '"', "{", "}", "[", "]", ":", "-", " ", "\t", "#", "*a", "&a", "!!", "|", ">", "%",
              "@", "`", "\u00a0", "true", "null", "2024-01-01", "0"]
LINES = ["kind: select", "kind: date", "max_length: 3", "min_length: 9", "options: [a, a]", "when: x == 'y'",
         "required: true", "default: q", "default_from: person.name", "pattern: '['", "min: today",
         "max: 2000-01-01", "goto: guide", "next: true", "popup: nope", "journey: adult", "calls: [face_check]",
         "calls: [precheck, face_check]", "enabled: false", "include: guide", "verify: []", "locked: true",
         "from: confirm", "step: x", "id: guide", "value: 1", "text: '{x}'", "label: ''"]
VALUES = ["", "[]", "{}", "null", "1", "'x'", "[1, 2]", "{a: b}", "true"]
SEEDS = range(24)


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i, choice = rng.randrange(len(lines)), rng.random()
        if choice < 0.2:
            del lines[i]
        elif choice < 0.35:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif choice < 0.6 and lines[i]:
            j = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rng.choice(CHARACTERS) + lines[i][j + rng.randint(0, 2):]
        elif choice < 0.85:
            lines.insert(i, re.match(r"\s*", lines[i]).group(0) + rng.choice(LINES))   # type: ignore[union-attr]
        elif ": " in lines[i]:
            lines[i] = lines[i][:lines[i].index(": ") + 2] + rng.choice(VALUES)
        if not lines:
            break
    return "\n".join(lines)


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_forms_get_problems_never_a_crash(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    files = sorted(p for p in root.rglob("*.yaml"))
    for path in rng.sample(files, rng.randint(1, 2)):
        path.write_text(_mutate(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
    result = load_forms(root)
    crashes = [str(e) for e in result.problems if e.code == "internal.unexpected"]
    assert crashes == [], f"seed {seed}"
