"""How personal data is shown: masked as the manual masks it (梁*锦, 440115********312, 136****2819)."""
from __future__ import annotations

import datetime as dt
from typing import Any


def mask_name(name: Any) -> str:
    """First and last character with * between; two-character names keep the first: 张*."""
    text = str(name or "")
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    if " " in text:  # romanised names: keep the first word's initial and the last word
        parts = text.split()
        return parts[0][0] + "*" * 3 + " " + parts[-1]
    return text[0] + "*" * (len(text) - 2) + text[-1]


def mask_id(number: Any) -> str:
    """First 6 and last 3 characters of an ID / social security number."""
    text = str(number or "")
    if len(text) <= 9:
        return text[:2] + "*" * max(len(text) - 4, 0) + text[-2:] if len(text) > 4 else "*" * len(text)
    return text[:6] + "*" * (len(text) - 9) + text[-3:]


def mask_phone(phone: Any) -> str:
    """136****2819."""
    text = str(phone or "")
    return text[:3] + "****" + text[-4:] if len(text) >= 8 else text


def date_compact(value: Any) -> str:
    """20230706, as the confirm page shows dates."""
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value or "")


def date_iso(value: Any) -> str:
    """2015-04-02."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


DISPLAYS = {"plain": lambda v: "" if v is None else str(v), "mask_name": mask_name, "mask_id": mask_id,
            "mask_phone": mask_phone, "date_compact": date_compact, "date_iso": date_iso}


def show(value: Any, how: str = "plain") -> str:
    """Format `value` with the named display."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date) and how == "plain":
        return date_compact(value)
    return DISPLAYS.get(how, DISPLAYS["plain"])(value)
