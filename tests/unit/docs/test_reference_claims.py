"""Each behaviour docs/dsl-reference.md describes, outside the field settings, has a test that shows it.

CLAIMS maps every described property of forms/schema/*.schema.json (those of `$defs/field` are covered per kind by
tests/unit/widgets/test_settings.py) to the tests that show what its description says. A new property needs an entry;
an entry must name tests that exist.
"""
from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SCHEMAS = {"form": REPO / "forms/schema/form.schema.json", "data": REPO / "forms/schema/data.schema.json"}
BROKEN = REPO / "tests/fixtures/forms/broken"

LOADER = "tests/unit/definition/test_loader.py"
BROKEN_TEST = "tests/unit/definition/test_broken_catalogue.py::test_a_broken_form_reports_exactly_its_problems"
PAGES = "tests/integration/test_reference_pages.py"
GUIDE = f"{PAGES}::test_the_guide_shows_the_journey_title_and_its_blocks"
CONFIRM = f"{PAGES}::test_the_confirm_page_shows_its_steps_sections_rows_and_edit_links"
PAGE = f"{PAGES}::test_a_page_shows_its_note_fields_and_section_titles"
RESULT = f"{PAGES}::test_a_result_shows_its_title_icon_text_and_buttons"
LINKS = "tests/unit/journey/test_links.py"
WALKER = "tests/unit/journey/test_walker.py"
VERIFY = "tests/integration/test_verification.py"
RESULTS = "tests/unit/journey/test_results.py"
RECEIPTS = "tests/integration/test_receipts.py"
E2E_ADULT = "tests/e2e/test_adult_journey.py"
GUARDIAN = "tests/integration/test_web.py::test_guardian_application_carries_both_guardian_and_child"
HONG_KONG = "tests/integration/test_web.py::test_hong_kong_resident_chooses_a_document_and_may_only_collect_at_a_branch"
LOW_CODE = "tests/e2e/test_low_code.py::test_a_new_resident_type_applies_in_a_new_city"
DOCUMENTS = "tests/unit/widgets/test_documents.py"
BEHAVIOUR = "tests/unit/docs/test_reference_behaviour.py"
MEANING = "tests/unit/definition/test_meaning.py"
BRANCH = "tests/unit/widgets/test_widgets.py::test_branch_must_belong_to_the_issuing_city"
SWITCH = "tests/integration/test_language_switch.py"
TRANSLATE = "tests/unit/definition/test_translate.py"


def broken(name: str) -> str:
    return f"{BROKEN_TEST}[{name}]"


CLAIMS: dict[str, tuple[str, ...]] = {
    # journeys and fragments: the top level
    "form:journey": (GUIDE,),
    "form:fragment": (f"{LOADER}::test_include_fragment_and_override", broken("22-include-misspelt-fragment")),
    "form:title": (GUIDE,),
    "form:in_flight": ("tests/integration/test_versions.py::test_a_citizen_in_flight_finishes_after_a_change",
                       "tests/integration/test_versions.py::test_continue_keeps_every_citizen_on_their_version"),
    "form:home_link": (f"{PAGES}::test_the_home_page_links_each_journey_by_its_home_link",),
    "form:steps": (CONFIRM, broken("18-unknown-step")),
    "form:derived": (CONFIRM,),
    "form:pages": (f"{WALKER}::test_route_follows_the_answers", broken("47-unreachable-skipped-page")),
    "form:results": (RESULT, broken("21-result-id-misspelt"), broken("48-unreachable-result")),
    "form:popups": (f"{LINKS}::test_a_confirmation_popup_comes_before_the_action", broken("20-popup-id-misspelt")),
    "form:applicant": (GUARDIAN,),
    "form:verify": (f"{VERIFY}::test_a_page_that_needs_the_face_check_sends_a_citizen_without_a_pass_to_it_first",
                    f"{VERIFY}::test_a_post_to_such_a_page_without_a_pass_is_not_taken",
                    f"{VERIFY}::test_calls_listed_in_another_order_still_verify_first",
                    broken("58-face-check-left-out"), broken("60-verify-block-deleted")),
    "form:verify[].service": (f"{VERIFY}::test_a_page_that_needs_the_face_check_sends_a_citizen_without_a_pass_to_it_first",
                              broken("93-verify-declared-twice")),
    "form:verify[].from": (f"{VERIFY}::test_a_page_that_needs_the_face_check_sends_a_citizen_without_a_pass_to_it_first",
                           broken("94-verify-from-misspelt")),
    "form:verify[].valid_minutes": (f"{VERIFY}::test_a_pass_is_kept_for_the_declared_minutes_then_asked_again",),
    "form:verify[].failed": (f"{VERIFY}::test_a_failed_check_before_a_page_goes_back_to_the_guide_with_the_declared_message",
                             f"{VERIFY}::test_a_failed_check_at_a_button_stays_on_the_guide"),
    # pageOrInclude, page, block, section, rule
    "form:pageOrInclude.include": (f"{LOADER}::test_include_fragment_and_override", broken("53-include-inside-fragment"),
                                   broken("54-include-cycle")),
    "form:pageOrInclude.override": (f"{LOADER}::test_override_merges_fields_by_id", broken("23-override-unknown-page"),
                                    f"{MEANING}::test_an_overridden_page_key_is_reported_in_the_journey_that_overrides_it"),
    "form:page.id": (GUIDE, broken("13-page-id-capitals"), broken("15-duplicate-page-id")),
    "form:page.title": (CONFIRM,),
    "form:page.step": (CONFIRM, broken("18-unknown-step")),
    "form:page.note": (PAGE,),
    "form:page.banner": (f"{WALKER}::test_edit_that_makes_a_page_required_goes_there_with_a_banner_then_back_to_confirm",),
    "form:page.blocks": (GUIDE,),
    "form:page.fields": (PAGE,),
    "form:page.sections": (PAGE,),
    "form:page.confirm": (CONFIRM, broken("42-confirm-page-with-fields")),
    "form:page.buttons": (f"{LOADER}::test_button_without_ok_outcome", f"{WALKER}::test_route_follows_the_answers"),
    "form:block.title": (GUIDE,),
    "form:block.lines": (GUIDE,),
    "form:block.items": (GUIDE,),
    "form:block.items[].term": (GUIDE,),
    "form:block.items[].text": (GUIDE,),
    "form:block.items_from": (GUIDE,),
    "form:block.items_from.term": (GUIDE,),
    "form:block.items_from.text": (GUIDE,),
    "form:section.title": (PAGE,),
    "form:section.fields": (PAGE,),
    "form:rule.message": ("tests/unit/widgets/test_settings.py::test_setting_has_its_effect",),
    # button, route
    "form:button.label": (f"{LINKS}::test_a_confirmation_popup_comes_before_the_action",),
    "form:button.calls": (f"{VERIFY}::test_calls_listed_in_another_order_still_verify_first",
                          f"{E2E_ADULT}::test_liu_yang_with_an_application_stays_on_the_guide"),
    "form:button.calls[].with": (GUARDIAN, f"{LOADER}::test_unknown_service_argument"),
    "form:button.calls[].keep": (GUARDIAN,),
    "form:button.confirm": (f"{LINKS}::test_a_confirmation_popup_comes_before_the_action",),
    "form:button.guards": (f"{E2E_ADULT}::test_foreigner_is_told_online_is_not_supported",),
    "form:button.guards[].popup": (f"{E2E_ADULT}::test_foreigner_is_told_online_is_not_supported",),
    "form:button.guards[].message": (f"{BEHAVIOUR}::test_a_guard_message_stays_on_the_page",),
    "form:button.on": (f"{LOADER}::test_an_outcome_no_service_gives", f"{LOADER}::test_button_without_ok_outcome"),
    "form:route.next": (f"{WALKER}::test_edit_without_consequences_returns_straight_to_confirm", broken("45-next-false")),
    "form:route.goto": (broken("19-goto-misspelt-page"), broken("88-goto-loop")),
    "form:route.result": (RESULT, broken("21-result-id-misspelt")),
    "form:route.popup": (f"{E2E_ADULT}::test_jiang_lizhi_meets_the_one_person_one_card_popup",),
    "form:route.message": (f"{VERIFY}::test_a_failed_check_at_a_button_stays_on_the_guide",),
    "form:route.journey": ("tests/e2e/test_minor_journey.py::test_wang_fang_applies_for_herself_from_the_minor_guide",
                           broken("37-link-unknown-journey")),
    "form:route.page": ("tests/e2e/test_minor_journey.py::test_wang_fang_applies_for_herself_from_the_minor_guide",),
    "form:route.entry": ("tests/e2e/test_minor_journey.py::test_wang_fang_applies_for_herself_from_the_minor_guide",),
    "form:route.error": (f"{LINKS}::test_an_outcome_can_put_its_reason_next_to_a_field", broken("46-error-field-unknown")),
    "form:route.error.field": (f"{LINKS}::test_an_outcome_can_put_its_reason_next_to_a_field",),
    "form:route.error.message": (f"{LINKS}::test_an_outcome_can_put_its_reason_next_to_a_field",),
    # confirm sections, results, links, popups
    "form:confirmSection.title": (CONFIRM,),
    "form:confirmSection.edit": (CONFIRM, broken("24-confirm-edits-later-page")),
    "form:confirmSection.shows": (CONFIRM, broken("25-confirm-shows-unknown-field"), broken("43-shows-not-a-list")),
    "form:confirmSection.shows[].label": (CONFIRM,),
    "form:confirmSection.shows[].field": ("tests/unit/journey/test_payload.py::test_the_confirm_sections_are_kept_as_shown",),
    "form:confirmSection.shows[].fields": (CONFIRM,),
    "form:confirmSection.shows[].display": (CONFIRM,),
    "form:result.id": (RESULT,),
    "form:result.title": (RESULT,),
    "form:result.icon": (RESULT,),
    "form:result.text": (RESULT,),
    "form:result.buttons": (RESULT, f"{E2E_ADULT}::test_zhao_min_is_rejected_told_what_to_do_and_finds_her_answers_kept"),
    "form:result.shows": (f"{RESULTS}::test_submitted_shows_the_application_number_and_offers_the_receipt",
                          f"{RECEIPTS}::test_submitted_shows_the_number_the_province_gave_and_what_happens_next"),
    "form:result.shows[].label": (f"{RESULTS}::test_submitted_shows_the_application_number_and_offers_the_receipt",),
    "form:result.shows[].value": (f"{RESULTS}::test_submitted_shows_the_application_number_and_offers_the_receipt",
                                  f"{RESULTS}::test_no_number_no_row_and_no_receipt"),
    "form:result.next": (f"{RECEIPTS}::test_submitted_shows_the_number_the_province_gave_and_what_happens_next",),
    "form:result.reasons": (f"{RESULTS}::test_a_reason_the_citizen_cannot_fix_offers_no_resubmission",
                            f"{RECEIPTS}::test_a_rejection_resubmitting_cannot_fix_is_explained_with_12333_and_no_resubmit"),
    "form:result.otherwise": (f"{RESULTS}::test_any_other_reason_offers_resubmission_with_the_general_advice",),
    "form:advice.explain": (f"{RESULTS}::test_a_reason_the_citizen_cannot_fix_offers_no_resubmission",),
    "form:advice.advice": (f"{RECEIPTS}::test_a_rejection_resubmitting_cannot_fix_is_explained_with_12333_and_no_resubmit",),
    "form:advice.retry": (f"{RESULTS}::test_a_reason_the_citizen_cannot_fix_offers_no_resubmission",
                          f"{RESULTS}::test_any_other_reason_offers_resubmission_with_the_general_advice"),
    "form:link.resubmit": (f"{RESULTS}::test_a_reason_the_citizen_cannot_fix_offers_no_resubmission",
                           f"{RESULTS}::test_any_other_reason_offers_resubmission_with_the_general_advice"),
    "form:receipt": (f"{RECEIPTS}::test_the_receipt_page_shows_number_date_masked_person_and_pickup",
                     f"{RECEIPTS}::test_the_receipt_pdf_has_the_same_facts_in_its_text"),
    "form:receipt.title": (f"{RECEIPTS}::test_the_receipt_pdf_has_the_same_facts_in_its_text",),
    "form:receipt.sections": (f"{RECEIPTS}::test_the_receipt_page_shows_number_date_masked_person_and_pickup",
                              broken("95-receipt-section-misspelt")),
    "form:link.label": (RESULT,),
    "form:link.goto": (f"{E2E_ADULT}::test_zhao_min_is_rejected_told_what_to_do_and_finds_her_answers_kept",
                       f"{LINKS}::test_return_point_must_name_a_real_page"),
    "form:link.href": (f"{BEHAVIOUR}::test_a_link_href_leads_to_that_address",),
    "form:link.journey": (f"{LINKS}::test_popup_link_remembers_the_page_and_the_other_journey_returns_there",
                          f"{LINKS}::test_without_a_return_point_the_link_falls_back_to_its_journey"),
    "form:link.page": (f"{LINKS}::test_popup_link_remembers_the_page_and_the_other_journey_returns_there",),
    "form:link.remember": (f"{LINKS}::test_popup_link_remembers_the_page_and_the_other_journey_returns_there",),
    "form:popup.title": (f"{LINKS}::test_a_confirmation_popup_comes_before_the_action",),
    "form:popup.text": (f"{E2E_ADULT}::test_jiang_lizhi_meets_the_one_person_one_card_popup",),
    "form:popup.buttons": (f"{LINKS}::test_a_confirmation_popup_comes_before_the_action",
                           broken("84-popup-button-without-journey")),
    # data files: lists, cities, resident types
    "data:list": (f"{MEANING}::test_options_are_resolved_from_lists_inline_lists_and_cities",
                  broken("30-lists-name-misspelt"), broken("41-list-declared-twice")),
    "data:title": (f"{LOADER}::test_every_file_under_forms_loads_without_errors",),
    "data:options": (f"{MEANING}::test_options_are_resolved_from_lists_inline_lists_and_cities",
                     broken("44-list-option-twice")),
    "data:tree": ("tests/unit/widgets/test_widgets.py::test_region_needs_all_three_levels",),
    "data:items": ("tests/unit/widgets/test_documents.py::test_a_typed_number_in_either_of_two_formats_is_accepted",),
    "data:city": (BRANCH, LOW_CODE, broken("36-city-not-issuing")),
    "data:code": (f"{BEHAVIOUR}::test_a_city_s_code_and_hotline_are_read_and_compared",),
    "data:hotline": (f"{BEHAVIOUR}::test_a_city_s_code_and_hotline_are_read_and_compared",
                     broken("89-city-missing-hotline")),
    "data:banks": (f"{MEANING}::test_options_are_resolved_from_lists_inline_lists_and_cities",
                   LOW_CODE),
    "data:districts": ("tests/unit/widgets/test_branch_search.py", broken("35-branch-unknown-district")),
    "data:branches": (BRANCH, broken("92-city-without-branches")),
    "data:branches[].id": (BRANCH,),
    "data:branches[].name": (CONFIRM,),
    "data:branches[].bank": ("tests/unit/widgets/test_branch_search.py",),
    "data:branches[].district": ("tests/unit/widgets/test_branch_search.py", broken("35-branch-unknown-district")),
    "data:branches[].address": (CONFIRM,),
    "data:branches[].hours": ("tests/unit/widgets/test_branch_search.py",),
    "data:branches[].phone": (CONFIRM,),
    "data:residents": (LOW_CODE, HONG_KONG),
    "data:residents.*.label": (LOW_CODE,),
    "data:residents.*.online": (f"{E2E_ADULT}::test_foreigner_is_told_online_is_not_supported",),
    "data:residents.*.refusal": (f"{E2E_ADULT}::test_foreigner_is_told_online_is_not_supported",),
    "data:residents.*.nationality": (CONFIRM,),
    "data:residents.*.language": (f"{SWITCH}::test_each_resident_type_reads_its_own_language_until_they_choose",
                                  f"{TRANSLATE}::test_each_resident_type_names_a_known_language", HONG_KONG),
    "data:translations": (f"{TRANSLATE}::test_an_override_of_real_words_is_used",
                          f"{TRANSLATE}::test_lint_refuses_an_override_of_words_no_text_has"),
    "data:translations.zh-Hant-HK": (f"{TRANSLATE}::test_the_real_forms_are_converted_with_their_overrides",
                                     f"{TRANSLATE}::test_an_unknown_language_in_the_overrides_is_refused"),
    "data:translations.zh-Hant-TW": (f"{TRANSLATE}::test_the_real_forms_are_converted_with_their_overrides",),
    "data:residents.*.allows_longterm_id": (f"{BEHAVIOUR}::test_allows_longterm_id_decides_whether_the_question_is_asked",),
    "data:residents.*.pickup_methods": (HONG_KONG,),
    "data:residents.*.documents": (HONG_KONG, "tests/e2e/test_residents.py::test_chen_zhiming_applies_with_his_hong_kong_residence_permit"),
    "data:residents.*.documents[].id": (HONG_KONG,),
    "data:residents.*.documents[].label": (HONG_KONG,),
    "data:residents.*.documents[].sides": (HONG_KONG, f"{DOCUMENTS}::test_a_single_format_still_works"),
    "data:residents.*.documents[].id_type": (f"{DOCUMENTS}::test_the_registered_number_passes_either_format_and_is_not_typed",),
    "data:residents.*.documents[].number": (f"{DOCUMENTS}::test_a_typed_number_in_either_of_two_formats_is_accepted",
                                            f"{DOCUMENTS}::test_the_registered_number_in_a_wrong_format_is_refused",
                                            broken("100-unknown-number-format")),
    "data:residents.*.materials": (GUIDE,),
    "data:residents.*.guide_label": (GUIDE,),
}


def described(schema: Any, prefix: str) -> Iterator[str]:
    """`form:page.when`-style names of every property with a description, outside `$defs/field`."""
    def walk(node: Any, path: list[str]) -> Iterator[str]:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and "description" in sub:
                    yield ".".join([*path, name]).replace(".[]", "[]")
            for key, value in node.items():
                step = {"items": "[]", "additionalProperties": "*"}.get(key)
                if key == "properties":
                    for name, sub in value.items():
                        yield from walk(sub, [*path, name])
                elif key == "$defs":
                    for name, sub in value.items():
                        if name != "field":
                            yield from walk(sub, [name])
                elif step == "[]":
                    yield from walk(value, [*path[:-1], path[-1] + "[]"] if path else path)
                elif step == "*":
                    yield from walk(value, [*path, "*"])
                elif key in ("oneOf", "anyOf", "allOf"):
                    for sub in value:
                        yield from walk(sub, path)
                elif key == "then":
                    yield from walk(value, path)
    for name in walk(schema, []):
        yield f"{prefix}:{name}"


def all_described() -> set[str]:
    return {name for prefix, path in SCHEMAS.items()
            for name in described(json.loads(path.read_text(encoding="utf-8")), prefix)}


def test_every_described_property_has_a_claim_entry() -> None:
    names = all_described()
    assert sorted(names - CLAIMS.keys()) == [], "add the tests that show these properties' behaviour to CLAIMS"
    assert sorted(CLAIMS.keys() - names) == [], "CLAIMS names properties the schemas no longer describe"


@pytest.mark.parametrize("node", sorted({test for tests in CLAIMS.values() for test in tests}))
def test_every_named_test_exists(node: str) -> None:
    path, _, rest = node.partition("::")
    assert (REPO / path).is_file(), f"no test file {path}"
    if not rest:
        return
    function, _, param = rest.partition("[")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert callable(getattr(module, function, None)), f"{path} has no test {function}"
    if param:
        assert (BROKEN / param.rstrip("]")).is_dir(), f"no broken-forms fixture {param.rstrip(']')}"
