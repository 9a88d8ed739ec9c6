"""Conditions compared by their text: narrower (only hides), wider, or something else."""
from __future__ import annotations

import pytest

from renderer.definition.expressions import compile_expression
from renderer.versions.conditions import NARROWER, OTHER, SAME, WIDER, compare


def expr(source: str):
    return compile_expression(source, known_roots={"a", "b", "c"})


@pytest.mark.parametrize(("old", "new", "how"), [
    (True, "a == '1'", NARROWER),
    ("a == '1'", False, NARROWER),
    ("a == '1'", "a == '1' and b", NARROWER),
    ("a == '1' or c", "b and (a == '1' or c)", NARROWER),
    ("a == '1'", True, WIDER),
    (False, "a", WIDER),
    ("a == '1'", "a == '1' or b", WIDER),
    ("a == '1'", "a  ==  '1'", SAME),
    ("a == '1'", "a == '2'", OTHER),
    ("a == '1' and b", "a == '1'", WIDER),
    ("a == '1' or b", "a == '1'", NARROWER),
    ("a == '1' and b", "a == '1' and c", OTHER),
])
def test_compare(old, new, how) -> None:
    as_condition = {True: True, False: False}
    before = as_condition[old] if isinstance(old, bool) else expr(old)
    after = as_condition[new] if isinstance(new, bool) else expr(new)
    assert compare(before, after) == how
