"""A small, safe expression language for form conditions, parsed once and evaluated many times."""

from __future__ import annotations

import datetime as _dt
import difflib
import inspect
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from renderer.definition.expression_tokens import _ISO_DATE, ExpressionError, _Token, _tokenize

__all__ = ["DEFAULT_FUNCTIONS", "Expression", "ExpressionError", "compile_expression"]

Functions = Mapping[str, Callable[..., Any]]


@dataclass(frozen=True)
class _Node:
    """One AST node; `kind` says how to read `value` and `children`."""
    kind: str  # literal | name | attr | index | call | list | not | neg | and | or | binary
    value: Any = None  # the constant, the name path tuple, the attribute/function name, or the operator
    children: tuple[_Node, ...] = ()


# Evaluation recurses once per level; capping depth at load time keeps evaluate() clear of RecursionError.
_MAX_DEPTH = 100


def _depth(root: _Node) -> int:
    """Deepest nesting of the AST, computed iteratively so it cannot itself overflow."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children)
    return deepest


# ---------------------------------------------------------------- evaluation (total: never raises on data)

def _get(obj: Any, key: str) -> Any:
    """Read field `key` of a mapping or object, or None."""
    try:
        if obj is None:
            return None
        if isinstance(obj, Mapping):
            return obj.get(key)
        # Dunder/private attributes are the classic sandbox escape (__class__, __globals__).
        return None if key.startswith("_") else getattr(obj, key, None)
    except Exception:  # noqa: BLE001 - a misbehaving attribute reads as nothing: a condition never fails a page
        return None


def _index(obj: Any, key: Any) -> Any:
    """Subscript a mapping or sequence, or None."""
    try:
        if isinstance(obj, Mapping):
            return obj.get(key)
        if isinstance(obj, (list, tuple, str)) and isinstance(key, int) and not isinstance(key, bool):
            return obj[key]
        return None
    except Exception:  # noqa: BLE001 - unhashable key, index out of range, misbehaving mapping
        return None


def _to_date(value: Any) -> _dt.date | None:
    """Coerce a date, datetime or ISO 'YYYY-MM-DD' string to a date, or None."""
    if isinstance(value, _dt.date):
        return value.date() if isinstance(value, _dt.datetime) else value
    try:
        iso = isinstance(value, str) and _ISO_DATE.fullmatch(value)
        return _dt.date.fromisoformat(value) if iso else None
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        return None


def _align_dates(a: Any, b: Any) -> tuple[Any, Any]:
    """Make a date comparable with an ISO string or datetime on the other side (form posts carry strings)."""
    if type(a) is type(b) or not (isinstance(a, _dt.date) or isinstance(b, _dt.date)):
        return a, b
    da, db = _to_date(a), _to_date(b)
    return (da, db) if da is not None and db is not None else (a, b)


def _is_number(value: Any) -> bool:
    """True for int/float but not bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_COMPARISONS = frozenset({"==", "!=", *_ORDERING, "in", "not in"})
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _compare(op: str, a: Any, b: Any) -> bool:
    """Apply a comparison; when it cannot apply the answer is False (True for '!=' and 'not in')."""
    if op in ("in", "not in"):
        try:
            found = bool(a in b)
        except Exception:  # noqa: BLE001 - right side None or not a container, or the item unhashable
            found = False
        return found if op == "in" else not found
    a, b = _align_dates(a, b)
    try:
        if op in ("==", "!="):
            return bool(a == b) == (op == "==")
        return bool(_ORDERING[op](a, b))
    except Exception:  # noqa: BLE001 - ordering against None or across types raises: that means False
        return op == "!="


def _arithmetic(op: str, a: Any, b: Any) -> Any:
    """Apply + - * /, or None on None, mismatched types or division by zero."""
    if a is None or b is None:
        return None
    # Restrict * and / to numbers so "'x' * 99999999" cannot allocate gigabytes on the server.
    if op in ("*", "/") and not (_is_number(a) and _is_number(b)):
        return None
    try:
        return _ARITHMETIC[op](a, b)
    except Exception:  # noqa: BLE001 - arithmetic on missing answers is nothing, not a 500
        return None


def _run(node: _Node, env: Mapping[str, Any], fns: Functions) -> Any:
    """Evaluate one AST node."""
    kind, value, kids = node.kind, node.value, node.children
    if kind == "literal":
        return value
    if kind == "name":
        result = env.get(value[0])
        for segment in value[1:]:
            result = _get(result, segment)
        return result
    if kind in ("and", "or"):  # short-circuit: the right side is only evaluated when needed
        left = bool(_run(kids[0], env, fns))
        if left == (kind == "or"):
            return left
        return bool(_run(kids[1], env, fns))
    args = [_run(kid, env, fns) for kid in kids]
    if kind == "attr":
        return _get(args[0], value)
    if kind == "index":
        return _index(args[0], args[1])
    if kind == "list":
        return args  # a fresh list per evaluation, so callers may mutate it
    if kind == "not":
        return not args[0]
    if kind == "neg":
        return -args[0] if _is_number(args[0]) else None
    if kind == "call":
        try:
            return fns[value](*args)
        except Exception:  # noqa: BLE001 - a function given a missing or odd answer returns nothing
            return None
    if value in _COMPARISONS:
        return _compare(value, args[0], args[1])
    return _arithmetic(value, args[0], args[1])


# ---------------------------------------------------------------- parser

def _did_you_mean(word: str, candidates: Collection[str]) -> str:
    """A "; did you mean 'x'?" suffix, or else a list of what is allowed."""
    shown = sorted(candidates)
    close = difflib.get_close_matches(word, shown, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    listed = ", ".join(f"'{name}'" for name in shown[:12]) + (", ..." if len(shown) > 12 else "")
    return f"; expected one of: {listed}" if shown else ""


def _describe(tok: _Token) -> str:
    """Name a token for an error message."""
    return "the end of the expression" if tok.kind == "end" else f"'{tok.text}'"


class _Parser:
    """Recursive-descent parser over a token list; collects referenced names as it goes."""

    def __init__(self, source: str, known_roots: frozenset[str], functions: Functions) -> None:
        self.tokens = _tokenize(source)
        self.pos = 0
        self.known_roots = known_roots
        self.functions = functions
        self.names: set[str] = set()

    def peek(self, ahead: int = 0) -> _Token:
        """Look at a token without consuming it."""
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        """Consume and return the current token."""
        tok = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return tok

    def at(self, value: str, ahead: int = 0) -> bool:
        """True if the token is the given operator or keyword."""
        tok = self.peek(ahead)
        return tok.kind in ("op", "keyword") and tok.value == value

    def expect(self, value: str, opener: _Token) -> None:
        """Consume the bracket that closes `opener`."""
        if not self.at(value):
            tok = self.peek()
            raise ExpressionError(f"expected '{value}' to close the '{opener.text}' at offset "
                                  f"{opener.offset} but found {_describe(tok)}", tok.offset)
        self.advance()

    def parse(self) -> _Node:
        """Parse a whole expression and require that nothing follows it."""
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise ExpressionError(f"unexpected {_describe(tok)} after a complete expression; "
                                  "combine conditions with 'and' / 'or'", tok.offset)
        return node

    def left_assoc(self, ops: tuple[str, ...], operand: Callable[[], _Node]) -> _Node:
        """A left-associative chain of `operand`s joined by any of `ops`."""
        node = operand()
        while any(self.at(op) for op in ops):
            op = str(self.advance().value)
            node = _Node(op if op in ("and", "or") else "binary", op, (node, operand()))
        return node

    def parse_or(self) -> _Node:
        """Lowest precedence: or."""
        return self.left_assoc(("or",), self.parse_and)

    def parse_and(self) -> _Node:
        """and, binding tighter than or."""
        return self.left_assoc(("and",), self.parse_not)

    def parse_additive(self) -> _Node:
        """+ and -, binding tighter than comparisons."""
        return self.left_assoc(("+", "-"), self.parse_term)

    def parse_term(self) -> _Node:
        """* and /, binding tighter than + and -."""
        return self.left_assoc(("*", "/"), self.parse_unary)

    def parse_not(self) -> _Node:
        """Unary `not`, binding looser than comparisons."""
        if self.at("not"):
            self.advance()
            return _Node("not", None, (self.parse_not(),))
        return self.parse_comparison()

    def comparison_ahead(self) -> str | None:
        """The comparison operator at the cursor, if any ('not in' spans two tokens)."""
        tok = self.peek()
        if (tok.kind == "op" and tok.value in _COMPARISONS) or self.at("in"):
            return str(tok.value)
        return "not in" if self.at("not") and self.at("in", 1) else None

    def parse_comparison(self) -> _Node:
        """A single, non-chaining comparison."""
        left = self.parse_additive()
        op = self.comparison_ahead()
        if op is None:
            return left
        self.pos += 2 if op == "not in" else 1
        right = self.parse_additive()
        if self.comparison_ahead() is not None:
            raise ExpressionError("comparisons cannot be chained; write 'a < b and b < c' instead",
                                  self.peek().offset)
        return _Node("binary", op, (left, right))

    def parse_unary(self) -> _Node:
        """Unary minus, then postfix subscripts and attribute access."""
        if self.at("-"):
            self.advance()
            return _Node("neg", None, (self.parse_unary(),))
        node = self.parse_atom()
        while self.at("[") or self.at("."):
            opener = self.advance()
            if opener.value == ".":
                node = _Node("attr", self.field_name(), (node,))
            else:
                index = self.parse_or()
                self.expect("]", opener)
                node = _Node("index", None, (node, index))
        return node

    def field_name(self) -> str:
        """The identifier after a '.'."""
        tok = self.advance()
        if tok.kind != "name":
            raise ExpressionError(f"expected a field name after '.' but found {_describe(tok)}", tok.offset)
        return str(tok.value)

    def parse_atom(self) -> _Node:
        """Literals, parentheses, list literals, names and calls."""
        tok = self.advance()
        if tok.kind in ("number", "string"):
            return _Node("literal", tok.value)
        if tok.kind == "keyword" and tok.value in ("true", "false", "null"):
            return _Node("literal", {"true": True, "false": False, "null": None}[tok.value])
        if tok.kind == "op" and tok.value == "(":
            node = self.parse_or()
            self.expect(")", tok)
            return node
        if tok.kind == "op" and tok.value == "[":
            return _Node("list", None, self.parse_items("]", tok))
        if tok.kind == "name":
            return self.parse_name(tok)
        raise ExpressionError("expected a value (a name, number, string, list or '(') "
                              f"but found {_describe(tok)}", tok.offset)

    def parse_items(self, closer: str, opener: _Token) -> tuple[_Node, ...]:
        """Comma-separated expressions up to `closer`; a trailing comma is allowed."""
        items: list[_Node] = []
        while not self.at(closer):
            items.append(self.parse_or())
            if not self.at(","):
                break
            self.advance()
        self.expect(closer, opener)
        return tuple(items)

    def parse_name(self, first: _Token) -> _Node:
        """A dotted name, or a function call when followed by '('."""
        path = [str(first.value)]
        while self.at("."):
            self.advance()
            path.append(self.field_name())
        dotted = ".".join(path)
        if self.at("("):
            if len(path) > 1:
                raise ExpressionError(f"'{dotted}' is a field and cannot be called; only functions can",
                                      first.offset)
            return self.parse_call(first)
        if path[0] not in self.known_roots:
            literal = {"True": "true", "False": "false", "None": "null"}.get(path[0])
            hint = (f"; did you mean '{literal}'? (literals are lowercase)" if literal
                    else _did_you_mean(path[0], self.known_roots))
            raise ExpressionError(f"unknown name '{path[0]}'{hint}", first.offset, "expr.unknown_name")
        self.names.add(dotted)
        return _Node("name", tuple(path))

    def parse_call(self, name_tok: _Token) -> _Node:
        """name(args...), checked against the function table and the function's signature."""
        name = str(name_tok.value)
        fn = self.functions.get(name)
        if fn is None:
            raise ExpressionError(f"unknown function '{name}'{_did_you_mean(name, self.functions)}",
                                  name_tok.offset, "expr.unknown_function")
        args = self.parse_items(")", self.advance())
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):  # some builtins expose no signature; a bad call then yields None
            return _Node("call", name, args)
        try:
            signature.bind(*args)
        except TypeError:
            raise ExpressionError(f"wrong number of arguments: {name}{signature} cannot take {len(args)}",
                                  name_tok.offset, "expr.arity") from None
        return _Node("call", name, args)


# ---------------------------------------------------------------- public API

@dataclass(frozen=True)
class Expression:
    """A compiled expression; evaluate() never raises for data reasons."""

    source: str
    names: frozenset[str]
    _node: _Node = field(repr=False, compare=False)
    _functions: Functions = field(repr=False, compare=False)

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """Evaluate against `env` and return the raw value (callers apply bool() for conditions)."""
        return _run(self._node, env if isinstance(env, Mapping) else {}, self._functions)


def compile_expression(source: str, *, known_roots: Collection[str],
                       functions: Mapping[str, Callable[..., Any]] | None = None) -> Expression:
    """Parse `source`; raise ExpressionError for bad syntax, for a name whose FIRST segment is not in known_roots, or for an unknown function."""
    if isinstance(known_roots, str):  # a bare string would silently become a set of characters
        raise TypeError("known_roots must be a collection of names, not a string")
    # `functions` replaces the defaults rather than extending them; pass {**DEFAULT_FUNCTIONS, ...} to extend.
    table = MappingProxyType(dict(DEFAULT_FUNCTIONS if functions is None else functions))
    parser = _Parser(source, frozenset(known_roots), table)
    try:
        node: _Node | None = parser.parse()
    except RecursionError:  # pathological nesting must surface as a form error, not crash form loading
        node = None
    if node is None or _depth(node) > _MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {_MAX_DEPTH} levels deep; split it up", 0)
    return Expression(source, frozenset(parser.names), node, table)


# ---------------------------------------------------------------- default functions

def _age(born: Any, on: Any = None) -> int | None:
    """Whole years from `born` to `on` (default today), or None if either is not a date."""
    start, end = _to_date(born), (_dt.date.today() if on is None else _to_date(on))
    if start is None or end is None:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _empty(value: Any) -> bool:
    """True for None and for empty strings, lists, tuples, sets and mappings."""
    if value is None:
        return True
    return isinstance(value, (str, list, tuple, set, frozenset, Mapping)) and len(value) == 0


DEFAULT_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType({
    "len": len,
    "today": lambda: _dt.date.today(),
    "age": _age,
    "lower": lambda value: value.lower() if isinstance(value, str) else None,
    "upper": lambda value: value.upper() if isinstance(value, str) else None,
    "empty": _empty,
})
