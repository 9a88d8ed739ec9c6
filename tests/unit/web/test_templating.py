"""The page environment: compiled once (a template changed on disk is not read again unless reloading), and `a.b`
on a dict means what it means in Jinja: the key, unless dict has an attribute of that name."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from renderer.web.templating import PageEnvironment, page_environment


def _folder(tmp_path: Path, text: str) -> FileSystemLoader:
    (tmp_path / "page.html").write_text(text, encoding="utf-8")
    return FileSystemLoader(str(tmp_path))


def test_templates_are_compiled_once_without_reload(tmp_path: Path) -> None:
    env = page_environment(_folder(tmp_path, "old"))
    (tmp_path / "page.html").write_text("new", encoding="utf-8")
    assert env.get_template("page.html").render() == "old"


def test_reload_reads_a_changed_template(tmp_path: Path) -> None:
    env = page_environment(_folder(tmp_path, "old"), reload=True)
    assert env.get_template("page.html").render() == "old"
    (tmp_path / "page.html").write_text("newer", encoding="utf-8")
    assert env.get_template("page.html").render() == "newer"


def test_dict_lookups_answer_as_jinja_does() -> None:
    source = "{{ d.label }}|{{ d.missing is undefined }}|{{ d.items is callable }}|{{ n.real }}|{{ o.label }}"

    class Named:
        label = "属性"

    context = {"d": {"label": "<民族>", "items": "not this"}, "n": 3, "o": Named()}
    fast = PageEnvironment(autoescape=True).from_string(source).render(context)
    assert fast == Environment(autoescape=True).from_string(source).render(context)
    assert fast == "&lt;民族&gt;|True|True|3|属性"
