"""One spelling per number: whatever script, width or invisible character wrote it, a typed text comes out in one
form (renderer/definition/typed_text.py), and patterns from YAML never take another script's digits."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renderer.definition.functions import birth_date_of, gender_of, is_valid_id_number
from renderer.definition.typed_text import ascii_digits, compiled_pattern, matches_whole, typed_text
from tests.spellings import SPELLINGS, UNICODE_DIGITS, junk, spellings

NUMBERS = ["440106199001011235", "44010519850211402X", "13600002819", "GZ2023080100533", "H12345678",
           "USA110088042512", "510000", "2020-01-01", "天河路100号1201房"]


@SPELLINGS
@given(st.sampled_from(NUMBERS).flatmap(lambda n: st.tuples(st.just(n), spellings(n))))
def test_every_spelling_of_a_number_is_its_ascii_form(case: tuple[str, str]) -> None:
    canonical, spelled = case
    assert typed_text(spelled) == canonical


@SPELLINGS
@given(spellings("44010519850211402x"))
def test_an_id_numbers_check_character_is_upper_case(spelled: str) -> None:
    assert typed_text(spelled) == "44010519850211402X"


@SPELLINGS
@given(junk())
def test_typed_text_has_no_other_digits_nor_invisible_characters_and_is_settled(text: str) -> None:
    once = typed_text(text)
    assert not any(unicodedata.decimal(ch, None) is not None and not ch.isascii() for ch in once)
    assert not any(unicodedata.category(ch) == "Cf" for ch in once)
    assert once == once.strip()
    assert typed_text(once) == once


@SPELLINGS
@given(st.sampled_from(UNICODE_DIGITS))
def test_patterns_and_checks_take_ascii_digits_only(digit: str) -> None:
    assert not matches_whole(r"\d", digit)
    assert not matches_whole(r"[0-9]", digit)
    assert not ascii_digits(digit) and digit.isdigit()
    number = "44010619900101123" + digit               # as an expression sees a value that did not come typed
    assert not is_valid_id_number(number) and gender_of(number) is None
    assert birth_date_of(digit * 18) is None


def test_a_pattern_that_asks_for_unicode_classes_does_not_compile() -> None:
    """Lint compiles patterns with this same function (renderer/definition/meaning/fields.pattern_error), so an
    analyst's (?u) is a pattern.invalid at load, not a pattern that takes ٣ from citizens."""
    with pytest.raises(re.error):
        compiled_pattern(r"(?u)\d{6}")
