"""Functions that expressions may call, beyond the language's defaults: values derived from an ID number."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

from renderer.definition.expressions import DEFAULT_FUNCTIONS
from renderer.definition.typed_text import ascii_digits


def is_valid_id_number(number: Any) -> bool:
    """True for an 18-character GB 11643 number: a real birth date and a correct ISO 7064 MOD 11-2 check digit.

    Residence permits of Hong Kong, Macau and Taiwan residents (810000…, 820000…, 830000…) follow the same rule;
    stdnum's cn.ric also wants a birth place in the 31 provinces, so only its date and checksum parts are used.
    """
    text = str(number or "").upper()
    if len(text) != 18 or not ascii_digits(text[:17]) or text[17] not in "0123456789X":
        return False
    try:
        ric.get_birth_date(text)
    except (ValidationError, ValueError):
        return False
    return mod_11_2.is_valid(text)


def birth_date_of(number: Any) -> dt.date | None:
    """The birth date encoded in a resident ID number, or None (as for any number not in ASCII: stdnum would read
    fullwidth and Arabic-Indic digits)."""
    text = str(number or "")
    if not text.isascii():
        return None
    try:
        return ric.get_birth_date(text)
    except (ValidationError, ValueError):
        return None


def gender_of(number: Any) -> str | None:
    """男 or 女 from the 17th digit of an 18-digit ID number (odd is male)."""
    text = str(number or "")
    if len(text) != 18 or not ascii_digits(text[16]) or birth_date_of(text) is None:
        return None
    return "男" if int(text[16]) % 2 else "女"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def add_years(value: Any, years: Any) -> dt.date | None:
    """The same day `years` later; 29 February becomes 28 February in a common year (dateutil's rule)."""
    start = _as_date(value)
    if start is None or not isinstance(years, int):
        return None
    return start + relativedelta(years=years)


def age(born: Any, on: Any = None) -> int | None:
    """Whole years completed on `on` (default today): the birthday is the day add_years gives."""
    start, end = _as_date(born), (dt.date.today() if on is None else _as_date(on))
    if start is None or end is None or end < start:
        return None
    return relativedelta(end, start).years


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    **DEFAULT_FUNCTIONS,
    "add_years": add_years,
    "age": age,
    "birth_date_of": birth_date_of,
    "gender_of": gender_of,
    "is_valid_id_number": is_valid_id_number,
}
