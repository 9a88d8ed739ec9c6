"""受理网点 search over the real Guangzhou branches of forms/cities: an exact district filter and a keyword that
forgives typos and reads pinyin and pinyin initials, best hits first."""
from __future__ import annotations

import datetime as dt
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from renderer.definition.loader import load_or_raise
from renderer.definition.model import Branch, Definition, Field, Position
from renderer.web.app import templates
from widgets import WIDGETS, FieldContext
from widgets.branch_picker import MAX_KEYWORD, _spell, search

ROOT = Path(__file__).resolve().parents[3]
HERE = Position("test.yaml", 1, 1)
ZHANQIAN = "站前路支行"
HUADI = "花地大道北支行"


@cache
def definition() -> Definition:
    return load_or_raise()


def guangzhou() -> list[Branch]:
    return list(definition().cities["广州市"].branches)


def names(found: list[Branch]) -> list[str]:
    return [b.name for b in found]


# ------------------------------------------------------------------ the keyword

@pytest.mark.parametrize("keyword", ["站前", "站钱", "zhanqian", "zql", "Zhan Qian", " ZQL ", "ｚｑｌ", "zhanqianlu",
                                     "zhanqain", "站前路支", "zqlzh", "zhanqianluzhihang", "z q l",
                                     "zhan'qian"])
def test_characters_homophones_pinyin_and_initials_find_the_branch_first(keyword: str) -> None:
    found = search(guangzhou(), "", keyword)
    assert found, f"{keyword!r} found nothing"
    assert found[0].name == ZHANQIAN


def test_a_place_in_the_name_finds_its_branch_first() -> None:
    assert names(search(guangzhou(), "", "花地"))[:1] == [HUADI]
    assert names(search(guangzhou(), "", "huadi"))[:1] == [HUADI]


@pytest.mark.parametrize("keyword", ["xyzq", "火星", "火星路", "abc", "qqqqqq",
                                     # places of other cities, close to some pinyin here yet not close enough
                                     "guandu", "xiantang", "danshui", "jida",
                                     # pinyin is read from the start of a syllable (qian, tian, jiang …)
                                     "ian", "ang"])
def test_nonsense_finds_nothing(keyword: str) -> None:
    assert search(guangzhou(), "", keyword) == []


def test_zhi_hang_is_read_as_a_branch() -> None:
    # pypinyin alone reads 支行 as zhi xing
    assert search(guangzhou(), "", "zhihang") == guangzhou()


def test_typos_are_forgiven_only_in_longer_keywords() -> None:
    # a character missing from a three-character keyword, a swapped letter in a long pinyin keyword
    assert names(search(guangzhou(), "", "东风路")) == ["东风中路支行"]
    assert names(search(guangzhou(), "", "beijnig")) == ["北京路支行"]
    # a two-character keyword with one wrong character that does not sound alike is too little to go on
    assert search(guangzhou(), "", "站后") == []


def test_no_keyword_lists_the_district_in_the_order_of_the_data() -> None:
    branches = guangzhou()
    assert search(branches, "", "") == branches
    assert search(branches, "", "   ") == branches
    liwan = [b for b in branches if b.district == "荔湾区"]
    assert len(liwan) > 1
    assert search(branches, "荔湾区", "") == liwan


# ------------------------------------------------------------------ the district

def test_the_district_filter_is_exact() -> None:
    branches = guangzhou()
    assert names(search(branches, "荔湾区", "站前")) == [ZHANQIAN]
    # a keyword that belongs to another district finds nothing, however it is typed
    for keyword in ["站前", "站钱", "zhanqian", "zql", "花地"]:
        assert search(branches, "越秀区", keyword) == [], keyword
    assert names(search(branches, "越秀区", "北京")) == ["北京路支行"]
    # part of a district's name, or one the city does not have, is not a district
    assert search(branches, "荔湾", "") == []
    assert search(branches, "荔湾区 ", "") == []
    assert search(branches, "火星区", "") == []
    assert all(b.district == "天河区" for b in search(branches, "天河区", ""))


# ------------------------------------------------------------------ the ranking

def test_a_hit_in_the_name_comes_before_one_only_in_the_address() -> None:
    found = search(guangzhou(), "", "荔湾")
    assert names(found)[0] == "荔湾支行"
    # the rest hold 荔湾 in their address, in the order of the data
    rest = [b for b in guangzhou() if "荔湾" in b.address and b.name != "荔湾支行"]
    assert found[1:] == rest


def test_exact_hits_before_homophones_before_typos_then_the_order_of_the_data() -> None:
    def branch(ident: str, name: str, address: str) -> Branch:
        return Branch(ident, name, "甲区", address, "9-17", "1")

    branches = [branch("typo", "站前街东支行", "某市某路1号"),
                branch("homophone", "占钱支行", "某市某路2号"),
                branch("address", "东门支行", "某市站前街3号"),
                branch("name-2", "站前街北支行", "某市某路4号"),
                branch("name-1", "站前街支行", "某市某路5号"),
                branch("none", "西门支行", "某市某路6号")]
    # 站前: written so in three names and one address; 占钱 only sounds so
    assert [b.id for b in search(branches, "", "站前")] == ["typo", "name-2", "name-1", "address", "homophone"]
    # 站前街支: written so in one name; one character off in two names and an address
    assert [b.id for b in search(branches, "", "站前街支")] == ["name-1", "typo", "name-2", "address"]
    # zhanqian: the pinyin of four names (the homophone too) and of an address
    assert [b.id for b in search(branches, "甲区", "zhanqian")] == ["typo", "homophone", "name-2", "name-1",
                                                                   "address"]
    assert [b.id for b in search(branches, "乙区", "站前")] == []


def test_pinyin_is_worked_out_once_per_name_and_address_not_on_every_keystroke() -> None:
    branches = guangzhou()
    search(branches, "", "zql")
    before = _spell.cache_info().misses
    for keyword in ["站前", "zhanqian", "zql", "花地", "xyzq"]:
        search(branches, "", keyword)
    assert _spell.cache_info().misses == before


# ------------------------------------------------------------------ the widget and its template

def context(raw: dict[str, str]) -> FieldContext:
    f = Field(id="branch", kind="branch_picker", label="受理网点信息", position=HERE, exprs={"city": _Const("广州市")})
    return FieldContext(field=f, raw=raw, facts={},
                        env={"cities": definition().cities, "today": dt.date(2026, 11, 26)})


def test_the_widget_lists_what_the_search_finds() -> None:
    widget = WIDGETS["branch_picker"]
    view = widget.view(context({"branch.district": "荔湾区", "branch.q": "zql"}))
    assert names(view["results"]) == [ZHANQIAN]
    assert names(widget.view(context({"branch.district": "越秀区", "branch.q": "zql"}))["results"]) == []
    assert widget.act(context({}), "search", {}).state == {"dialog": True}


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "select", "button", "ul", "p"):
            self.controls.append({"tag": tag, **dict(attrs)})

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(raw: dict[str, str]) -> _Controls:
    ctx = context(raw)
    html = templates().env.get_template("widgets/branch_picker.html").render(
        field=ctx.field, v=WIDGETS["branch_picker"].view(ctx), item={"dialog": True}, action_url="/j/adult/pickup")
    parsed = _Controls()
    parsed.feed(html)
    return parsed


def test_the_dialog_searches_live_through_htmx_and_as_a_plain_form() -> None:
    page = render({"branch.district": "荔湾区", "branch.q": "站前"})
    by_id = {c.get("id"): c for c in page.controls if c.get("id")}
    box, district = by_id["branch.q"], by_id["branch.district"]
    assert box["value"] == "站前" and box["maxlength"] == str(MAX_KEYWORD)
    for control in (box, district):
        assert control["hx-post"] == "/j/adult/pickup"
        assert control["hx-vals"] == '{"_action": "field:branch:search"}'
        assert control["hx-target"] == control["hx-select"] == "#branch-results"
    assert box["hx-trigger"] == "input changed delay:300ms, search"
    assert district["hx-trigger"] == "change"
    # without JavaScript 搜索 submits the whole form with the search action
    button = next(c for c in page.controls if c["tag"] == "button" and c.get("value") == "field:branch:search")
    assert button.get("type") == "submit" and button["hx-target"] == "#branch-results"
    picks = [c["value"] for c in page.controls if c["tag"] == "button" and (c.get("value") or "").startswith(
        "field:branch:pick:")]
    assert picks == ["field:branch:pick:gz-lw-zhanqianlu"]
    assert ZHANQIAN in "".join(page.text) and HUADI not in "".join(page.text)
    assert "共1个网点" in "".join(page.text)


def test_an_empty_result_says_so() -> None:
    page = render({"branch.district": "越秀区", "branch.q": "站前"})
    assert not any((c.get("value") or "").startswith("field:branch:pick:") for c in page.controls)
    assert "没有符合条件的网点" in "".join(page.text)


def test_no_city_bank_or_district_is_named_by_the_widget() -> None:
    cities = definition().cities
    words = set(cities) | {w for c in cities.values() for w in (*c.banks, *c.districts)}
    for path in ["widgets/branch_picker.py", "widgets/templates/branch_picker.html"]:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert [w for w in sorted(words) if w in source] == [], path


class _Const:
    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, env: Any) -> Any:
        return self.value
