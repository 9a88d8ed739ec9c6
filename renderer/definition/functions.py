"""Functions that expressions may call, beyond the language's defaults: values derived from an ID number."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from renderer.definition.expressions import DEFAULT_FUNCTIONS


def is_valid_id_number(number: Any) -> bool:
    """True for an 18-character resident ID number with a correct GB 11643 check digit."""
    try:
        ric.validate(str(number or ""))
    except ValidationError:
        return False
    return True


def birth_date_of(number: Any) -> dt.date | None:
    """The birth date encoded in a resident ID number, or None."""
    try:
        return ric.get_birth_date(str(number or ""))
    except (ValidationError, ValueError):
        return None


def gender_of(number: Any) -> str | None:
    """男 or 女 from the 17th digit of an 18-digit ID number (odd is male)."""
    text = str(number or "")
    if len(text) != 18 or not text[16].isdigit() or birth_date_of(text) is None:
        return None
    return "男" if int(text[16]) % 2 else "女"


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    **DEFAULT_FUNCTIONS,
    "birth_date_of": birth_date_of,
    "gender_of": gender_of,
    "is_valid_id_number": is_valid_id_number,
}
