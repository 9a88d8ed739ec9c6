"""Low code, proven: a new city and a new resident type are YAML edits only.

A copy of forms/ gets, by writing and appending YAML text (no Python), a made-up prefecture 云海新城市 (its city file
with banks, districts and two branches, its name in lists/issuing_cities.yaml, its districts under 广东省 in
lists/regions.yaml) and a resident type `test_islander` (测试居民) with its own document 测试证. A copy of the
simulator's personas gets a person of that type. The copy must pass `python -m renderer.definition`, and a second
server started on it (YSS_FORMS / YSS_PERSONAS) must take that person through 社保卡申领 to 提交成功.
The product's own forms/ is never touched.
"""
from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from stdnum.cn import ric

from tests.e2e.conftest import (
    ROOT,
    check_eligibility,
    choose,
    control,
    face_check,
    field,
    fill_details_in,
    heading,
    open_adult_guide,
    options_of,
    pick_branch,
    section,
    serve,
    upload_id_card,
    use_system_photo,
    value_of,
)

pytestmark = pytest.mark.e2e

PERSONAS = Path(__file__).resolve().parents[2] / "data" / "personas.yaml"
SUCCESS_TEXT = "您已成功提交申请,您可前往广东人社APP或粤省事小程序【制卡进度查询】查看当前业务的办理进度"

CITY = "云海新城市"
DISTRICTS = ["海韵区", "星湾区"]
BANKS = ["云海农商银行", "工商银行", "建设银行"]

CITY_YAML = f"""\
# {CITY}:一个虚构的地级市,只为证明新增城市只需改 YAML(演示数据)。
city: {CITY}
code: "4499"
hotline: "12333"
banks: [{", ".join(BANKS)}]
districts: [{", ".join(DISTRICTS)}]
branches:
  - {{id: yh-hy-chaoyin, name: 潮音路支行, bank: 云海农商银行, district: 海韵区, address: {CITY}海韵区潮音路8号首层, hours: "周一至周五9:00-17:00", phone: "0799-3216540"}}
  - {{id: yh-xw-wanxing, name: 湾星大道支行, bank: 建设银行, district: 星湾区, address: {CITY}星湾区湾星大道66号首层, hours: "周一至周五9:00-17:00,周六9:30-16:00", phone: "0799-6543210"}}
"""

RESIDENT_YAML = """\
  test_islander:
    label: 测试居民
    online: true
    nationality: 测试地区
    allows_longterm_id: true
    pickup_methods: [网点领卡, 邮寄到付]
    materials: 测试证(原件)及测试居民登记回执
    documents:
      - {id: test_card, label: 测试证, id_type: 测试证, number: test_card, sides: [测试证正面, 测试证反面]}
"""

NUMBER_FORMAT_YAML = """\
  test_card:
    pattern: "^[0-9]{17}[0-9Xx]$"
    check: gb11643
    message: 测试证号码应为18位且校验位正确
"""


def _with_check_digit(first17: str) -> str:
    # calc_check_digit takes a full-length number and ignores its last character
    number = first17 + ric.calc_check_digit(first17 + "0")
    assert ric.validate(number) == number
    return number


PERSON_NAME = "海小测"
PERSON_NUMBER = _with_check_digit("44011119960715123")
PERSON_PHONE = "13500001111"

PERSON_YAML = f"""\
  - name: {PERSON_NAME}
    id_type: 测试证
    id_number: "{PERSON_NUMBER}"
    resident_type: test_islander
    phone: "{PERSON_PHONE}"
    system_photo: true
    outcome: eligible

"""


def _insert_after(path: Path, anchor: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(anchor) == 1, f"{path.name}: expected {anchor!r} exactly once"
    path.write_text(content.replace(anchor, anchor + text), encoding="utf-8")


def _insert_before(path: Path, anchor: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(anchor) == 1, f"{path.name}: expected {anchor!r} exactly once"
    path.write_text(content.replace(anchor, text + anchor), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    path.write_text(content.rstrip("\n") + "\n" + text, encoding="utf-8")


@dataclass(frozen=True)
class EditedCopy:
    forms: Path
    personas: Path


@pytest.fixture(scope="module")
def edited_copy(tmp_path_factory: pytest.TempPathFactory) -> EditedCopy:
    """forms/ and personas.yaml copied to a temporary folder and extended by YAML text only."""
    folder = tmp_path_factory.mktemp("low-code")
    forms = folder / "forms"
    shutil.copytree(ROOT / "forms", forms)
    assert CITY not in (forms / "lists" / "regions.yaml").read_text(encoding="utf-8"), "pick a made-up city name"

    # a new city: its own file, its name among the issuing cities, its districts under 广东省
    (forms / "cities" / "yunhai.yaml").write_text(CITY_YAML, encoding="utf-8")
    _append(forms / "lists" / "issuing_cities.yaml", f"  - {CITY}\n")
    _insert_after(forms / "lists" / "regions.yaml", "\n  广东省:\n", f"    {CITY}: [{', '.join(DISTRICTS)}]\n")

    # a new resident type, with its own document number format
    _append(forms / "residents.yaml", RESIDENT_YAML)
    _append(forms / "lists" / "number_formats.yaml", NUMBER_FORMAT_YAML)

    # a person of that type, known to the simulator
    personas = folder / "personas.yaml"
    shutil.copyfile(PERSONAS, personas)
    _insert_before(personas, "\nphoto_receipts:", "\n" + PERSON_YAML.rstrip("\n"))
    return EditedCopy(forms, personas)


def _forms_check(forms: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "renderer.definition", str(forms)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def low_code_server(edited_copy: EditedCopy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server on a free port, serving the edited copy with its own store and signing key."""
    checked = _forms_check(edited_copy.forms)
    assert checked.returncode == 0, f"the edited forms do not load:\n{checked.stdout}\n{checked.stderr}"
    data = tmp_path_factory.mktemp("low-code-server")
    with serve(data, YSS_FORMS=str(edited_copy.forms), YSS_PERSONAS=str(edited_copy.personas),
               YSS_DB=str(data / "low-code.sqlite3"), YSS_SECRET=secrets.token_urlsafe(32)) as base:
        yield base


# ------------------------------------------------------------------ 1. the copy passes the forms check

def test_the_yaml_only_copy_passes_the_forms_check(edited_copy: EditedCopy) -> None:
    checked = _forms_check(edited_copy.forms)
    assert checked.returncode == 0, (f"python -m renderer.definition {edited_copy.forms} exited "
                                     f"{checked.returncode}:\n{checked.stdout}\n{checked.stderr}")
    assert "ok" in checked.stdout.splitlines()[-1], checked.stdout
    # and the product's own forms were not touched
    assert not (ROOT / "forms" / "cities" / "yunhai.yaml").exists()
    assert CITY not in (ROOT / "forms" / "lists" / "issuing_cities.yaml").read_text(encoding="utf-8")
    assert "test_islander" not in (ROOT / "forms" / "residents.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ 2. the new person applies in the new city

def test_a_new_resident_type_applies_in_a_new_city(page: Page, low_code_server: str,
                                                   id_card_images: dict[str, Path]) -> None:
    page.goto(low_code_server + "/login")
    field(page, "证件号码").fill(PERSON_NUMBER)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name="社保卡申领")).to_be_visible()

    # 办事指南: 所需材料 lists the new resident type with its materials
    open_adult_guide(page)
    materials = section(page, "所需材料")
    expect(value_of(materials, "测试居民")).to_have_text("测试证(原件)及测试居民登记回执")
    face_check(page)

    # ① 申请资格校验: the new city is an issuing city
    expect(heading(page, "申请资格校验")).to_be_visible()
    expect(field(page, "意向发卡地").get_by_role("option", name=CITY, exact=True)).to_have_count(1)
    check_eligibility(page, CITY)

    # ② 上传材料: the new document, its two sides; no choice (one document) and no number (registered with it)
    expect(heading(page, "上传材料")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_label(re.compile("号码$"))).to_have_count(0)
    upload_id_card(page, {"测试证正面": id_card_images["身份证国徽面"], "测试证反面": id_card_images["身份证人像面"]})
    page.get_by_role("button", name="下一步").click()

    # ③ 获取制卡相片
    expect(heading(page, "获取制卡相片")).to_be_visible()
    use_system_photo(page)

    # ④ 申请信息: the new city's banks and districts; 长期 is offered (allows_longterm_id: true)
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "证件类型")).to_have_text("测试证")
    expect(field(page, "发卡地")).to_have_text(CITY)
    expect(page.get_by_text("证件有效期是否为长期")).to_be_visible()
    expect(page.get_by_role("radio", name="否", exact=True)).to_be_checked()
    assert options_of(field(page, "服务银行")) == BANKS
    choose(page, "常住地区", CITY)
    assert options_of(field(page, "区/县")) == DISTRICTS
    fill_details_in(page, PERSON_PHONE, city=CITY, district="海韵区", bank="云海农商银行",
                    address=f"{CITY}海韵区潮音路18号3栋502房")
    page.get_by_role("button", name="下一步").click()

    # ⑤ 领卡方式: both methods of the new type; a branch of the new city by district
    expect(heading(page, "领卡方式")).to_be_visible()
    assert options_of(control(page, "领卡方式")) == ["网点领卡", "邮寄到付"]
    choose(page, "领卡方式", "网点领卡")
    pick_branch(page, name="湾星大道支行", district="星湾区", keyword="湾星")
    expect(field(page, "网点地址")).to_have_text(f"{CITY}星湾区湾星大道66号首层")
    page.get_by_role("button", name="下一步").click()

    # ⑥ 信息确认 › 提交成功
    expect(heading(page, "信息确认")).to_be_visible()
    personal = section(page, "个人信息")
    expect(value_of(personal, "姓名")).to_have_text("海*测")
    expect(value_of(personal, "证件类型")).to_have_text("测试证")
    expect(value_of(personal, "国家/地区")).to_have_text("测试地区")
    expect(value_of(personal, "常住地址")).to_contain_text(f"{CITY}海韵区")
    card = section(page, "社保卡信息")
    expect(value_of(card, "发卡地")).to_have_text(CITY)
    expect(value_of(card, "服务银行")).to_have_text("云海农商银行")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("湾星大道支行")
    uploaded = section(page, "上传材料")
    expect(uploaded.get_by_role("img", name="测试证正面")).to_be_visible()
    expect(uploaded.get_by_role("img", name="测试证反面")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(heading(page, "提交成功")).to_be_visible()
    expect(page.get_by_text(SUCCESS_TEXT, exact=True)).to_be_visible()
