"""`yss diff` on forms/ against a copy with each edit the issue lists, as folders and as git revisions."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from renderer.cli import main
from renderer.definition.loader import FORMS_DIR

NEW_FIELD = "          - {id: emergency_contact, kind: text, label: 紧急联系人, required: true, max_length: 30}\n"
HENGQIN = """# yaml-language-server: $schema=../schema/data.schema.json
# 横琴市: a city for the test (demo data).
city: 横琴市
code: "4499"
hotline: "12333"
banks: [工商银行, 中国银行]
districts: [横琴区]
branches:
  - {id: hq-kaifa, name: 开发支行, bank: 工商银行, district: 横琴区, address: 横琴市开发路1号, hours: "周一至周五9:00-17:00", phone: "0756-1"}
"""


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line(root: Path, name: str, needle: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def copy_forms(into: Path) -> Path:
    root = into / "forms"
    shutil.copytree(FORMS_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def add_city(root: Path) -> None:
    (root / "cities" / "hengqin.yaml").write_text(HENGQIN, encoding="utf-8")
    edit(root, "lists/issuing_cities.yaml", "  - 云浮市\n", "  - 云浮市\n  - 横琴市\n")


def every_edit(root: Path) -> None:
    """A new required field on 申请信息, 招商银行 gone from 广州市, 上传材料 and 获取制卡相片 swapped, eligibility renamed,
    and a new city."""
    edit(root, "fragments/details.yaml", "          - {id: phone, kind: phone_code,", NEW_FIELD + "          - {id: phone, kind: phone_code,")
    edit(root, "cities/guangzhou.yaml", " 招商银行,", "")
    adult = root / "journeys" / "adult.yaml"
    text = adult.read_text(encoding="utf-8")
    start, end = text.index("  - id: documents\n"), text.index("  - include: photo\n")
    text = text[:start] + "  - include: photo\n\n" + text[start:end] + text[end + len("  - include: photo\n\n"):]
    text = text.replace("from: eligibility,", "from: qualification,")       # the verification starts there
    adult.write_text(text.replace("  - id: eligibility\n", "  - id: qualification\n"), encoding="utf-8")
    edit(root, "journeys/cleanup.yaml", "journey: adult, page: eligibility}", "journey: adult, page: qualification}")
    add_city(root)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["diff", *args])
    return code, capsys.readouterr().out


def by_kind(report: dict[str, Any], kind: str, journey: str | None = "adult") -> dict[str, Any]:
    found = [c for c in report["changes"] if c["kind"] == kind and c["journey"] == journey]
    assert len(found) == 1, [(c["kind"], c["subject"]) for c in report["changes"]]
    return found[0]


def test_each_edit_of_the_issue_is_classified_with_its_position(tmp_path: Path, capsys) -> None:
    root = copy_forms(tmp_path)
    every_edit(root)
    code, out = run(capsys, str(FORMS_DIR), str(root), "--json")
    assert code == 3
    report = json.loads(out)
    assert report["breaking"] is True and report["new"]["version"] != report["old"]["version"]

    def at(c: dict[str, Any]) -> tuple[str, str, int, bool]:
        return c["classification"], c["file"], c["line"], c["in_old"]

    for journey in ("adult", "minor"):      # the fragment is in both journeys
        field = by_kind(report, "field.added_required", journey)
        assert at(field) == ("breaking", "forms/fragments/details.yaml",
                             line(root, "fragments/details.yaml", "id: emergency_contact"), False)
        bank = by_kind(report, "option.removed", journey)
        assert (bank["field"], bank["value"], bank["details"]["cases"]) == ("bank", "招商银行", ["intended_city=广州市"])
        assert at(bank) == ("breaking", "forms/fragments/details.yaml", line(root, "fragments/details.yaml", "id: bank,"),
                            False)
    assert at(by_kind(report, "city.bank_removed", None)) == (
        "breaking", "forms/cities/guangzhou.yaml", line(FORMS_DIR, "cities/guangzhou.yaml", "banks:"), True)
    moved = by_kind(report, "page.moved")
    assert moved["classification"] == "breaking" and moved["page"] in ("documents", "photo")
    renamed = by_kind(report, "page.renamed")
    assert (renamed["page"], renamed["details"]["old_page"]) == ("qualification", "eligibility")
    assert at(renamed) == ("breaking", "forms/journeys/adult.yaml",
                           line(root, "journeys/adult.yaml", "id: qualification"), False)
    city = by_kind(report, "city.added", None)
    assert at(city) == ("compatible", "forms/cities/hengqin.yaml", line(root, "cities/hengqin.yaml", "city:"), False)
    assert by_kind(report, "option.added")["value"] == "横琴市"
    assert {r["change"] for r in report["routes"]} == {"appeared", "disappeared"}


def test_text_output_and_exit_0_when_every_change_is_compatible(tmp_path: Path, capsys) -> None:
    root = copy_forms(tmp_path)
    add_city(root)
    code, out = run(capsys, str(FORMS_DIR), str(root))
    assert code == 0, out
    hengqin = line(root, "cities/hengqin.yaml", "city:")
    assert any(text.split() [:2] == ["compatible", f"forms/cities/hengqin.yaml:{hengqin}"]
               and "city 横琴市 added — " in text for text in out.splitlines())
    assert "0 breaking" in out.splitlines()[-1]


def test_git_revisions_against_the_working_copy(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = tmp_path / "repo"
    root = copy_forms(repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "forms"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "-m", "forms"], check=True)
    edit(root, "fragments/details.yaml", "          - {id: phone, kind: phone_code,", NEW_FIELD + "          - {id: phone, kind: phone_code,")
    monkeypatch.chdir(repo)
    code, out = run(capsys, "HEAD", "./forms")
    assert code == 3
    wanted = f"forms/fragments/details.yaml:{line(root, 'fragments/details.yaml', 'id: emergency_contact')}"
    assert [text.split()[:2] for text in out.splitlines() if "emergency_contact" in text] == [["breaking", wanted]] * 2
    assert run(capsys, "HEAD", "HEAD")[0] == 0
    code, out = run(capsys, "no-such-revision", "./forms")
    assert code == 2 and "neither a folder nor a git revision" in out


def test_forms_with_problems_are_listed_and_exit_2(tmp_path: Path, capsys) -> None:
    root = copy_forms(tmp_path)
    edit(root, "fragments/details.yaml", "label: 服务银行", "lable: 服务银行")
    code, out = run(capsys, str(FORMS_DIR), str(root))
    assert code == 2
    assert "forms/fragments/details.yaml:" in out and "problem(s)" in out
