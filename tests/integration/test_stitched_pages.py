"""page.html with each field's widget written out in place (renderer/web/templating.py, StitchingLoader) renders
every page of every journey, filled, empty and with its errors, as page.html with `{% include %}` does."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from starlette.templating import Jinja2Templates
from starlette.testclient import TestClient

from renderer.definition.languages import SIMPLIFIED
from renderer.web.app import create_app, templates
from renderer.web.config import ROOT
from renderer.web.templating import FIELD_INCLUDE, PageEnvironment, in_place
from tests.integration.conftest import Citizen, settings_for


def _included() -> PageEnvironment:
    """The same environment without stitching: page.html includes each widget."""
    env = templates().env
    plain = PageEnvironment(loader=ChoiceLoader([
        FileSystemLoader(str(ROOT / "renderer" / "web" / "templates")),
        PrefixLoader({"widgets": FileSystemLoader(str(ROOT / "widgets" / "templates"))})]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    plain.globals.update(env.globals)
    plain.filters.update(env.filters)
    return plain


def _same(html: str) -> str:
    """Without whitespace between tags, the per-response CSRF mask and the sample uploads' new ids."""
    html = re.sub(r'(name="_csrf" value=|"X-CSRF-Token": )"[^"]*"', r'\1""', html)
    html = re.sub(r"/uploads/[\w-]+", "/uploads/-", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_every_page_in_every_state_renders_as_with_includes(database: Path) -> None:
    app = create_app(settings_for(database), preview=True)
    stitched = app.state.templates
    included = {code: Jinja2Templates(env=_included()) for code in stitched}
    env = stitched[SIMPLIFIED].env
    source = env.loader.get_source(env, "page.html")[0]
    widgets = [name for name in env.loader.list_templates() if name.startswith("widgets/")]
    assert sorted(re.findall(r'item\.template == "(widgets/[^"]+)"', source)) == sorted(widgets)   # all written out
    assert source.count(FIELD_INCLUDE) == 1           # kept only for a widget template that is not
    compared = 0
    with TestClient(app, follow_redirects=True) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        for journey in app.state.engine.definition.journeys.values():
            for page in journey.pages:
                for state in ("filled", "empty", "errors"):
                    url = f"/preview/{journey.id}/{page.id}?state={state}"
                    app.state.templates = stitched
                    ours = client.get(url)
                    app.state.templates = included
                    theirs = client.get(url)
                    assert ours.status_code == theirs.status_code == 200, url
                    assert _same(ours.text) == _same(theirs.text), url
                    compared += 1
    assert compared == 3 * sum(len(j.pages) for j in app.state.engine.definition.journeys.values()) >= 3 * 15


def test_a_widget_that_would_differ_in_place_keeps_its_include() -> None:
    assert in_place('<input name="{{ field.id }}">{% set results_id = field.id ~ "-r" %}')
    assert not in_place('{% set error = "" %}<input>')              # page.html shows `error` after the widget
    assert not in_place("{{ loop.index }}")                        # the page's loop, not the widget's
    assert not in_place('{% macro x() %}{% endmacro %}')
