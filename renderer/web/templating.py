"""The Jinja2 environment the pages are rendered with, built for speed: every template compiled once at start (no
file check per render unless an analyst's server reloads), and `a.b` on the view model's plain dicts read as the
item at once instead of after a failed attribute lookup."""
from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment, select_autoescape

DICT_ATTRIBUTES = frozenset(dir(dict))     # `d.items` is still the method, as Jinja has it


class PageEnvironment(Environment):
    """Jinja's Environment; `getattr` answers a dict's key first unless the name is one of dict's own attributes,
    which gives what Jinja's attribute-then-item rule gives, without raising AttributeError on every lookup."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def page_environment(loader: BaseLoader, reload: bool = False) -> PageEnvironment:
    """The environment; without `reload`, every template is compiled now and never looked at on disk again."""
    env = PageEnvironment(loader=loader, autoescape=select_autoescape(["html"]), trim_blocks=True,
                          lstrip_blocks=True, auto_reload=reload, cache_size=-1)
    if not reload:
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)
    return env
