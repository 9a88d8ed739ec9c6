"""The Jinja2 environment the pages are rendered with, built for speed: every template compiled once at start (no
file check per render unless an analyst's server reloads), `a.b` on the view model's plain dicts read as the item
at once instead of after a failed attribute lookup, each list of <option>s escaped and joined once, each field's
widget template written out in page.html instead of included (StitchingLoader), and the context an `{% include %}`
makes built without per-template work (see PageEnvironment)."""
from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Iterable, MutableMapping
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, Environment
from markupsafe import Markup, escape

from renderer.definition.languages import SIMPLIFIED
from renderer.definition.model import Shown

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
def _option_list(options: tuple[Any, ...], valued: bool, shown: Callable[[Any], Any] | None = None,
                 ) -> tuple[str, tuple[str, ...], tuple[str, ...], dict[Any, list[int]]]:
    """The list's tags joined; each option's tag as shown and as chosen; where each option stands in the list.
    `shown` gives an option's text in the page's language; its value stays as the forms have it."""
    shown_tags: list[str] = []
    chosen: list[str] = []
    where: dict[Any, list[int]] = {}
    for i, option in enumerate(options):
        text = escape(shown(option) if shown is not None else option)
        value = f' value="{escape(option)}"' if valued or text != escape(option) else ""
        shown_tags.append(f"<option{value}>{text}</option>")
        chosen.append(f"<option{value} selected>{text}</option>")
        where.setdefault(option, []).append(i)
    return "".join(shown_tags), tuple(shown_tags), tuple(chosen), where


# A service line (12333, 12345) or a landline with its area code (020-83528957), not inside a longer number.
PHONE_NUMBER = re.compile(r"(?<![\d-])(?:12[0-9]{3}|0\d{2,3}-\d{7,8})(?![\d-])", re.ASCII)


def tel_links(text: Any) -> Markup:
    """The text, escaped, with each phone number in it a tappable `tel:` link (on a phone, one tap calls)."""
    escaped = str(escape("" if text is None else text))
    return Markup(PHONE_NUMBER.sub(lambda m: f'<a class="tel" href="tel:{m.group(0).replace("-", "")}">{m.group(0)}</a>',
                                   escaped))


def option_tags(options: Iterable[Any], chosen: Any, valued: bool = True,
                shown: Callable[[Any], Any] | None = None) -> Markup:
    """`<option value="o">o</option>` for each option (without `valued`, `<option>o</option>`, the text being the
    value), every one equal to `chosen` marked selected; `shown` gives the text in the page's language. A long list
    (民族, a city's banks) is escaped and joined once per language; each page only swaps in the chosen tags."""
    joined, shown_tags, selected, where = _option_list(tuple(options), valued, shown)
    try:
        marked = where.get(chosen)
    except TypeError:       # a choice that cannot be a key equals no option
        marked = None
    if not marked:
        return Markup(joined)
    tags = list(shown_tags)
    for i in marked:
        tags[i] = selected[i]
    return Markup("".join(tags))


# page.html's `{% include item.template %}` (a field's widget) written out in place: a field then costs no
# include (a template lookup and a copy of the whole context each, 16 per page). Measured on 申请信息: rendering
# 540 µs -> 410 µs. A widget template that could behave differently in place keeps its include.
FIELD_INCLUDE = "{% include item.template %}"
STITCHED = ("page.html",)
WIDGETS_PREFIX = "widgets/"
PAGE_NAMES = frozenset({"item", "field", "v", "error", "err_id", "section", "loop"})   # what page.html's loop uses
_SETS = re.compile(r"{%-?\s*set\s+(\w+)")
_NOT_IN_PLACE = re.compile(r"\bloop\b|{%-?\s*(?:extends|block|macro|import|from)\b")


class StitchingLoader(BaseLoader):
    """The loader, but page.html comes with every widget template written out where it includes a field's
    widget: `{% if item.template == "widgets/x.html" %}…x…{% elif … %}…{% else %}{% include item.template %}`."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template not in STITCHED or FIELD_INCLUDE not in source:
            return source, filename, uptodate
        checks = [uptodate]
        branches: list[str] = []
        for name in sorted(n for n in self.loader.list_templates() if n.startswith(WIDGETS_PREFIX)):
            widget, _, widget_uptodate = self.loader.get_source(environment, name)
            checks.append(widget_uptodate)
            if in_place(widget):
                branches.append(f'{"{% elif" if branches else "{% if"} item.template == "{name}" %}}{widget}')
        inline = "".join(branches) + "{% else %}" + FIELD_INCLUDE + "{% endif %}" if branches else FIELD_INCLUDE
        return source.replace(FIELD_INCLUDE, inline), filename, lambda: all(c is None or c() for c in checks)


class TranslatingLoader(BaseLoader):
    """The loader, each template's text in one language: its source converted once, when it is compiled. OpenCC
    changes Han characters only, and Jinja's own syntax is ASCII, so tags and expressions come through as written."""

    def __init__(self, loader: BaseLoader, convert: Callable[[str], str]) -> None:
        self.loader, self.convert = loader, convert

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        return self.convert(source), filename, uptodate


def in_place(widget: str) -> bool:
    """Whether a widget template renders the same written out in page.html's loop as included: it names no loop,
    block, macro or import, and sets nothing the loop's body uses after it."""
    return not _NOT_IN_PLACE.search(widget) and not set(_SETS.findall(widget)) & PAGE_NAMES


def page_environment(loader: BaseLoader, reload: bool = False, language: str = SIMPLIFIED) -> PageEnvironment:
    """The environment; without `reload`, every template is compiled now and never looked at on disk again."""
    # Every template is HTML (only *.html are listed below): autoescape is on, not decided per context by name.
    env = PageEnvironment(loader=StitchingLoader(loader), autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=reload,
                          cache_size=-1)
    env.filters["option_tags"] = option_tags
    env.filters["tel_links"] = tel_links
    env.globals["lang"] = language
    # A value from the forms' data as shown (`show`), a label made of data (`say`): a journey's page brings its
    # language's (renderer/journey/view.py); other pages show them as written.
    env.globals["show"] = Shown()
    env.globals["say"] = str
    if not reload:
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)
    return env
