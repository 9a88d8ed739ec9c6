"""The Jinja2 environment the pages are rendered with, built for speed: every template compiled once at start (no
file check per render unless an analyst's server reloads), `a.b` on the view model's plain dicts read as the item
at once instead of after a failed attribute lookup, each list of <option>s escaped and joined once, and the context
each `{% include %}` of a field makes built without per-template work (see PageEnvironment)."""
from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, MutableMapping
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, Environment
from markupsafe import Markup, escape

DICT_ATTRIBUTES = frozenset(dir(dict))     # `d.items` is still the method, as Jinja has it
OPTION_LISTS = 1024                        # distinct lists kept: the YAML's lists, cities' banks, a region's levels


class PageEnvironment(Environment):
    """Jinja's Environment, cheaper where a page spends its time.

    `getattr` answers a dict's key first unless the name is one of dict's own attributes, which gives what Jinja's
    attribute-then-item rule gives, without raising AttributeError on every lookup. A template without globals of
    its own shares the environment's dict instead of a ChainMap over it, so the context each include makes copies
    a dict rather than walking a ChainMap (nothing here adds globals per template or changes them per render)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return ChainMap(d, self.globals) if d else self.globals


@lru_cache(maxsize=OPTION_LISTS)
def _option_list(options: tuple[Any, ...], valued: bool) -> tuple[str, tuple[str, ...], tuple[str, ...],
                                                                  dict[Any, list[int]]]:
    """The list's tags joined; each option's tag as shown and as chosen; where each option stands in the list."""
    shown: list[str] = []
    chosen: list[str] = []
    where: dict[Any, list[int]] = {}
    for i, option in enumerate(options):
        text = escape(option)
        value = f' value="{text}"' if valued else ""
        shown.append(f"<option{value}>{text}</option>")
        chosen.append(f"<option{value} selected>{text}</option>")
        where.setdefault(option, []).append(i)
    return "".join(shown), tuple(shown), tuple(chosen), where


def option_tags(options: Iterable[Any], chosen: Any, valued: bool = True) -> Markup:
    """`<option value="o">o</option>` for each option (without `valued`, `<option>o</option>`, the text being the
    value), every one equal to `chosen` marked selected. A long list (民族, a city's banks) is escaped and joined
    once; each page only swaps in the chosen tags."""
    joined, shown, selected, where = _option_list(tuple(options), valued)
    try:
        marked = where.get(chosen)
    except TypeError:       # a choice that cannot be a key equals no option
        marked = None
    if not marked:
        return Markup(joined)
    tags = list(shown)
    for i in marked:
        tags[i] = selected[i]
    return Markup("".join(tags))


def page_environment(loader: BaseLoader, reload: bool = False) -> PageEnvironment:
    """The environment; without `reload`, every template is compiled now and never looked at on disk again."""
    # Every template is HTML (only *.html are listed below): autoescape is on, not decided per context by name.
    env = PageEnvironment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=reload,
                          cache_size=-1)
    env.filters["option_tags"] = option_tags
    if not reload:
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)
    return env
