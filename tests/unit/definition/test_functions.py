"""Date rules: the 16th birthday and ages, with 29 February and month ends."""
from __future__ import annotations

import datetime as dt

import pytest

from renderer.definition.expressions import compile_expression
from renderer.definition.functions import FUNCTIONS, add_years, age, birth_date_of, gender_of, is_valid_id_number

D = dt.date


@pytest.mark.parametrize(("born", "years", "expected"), [
    (D(2015, 3, 15), 16, D(2031, 3, 15)),
    (D(2012, 2, 29), 16, D(2028, 2, 29)),      # 16 years after a leap day is a leap day
    (D(2012, 2, 29), 1, D(2013, 2, 28)),       # in a common year the birthday is 28 February
    (D(2011, 1, 31), 16, D(2027, 1, 31)),
    (D(2010, 12, 31), 16, D(2026, 12, 31)),
])
def test_add_years(born: dt.date, years: int, expected: dt.date) -> None:
    assert add_years(born, years) == expected


def test_add_years_reads_iso_text_and_refuses_nonsense() -> None:
    assert add_years("2015-03-15", 16) == D(2031, 3, 15)
    assert add_years("not a date", 16) is None
    assert add_years(None, 16) is None
    assert add_years(D(2015, 3, 15), "16") is None


@pytest.mark.parametrize(("born", "on", "expected"), [
    (D(2015, 3, 15), D(2031, 3, 14), 15),
    (D(2015, 3, 15), D(2031, 3, 15), 16),      # 16 on the birthday itself
    (D(2012, 2, 29), D(2013, 2, 27), 0),
    (D(2012, 2, 29), D(2013, 2, 28), 1),       # agrees with add_years
    (D(2012, 2, 29), D(2028, 2, 28), 15),
    (D(2012, 2, 29), D(2028, 2, 29), 16),
    (D(2011, 1, 31), D(2027, 1, 30), 15),
])
def test_age_agrees_with_add_years(born: dt.date, on: dt.date, expected: int) -> None:
    assert age(born, on) == expected
    assert (add_years(born, expected) <= on < add_years(born, expected + 1))


def test_age_of_nothing_or_the_future_is_none() -> None:
    assert age(None) is None
    assert age(D(2030, 1, 1), D(2020, 1, 1)) is None


def test_id_number_rules() -> None:
    assert is_valid_id_number("440105201503153317")
    assert not is_valid_id_number("440105201503153318")
    assert not is_valid_id_number("USA110088042512")
    assert is_valid_id_number("810000199203082010")      # a Hong Kong resident's residence permit
    assert not is_valid_id_number("810000199203082011")
    assert not is_valid_id_number("440105201502303317")   # 30 February
    assert birth_date_of("440105201503153317") == D(2015, 3, 15)
    assert gender_of("440105201503153317") == "男" and gender_of("440105201208203422") == "女"


def test_minor_rule_as_an_analyst_writes_it() -> None:
    rule = compile_expression("age(birth_date_of(number), today) < 16", known_roots={"number", "today"},
                              functions=FUNCTIONS)
    assert rule.evaluate({"number": "440105201503153317", "today": D(2031, 3, 14)})
    assert not rule.evaluate({"number": "440105201503153317", "today": D(2031, 3, 15)})
