"""The identity edits an analyst can make to the real forms: each is refused by lint, or the check still happens."""
from __future__ import annotations

import shutil
from pathlib import Path

from renderer.definition.loader import FORMS_DIR, load_forms


def _edited(tmp_path: Path, file: str, *edits: tuple[str, str]) -> list[tuple[str, str, int]]:
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return [(e.code, e.position.file, e.position.line) for e in load_forms(root).problems]


def _line(file: str, needle: str) -> int:
    lines = (FORMS_DIR / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


ADULT = "journeys/adult.yaml"
MINOR = "journeys/minor.yaml"
FAILED_ROUTE = '              face_failed: {message: "人脸核验未通过,请重新核验"}\n'


def test_the_real_forms_declare_the_face_check_and_lint_clean() -> None:
    result = load_forms(FORMS_DIR)
    assert result.problems == []
    adult = result.definition.journeys["adult"]
    assert [(v.service, v.start, v.valid_minutes) for v in adult.verifications] == [("face_check", "eligibility", 30)]
    assert adult.needs("guide") == () and adult.needs("confirm") == adult.verifications


def test_face_check_listed_after_precheck_is_a_warning_because_it_still_runs_first(tmp_path: Path) -> None:
    found = _edited(tmp_path, ADULT, ("calls: [face_check, precheck]", "calls: [precheck, face_check]"))
    button = _line(ADULT, "- label: 完成人脸核验开始办理")
    assert found == [("verify.call_order", "forms/journeys/adult.yaml", button)]


def test_face_check_removed_with_its_route_is_refused_at_the_button(tmp_path: Path) -> None:
    found = _edited(tmp_path, ADULT, ("calls: [face_check, precheck]", "calls: [precheck]"), (FAILED_ROUTE, ""))
    button = _line(ADULT, "- label: 完成人脸核验开始办理")
    assert found == [("verify.bypass", "forms/journeys/adult.yaml", button)]


def test_face_check_removed_but_its_route_kept_is_refused_twice(tmp_path: Path) -> None:
    found = _edited(tmp_path, ADULT, ("calls: [face_check, precheck]", "calls: [precheck]"))
    assert [code for code, _, _ in found] == ["route.unknown_outcome", "verify.bypass"]


def test_the_verify_block_removed_is_refused_where_the_check_is_needed(tmp_path: Path) -> None:
    start = "verify:\n  - {service: face_check, from: eligibility, valid_minutes: 30, failed: \"人脸核验未通过,请重新核验\"}\n"
    found = _edited(tmp_path, ADULT, (start, ""))
    assert {code for code, _, _ in found} == {"verify.undeclared", "verify.missing"}


def test_a_route_into_another_journey_without_the_check_is_refused(tmp_path: Path) -> None:
    own = "            calls: [face_check, precheck]\n            on:\n              ok: {journey: adult"
    found = _edited(tmp_path, MINOR, (own, own.replace("face_check, ", "")),
                    ('              face_failed: {message: "人脸核验未通过,请重新核验"}\n', ""))
    assert [code for code, _, _ in found] == ["verify.bypass"]
    assert found[0][1] == "forms/journeys/minor.yaml"


def test_a_kept_answer_is_read_by_the_names_its_service_declares(tmp_path: Path) -> None:
    found = _edited(tmp_path, "fragments/details.yaml",
                    ("records.applicant.household_registration_date", "records.applicant.household_registration"))
    assert [code for code, _, _ in found] == ["expr.unknown_name"]
