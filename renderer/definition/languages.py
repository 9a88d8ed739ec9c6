"""The languages a citizen may read the forms in, and how a Simplified text becomes each of them.

The forms are written in Simplified Chinese. Traditional Chinese is made by OpenCC (the official `opencc` package)
with its regional profiles, once per text when the forms load: s2hk for Hong Kong and Macau (Hong Kong's standard
characters), s2twp for Taiwan (Taiwan's characters and its own words: 信息 -> 資訊, 短信 -> 簡訊, 打印 -> 列印).
Where OpenCC is wrong for a text (意向发卡地 would become 意向髮卡地, a hairpin), forms/translations.yaml says
what the right words are, per language.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import opencc

SIMPLIFIED = "zh-CN"
HONG_KONG = "zh-Hant-HK"
TAIWAN = "zh-Hant-TW"
CONVERTED_CACHE = 4096      # distinct texts made in Python (a message naming a label) kept converted per language


@dataclass(frozen=True)
class Language:
    code: str               # <html lang>, a resident type's `language:`, forms/translations.yaml's keys
    profile: str | None     # OpenCC's configuration; None: the forms' own text
    script: str             # what the language switch offers: 简体 or 繁體


LANGUAGES: dict[str, Language] = {
    SIMPLIFIED: Language(SIMPLIFIED, None, "简体"),
    # Macau residents read Hong Kong's wording and get lang="zh-Hant-HK": one language is one profile and one tag.
    HONG_KONG: Language(HONG_KONG, "s2hk", "繁體"),
    TAIWAN: Language(TAIWAN, "s2twp", "繁體"),
}
TRADITIONAL = tuple(code for code, language in LANGUAGES.items() if language.profile)

_HAN = re.compile(r"[\u3400-\u9fff]")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")      # {expression} in a popup or result text: read by the engine


class Converter:
    """Simplified text into one language: OpenCC's profile, with the forms' overrides taking precedence."""

    def __init__(self, language: Language, overrides: Mapping[str, str] | None = None) -> None:
        self.language = language
        self.overrides = dict(overrides or {})
        self._opencc = opencc.OpenCC(language.profile) if language.profile else None
        longest_first = sorted(self.overrides, key=len, reverse=True)
        self._override = re.compile("(" + "|".join(map(re.escape, longest_first)) + ")") if longest_first else None
        self.cached = lru_cache(maxsize=CONVERTED_CACHE)(self.text)

    def text(self, text: str) -> str:
        """`text` in this language; {placeholders} are kept as written (they are expressions, not words)."""
        if self._opencc is None or not _HAN.search(text):
            return text
        parts = _PLACEHOLDER.split(text)
        return "".join(part if i % 2 else self.plain(part) for i, part in enumerate(parts))

    def plain(self, text: str) -> str:
        """Every Han character of `text` converted (a template's source: Jinja's own syntax is ASCII)."""
        if self._opencc is None or not text:
            return text
        if self._override is None:
            return self._opencc.convert(text)
        parts = self._override.split(text)
        return "".join(self.overrides[part] if i % 2 else (self._opencc.convert(part) if part else "")
                       for i, part in enumerate(parts))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))
