"""The expression language's tokens: what the analyst typed, split into names, literals and operators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class ExpressionError(Exception):
    """A syntax or name error, with the 0-based character offset into the source where it was found."""

    message: str
    offset: int
    code: str

    def __init__(self, message: str, offset: int, code: str = "expr.syntax") -> None:
        super().__init__(message)
        self.message, self.offset, self.code = message, offset, code

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- tokenizer

@dataclass(frozen=True)
class _Token:
    """One lexical token; `kind` is name, keyword, number, string, op or end."""
    kind: str
    value: Any
    offset: int
    text: str


_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".")
# Habits from other languages get a targeted hint instead of a bare "unexpected character".
_MISTAKES = {"&&": "use 'and'", "||": "use 'or'", "=": "use '==' to compare", "!": "use 'not' or '!='"}
_SYMBOLS = sorted([*_OPERATORS, *_MISTAKES], key=len, reverse=True)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _read_string(source: str, start: int) -> tuple[str, int]:
    """Read the quoted string opening at `start`; return its value and the offset just after it."""
    quote, i = source[start], start + 1
    out: list[str] = []
    while i < len(source):
        ch = source[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\\":
            nxt = source[i + 1:i + 2]
            if not nxt:  # a trailing backslash means the closing quote is missing
                break
            if nxt not in _ESCAPES:
                raise ExpressionError(
                    f"unknown escape '\\{nxt}' in string; only \\\\ \\' \\\" and \\n are allowed", i)
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    raise ExpressionError(f"unterminated string: add the closing {quote} to match this one", start)


def _tokenize(source: str) -> list[_Token]:
    """Split `source` into tokens, ending with an `end` token at len(source)."""
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch in " \t\r\n":
            i += 1
        elif ch in "'\"":
            value, end = _read_string(source, i)
            tokens.append(_Token("string", value, i, source[i:end]))
            i = end
        elif m := _NUMBER.match(source, i):
            if _IDENT.match(source, m.end()):
                raise ExpressionError("a number cannot run straight into a name; add a space or operator",
                                      m.end())
            text = m.group()
            tokens.append(_Token("number", float(text) if "." in text else int(text), i, text))
            i = m.end()
        elif m := _IDENT.match(source, i):
            word = m.group()
            tokens.append(_Token("keyword" if word in _KEYWORDS else "name", word, i, word))
            i = m.end()
        else:
            sym = next((s for s in _SYMBOLS if source.startswith(s, i)), None)
            if sym is None:
                wide = ord(ch) > 127  # full-width punctuation slips in easily from a Chinese IME
                hint = "; check for full-width or curly punctuation such as ＝ （ ） ‘ ’ “ ”" if wide else ""
                raise ExpressionError(f"unexpected character {ch!r}{hint}", i)
            if sym in _MISTAKES:
                raise ExpressionError(f"'{sym}' is not an operator here; {_MISTAKES[sym]}", i)
            tokens.append(_Token("op", sym, i, sym))
            i += len(sym)
    tokens.append(_Token("end", None, len(source), ""))
    return tokens


# ---------------------------------------------------------------- AST
