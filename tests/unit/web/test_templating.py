"""The page environment: compiled once (a template changed on disk is not read again unless reloading), and `a.b`
on a dict means what it means in Jinja: the key, unless dict has an attribute of that name."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from renderer.definition.languages import HONG_KONG, LANGUAGES, Converter
from renderer.web.templating import PageEnvironment, TranslatingLoader, page_environment


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


def test_globals_set_after_compiling_are_seen(tmp_path: Path) -> None:
    env = page_environment(_folder(tmp_path, "{{ asset('app.css') }}"))     # app.py sets its globals after this
    env.globals["asset"] = lambda name: f"/static/{name}"
    assert env.get_template("page.html").render() == "/static/app.css"


OPTION_LOOP = ('{% for o in options %}<option value="{{ o }}"{% if o == chosen %} selected{% endif %}>{{ o }}'
               '</option>{% endfor %}|{% for o in options %}<option{% if o == chosen %} selected{% endif %}>{{ o }}'
               '</option>{% endfor %}')
OPTION_TAGS = "{{ options | option_tags(chosen) }}|{{ options | option_tags(chosen, valued=false) }}"


def test_option_tags_are_the_loop_they_replace() -> None:
    """Escaped as `{{ o }}` escapes, every option equal to the chosen one selected, a tag never mistaken for part of
    another, and a list rendered again (from the cache) marks that page's choice only."""
    loop = PageEnvironment(autoescape=True).from_string(OPTION_LOOP)
    tags = page_environment(FileSystemLoader([])).from_string(OPTION_TAGS)
    lists: list[list[object]] = [["汉族", "壮族", "满族"], ['a"b', "<c>", "d&e", "'f'", "a"], ["x", "xx", "x", "xx"],
                                 [1, "1", 2.5, None], []]
    for options in lists:
        for chosen in [*options, "", "nothing", "1", 1.0, "None", 'a"b', "<c>", "&lt;c&gt;", None, ["x"]]:
            context = {"options": options, "chosen": chosen}
            assert tags.render(context) == loop.render(context), (options, chosen)
    assert 'value="&lt;c&gt;" selected' in tags.render({"options": lists[1], "chosen": "<c>"})
    assert tags.render({"options": lists[2], "chosen": "xx"}).count(" selected") == 4      # both lists, twice each
    assert " selected" not in tags.render({"options": lists[2], "chosen": "y"})


def test_a_changed_widget_template_is_read_again_when_reloading(tmp_path: Path) -> None:
    from jinja2 import ChoiceLoader, PrefixLoader

    from renderer.web.templating import FIELD_INCLUDE

    (tmp_path / "w").mkdir()
    (tmp_path / "page.html").write_text("{% for item in items %}[" + FIELD_INCLUDE + "]{% endfor %}", encoding="utf-8")
    (tmp_path / "w" / "x.html").write_text("x={{ item.v }}", encoding="utf-8")
    loader = ChoiceLoader([FileSystemLoader(str(tmp_path)), PrefixLoader({"widgets": FileSystemLoader(str(tmp_path / "w"))})])
    env = page_environment(loader, reload=True)
    items = [{"template": "widgets/x.html", "v": 1}]
    assert env.get_template("page.html").render(items=items) == "[x=1]"
    assert "item.template ==" in env.loader.get_source(env, "page.html")[0]       # written out, not included
    (tmp_path / "w" / "x.html").write_text("y={{ item.v }}", encoding="utf-8")
    assert env.get_template("page.html").render(items=items) == "[y=1]"


def test_phone_numbers_in_a_text_become_tel_links_and_the_rest_stays_escaped() -> None:
    from renderer.web.templating import tel_links
    shown = str(tel_links("咨询电话:12333 / 12345,网点 020-83528957。<b>"))
    assert '<a class="tel" href="tel:12333">12333</a>' in shown
    assert '<a class="tel" href="tel:12345">12345</a>' in shown
    assert '<a class="tel" href="tel:02083528957">020-83528957</a>' in shown
    assert shown.endswith("&lt;b&gt;")
    for not_a_phone in ("申请编号 SB20261203123337", "2026-12-03", "天河路1233号", "440106199001012333"):
        assert "tel:" not in str(tel_links(not_a_phone)), not_a_phone


def test_a_template_in_traditional_chinese_is_converted_once_with_its_tags_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "page.html").write_text('{% if label == "x" %}返回首页{% endif %}{{ "请选择" }}|{{ name }}', encoding="utf-8")
    loader = TranslatingLoader(FileSystemLoader(str(folder)), Converter(LANGUAGES[HONG_KONG]).plain)
    env = page_environment(loader, language=HONG_KONG)
    assert env.get_template("page.html").render(label="x", name="汉族") == "返回首頁請選擇|汉族"   # a value stays
    assert env.globals["lang"] == HONG_KONG
