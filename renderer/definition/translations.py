"""forms/translations.yaml: where OpenCC's conversion is wrong, the right words per language; each must be words the
forms really have, or the override would silently do nothing (a text reworded since, a typo)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from renderer.definition.catalogue import phrase, problem
from renderer.definition.errors import LoadError
from renderer.definition.reader import Document

KEY = "translations"


def overrides_of(docs: Sequence[Document]) -> dict[str, dict[str, str]]:
    """language -> {Simplified words: the right words in that language}, from every translations file."""
    overrides: dict[str, dict[str, str]] = {}
    for doc in docs:
        for language, pairs in (doc.data.get(KEY) or {}).items():
            overrides.setdefault(str(language), {}).update({str(k): str(v) for k, v in (pairs or {}).items()})
    return overrides


def translation_errors(docs: Sequence[Document], texts: Iterable[str]) -> list[LoadError]:
    """An override whose Simplified words are in no text of the forms is an error at its line."""
    known = list(dict.fromkeys(texts))
    corpus = "\n".join(known)
    errors: list[LoadError] = []
    for doc in docs:
        for language, pairs in (doc.data.get(KEY) or {}).items():
            for words in (pairs or {}):
                if str(words) not in corpus:
                    errors.append(problem("translation.unknown_text", doc.key_position([KEY, language, words]),
                                          f"{KEY}.{language}.{words}", words=words, language=language,
                                          suggestion=_nearest(str(words), known)))
    return errors


def _nearest(words: str, texts: Sequence[str]) -> str:
    """A ` Did you mean 'x'?` naming the closest words of the same length in the forms' texts, or ''."""
    windows = {text[i:i + len(words)] for text in texts for i in range(max(1, len(text) - len(words) + 1))}
    close = difflib.get_close_matches(words, windows, n=1, cutoff=0.5)
    return phrase("did_you_mean", name=close[0]) if close else ""
