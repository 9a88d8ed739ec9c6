"""繁體中文: OpenCC's regional profiles with the forms' overrides, made once at load into one twin definition per
language; values (options, data) kept as written; lint refuses an override of words the forms do not have."""
from __future__ import annotations

from pathlib import Path

from renderer.definition.languages import HONG_KONG, LANGUAGES, SIMPLIFIED, TAIWAN, Converter
from renderer.definition.loader import load_forms
from tests.formkit import codes, load_inline

FORMS = load_forms().definition
assert FORMS is not None


def test_regional_profiles_give_each_region_its_words() -> None:
    hk, tw = Converter(LANGUAGES[HONG_KONG]), Converter(LANGUAGES[TAIWAN])
    assert hk.text("申请信息") == "申請信息"          # Hong Kong keeps the word, in its characters
    assert tw.text("申请信息") == "申請資訊"          # Taiwan says 資訊
    assert tw.text("短信验证码") == "簡訊驗證碼"
    assert Converter(LANGUAGES[SIMPLIFIED]).text("申请信息") == "申请信息"


def test_an_override_beats_the_converter_and_placeholders_are_kept() -> None:
    plain = Converter(LANGUAGES[HONG_KONG])
    assert plain.text("意向发卡地") == "意向髮卡地"       # a hairpin: why forms/translations.yaml exists
    fixed = Converter(LANGUAGES[HONG_KONG], {"发卡": "發卡"})
    assert fixed.text("意向发卡地") == "意向發卡地"
    assert fixed.text("请拨打{cities[intended_city].hotline}咨询发卡") == "請撥打{cities[intended_city].hotline}諮詢發卡"


def test_the_real_forms_are_converted_with_their_overrides() -> None:
    hk = FORMS.in_language(HONG_KONG).journeys["adult"]
    tw = FORMS.in_language(TAIWAN).journeys["adult"]
    assert hk.field("intended_city").label == "意向發卡地"
    assert tw.field("intended_city").label == "意向發卡地"
    assert "獲取製卡相片" in hk.steps
    assert [p.title for p in tw.pages][-1] == "資訊確認"
    assert FORMS.in_language(SIMPLIFIED) is FORMS


def test_values_stay_simplified_in_every_language() -> None:
    for code in (HONG_KONG, TAIWAN):
        twin = FORMS.in_language(code)
        assert twin.lists == FORMS.lists and twin.residents == FORMS.residents and twin.cities == FORMS.cities
        for journey_id, journey in FORMS.journeys.items():
            for ours, theirs in zip(journey.fields, twin.journeys[journey_id].fields):
                assert ours.props.get("options") == theirs.props.get("options")
                assert ours.default == theirs.default and ours.exprs is theirs.exprs
        assert twin.shown("汉族") == "漢族"            # an option's value is shown converted …
        assert "汉族" in FORMS.lists["ethnicities"]      # … and stays what is stored


def test_each_resident_type_names_a_known_language() -> None:
    declared = {key: r.get("language", SIMPLIFIED) for key, r in FORMS.residents.items()}
    assert declared["hong_kong"] == declared["macau"] == HONG_KONG
    assert declared["taiwan"] == TAIWAN and declared["mainland"] == SIMPLIFIED
    assert set(declared.values()) <= set(LANGUAGES)


TRANSLATIONS = """
    # yaml-language-server: $schema=schema/data.schema.json
    translations:
      zh-Hant-HK:
        办事指南: 辦事指引
        申领须知: 申請須知
"""
JOURNEY = """
    journey: j
    title: 办事指南
    steps: [填写]
    pages:
      - id: one
        title: 申请须知
        step: 填写
        buttons:
          - label: 下一步
            on: {ok: {result: done}}
    results:
      - {id: done, title: 完成, text: 已完成}
"""


def test_lint_refuses_an_override_of_words_no_text_has(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/j.yaml": JOURNEY, "translations.yaml": TRANSLATIONS})
    assert codes(result) == ["translation.unknown_text"]
    error = result.errors[0]
    assert str(error.position) == "forms/translations.yaml:5:5"
    assert "'申领须知'" in error.message and "Did you mean '申请须知'?" in error.hint


def test_an_override_of_real_words_is_used(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/j.yaml": JOURNEY,
                                    "translations.yaml": TRANSLATIONS.replace("申领须知", "申请须知")})
    assert result.errors == [] and result.definition is not None
    journey = result.definition.in_language(HONG_KONG).journeys["j"]
    assert (journey.title, journey.pages[0].title) == ("辦事指引", "申請須知")


def test_an_unknown_language_in_the_overrides_is_refused(tmp_path: Path) -> None:
    result = load_inline(tmp_path, {"journeys/j.yaml": JOURNEY,
                                    "translations.yaml": TRANSLATIONS.replace("zh-Hant-HK", "zh-Hant-MO")})
    assert result.definition is None and result.errors
