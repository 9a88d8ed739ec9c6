"""What a citizen types, in one spelling: a number means one thing whatever script or keyboard wrote it.

Every typed answer (renderer/journey/answers.py) and the sign-in number pass through `typed_text` once, on the
way in; checks, records, limits and payloads see only its result. Patterns declared in YAML are matched here too,
with ASCII classes: `\\d` and `\\w` never let another script's digits through.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# An 18-character ID number (GB 11643, and the permits that follow it) whose check character was typed as x.
_ID_NUMBER_WITH_SMALL_X = re.compile(r"[0-9]{17}x", re.ASCII)


def typed_text(text: str) -> str:
    """NFKC (fullwidth letters and digits become ASCII), format characters (zero-width spaces and joiners,
    direction marks: category Cf) dropped, every decimal digit of any script as its ASCII digit, surrounding
    whitespace stripped; an ID number's check character x in upper case."""
    if not text.isascii():      # format characters go first, so that NFKC composes what they stood between
        text = unicodedata.normalize("NFKC", "".join(ch for ch in text if unicodedata.category(ch) != "Cf"))
        text = "".join(map(_ascii_digit, text))
    text = text.strip()
    return text.upper() if _ID_NUMBER_WITH_SMALL_X.fullmatch(text) else text


def _ascii_digit(ch: str) -> str:
    """A decimal digit of any script (٣, ३, ৩, 𝟛 …) as its ASCII digit; any other character as it is."""
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9 (str.isdigit alone also takes ٣, ३, ５ and ²)."""
    return text.isascii() and text.isdigit()


@functools.lru_cache(maxsize=512)
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    """A pattern declared in YAML, as lint checks it and as answers are matched: ASCII classes (re.ASCII)."""
    try:
        return re.compile(pattern, re.ASCII)
    except ValueError as exc:       # an inline (?u) against re.ASCII: a ValueError, where every other flaw is re.error
        raise re.error(str(exc), pattern, 0) from exc


def matches_whole(pattern: str, text: str) -> bool:
    """Whether the whole of `text` is written as `pattern` says."""
    return compiled_pattern(pattern).fullmatch(text) is not None
