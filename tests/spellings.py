"""Hypothesis strategies: one number as a citizen's keyboard, input method or a copy-paste may write it.

Each digit in any script Unicode has (fullwidth ５, Arabic-Indic ٥, Devanagari ५, Bengali ৫, mathematical 𝟓 …,
chosen digit by digit, so scripts mix), letters fullwidth or in the other case, format characters (zero-width
spaces and joiners, direction marks, soft hyphens) anywhere, whitespace (ideographic too) around.
"""
from __future__ import annotations

import sys
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def _scan() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    digits: dict[str, list[str]] = {str(d): [] for d in range(10)}
    format_characters = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        value = unicodedata.decimal(ch, None)
        if value is not None:
            digits[str(value)].append(ch)
        elif unicodedata.category(ch) == "Cf":
            format_characters.append(ch)
    return {d: tuple(forms) for d, forms in digits.items()}, tuple(format_characters)


DIGITS, FORMAT_CHARACTERS = _scan()
UNICODE_DIGITS = tuple(ch for forms in DIGITS.values() for ch in forms if not ch.isascii())
AROUND = (" ", "\u3000", "\u00a0", "\t", "\u2003")

# Fast and the same on every run (CI): a fixed derandomised search, no example database, no deadline (a request
# takes what the machine gives it).
SPELLINGS = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _forms(ch: str, cases: bool) -> tuple[str, ...]:
    if ch in DIGITS:
        return DIGITS[ch]
    if ch.isascii() and ch.isalpha():
        letters = {ch, ch.swapcase()} if cases else {ch}
        return tuple(sorted(letters | {chr(ord(c) + 0xFEE0) for c in letters}))    # Ａ is U+FF21
    return (ch,)


@st.composite
def spellings(draw: st.DrawFn, canonical: str, cases: bool = False, separators: str = "") -> str:
    """`canonical` written another way: every digit in some script, letters fullwidth (and with `cases` in either
    case), format characters between any two characters, whitespace around, and `separators` (e.g. " -")
    between digits."""
    inside = st.sampled_from(FORMAT_CHARACTERS + tuple(separators))
    out = [draw(st.text(st.sampled_from(AROUND), max_size=2))]
    for ch in canonical:
        out.append(draw(st.sampled_from(_forms(ch, cases))))
        out.append(draw(st.text(inside, max_size=2)))
    out.append(draw(st.text(st.sampled_from(AROUND), max_size=2)))
    return "".join(out)


def junk(max_size: int = 24) -> st.SearchStrategy[str]:
    """Anything typed: digits of every script, format characters and any other character, mixed."""
    return st.text(st.one_of(st.sampled_from(UNICODE_DIGITS), st.sampled_from(FORMAT_CHARACTERS),
                             st.characters(codec="utf-8")), max_size=max_size)
