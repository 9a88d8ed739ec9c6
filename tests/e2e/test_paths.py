"""Every route of every journey, as `yss paths JOURNEY` derives it from the YAML, walked in a phone-sized chromium.

The routes are generated at collection time (`journey_paths()` of each journey of the loaded definition; the test
ids are the path ids), so a branch added in forms/ is walked without anyone writing a test for it. Each route is
walked by a "robot citizen": it reads the controls the page shows (checkboxes, radios, selects, dates, text boxes,
file inputs, the phone + code, the branch picker, notice dialogs) and fills them, taking the route's answers where the
route names them, then presses the page's button (its label from the definition) until the route's end, which must
be visible: a result heading, a popup, another journey's title, a message, or an error next to a field.

WHO walks is chosen from the outcome code that ends the route (CAUSES below); an outcome that needs a failing
provincial system runs against a server started with YSS_SIM_FAILURE_RATE=<that call>=1. Every test gets its own
server, so no draft, SMS resend limit or cleanup of one route leaks into the next. An outcome the simulated system
cannot produce is skipped with the reason; an outcome code nobody has said how to cause fails the test.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from renderer.definition.loader import load_or_raise
from renderer.definition.model import Button, Definition, Journey
from renderer.definition.model import Page as PageDef
from renderer.tools.paths import JourneyPath, journey_paths
from tests.a11y.sweep import SWEEP, Looks
from tests.e2e.conftest import field, heading, htmx_swap, read_sms_code, serve

pytestmark = pytest.mark.e2e

DEFINITION: Definition = load_or_raise()
PATHS: list[tuple[Journey, JourneyPath]] = [(journey, path) for journey in DEFINITION.journeys.values()
                                            for path in journey_paths(DEFINITION, journey)]

FACE_PAGE = "人脸核验"
FACE_BEGIN = "开始人脸核验"

# ------------------------------------------------------------------ who walks, and what they type

ZHANG_WEI = {"id": "440106199001011235", "phone": "13600002819"}
WANG_FANG = {"id": "440105198502114020", "phone": "13977778888",
             # she applies for 李小明 (户口簿, no system photo: a photo by his receipt number)
             "samples": {"法定监护人与申领人关系": "母亲", "申领人姓名": "李小明", "证件类型": "户口簿",
                         "证件号码": "440105201503153317", "输入社保卡相片回执号": "GZ2023080100533"}}
JIANG_LIZHI = {"id": "440304198709234462", "phone": "13644445555"}
LIU_YANG = {"id": "440106199107071535", "phone": "13755556666"}
JOHN_SMITH = {"id": "USA110088042512", "phone": "13800138000"}
ZHOU_MIN = {"id": "440106198806061518", "phone": "13622220000"}            # holds a card already
WU_NA = {"id": "440106199208082516", "phone": "13644440000"}               # no insurance record
ZHENG_HAO = {"id": "440104199001014556", "phone": "13655550000"}           # applied through another channel
HUANG_LI = {"id": "440106198602141620", "phone": "13666660000"}            # a card elsewhere reported lost
ZHOU_JIANGUO = {"id": "440105198503151317", "phone": "13633330000",         # for his son, who holds one
                "samples": {"法定监护人与申领人关系": "父亲", "申领人姓名": "周小军", "证件类型": "户口簿",
                            "证件号码": "440105201609103318"}}
ZHAO_MIN = {"id": "440104199303032645", "phone": "13866667777"}

# an eligible person for each journey (an `ok` route, and the start of most others)
ELIGIBLE = {"adult": ZHANG_WEI, "minor": WANG_FANG, "cleanup": JIANG_LIZHI}

# what any citizen types, by the label of the control
SAMPLES = {"意向发卡地": "广州市", "常住详细地址": "广州市越秀区中山五路33号501房", "收件地区": "广东省",
           "收件详细地址": "广州市天河区天河路385号1201室"}

# YAML service action → the simulator's call that YSS_SIM_FAILURE_RATE names
SIMULATOR_CALL = {"precheck": "precheck", "eligibility_check": "eligibility", "submit_application": "submit",
                  "submit_cleanup": "submit_cleanup"}


@dataclass
class Walk:
    """How one route is walked: by whom, against which server, and what differs from a plain walk."""
    persona: dict[str, Any]
    samples: dict[str, str] = dc_field(default_factory=dict)    # label → value, over the persona's samples
    failing: str | None = None          # the simulator call that answers `unavailable`
    face: str = "模拟核验通过"
    fill_last: bool = True              # False: press the last page's button without filling it (invalid)


def how_to_cause(journey: Journey, path: JourneyPath) -> Walk:
    """CAUSES: the ending outcome code → who walks and how. Skips what the simulator cannot produce."""
    code = path.outcome.get("code", "ok")
    eligible = ELIGIBLE.get(journey.id)
    if eligible is None:
        pytest.fail(f"no eligible persona known for journey {journey.id!r}: add it to ELIGIBLE")
    if code == "ok":
        return Walk(eligible)
    if code == "face_failed":
        return Walk(eligible, face="模拟核验不通过")
    if code == "invalid":
        return Walk(eligible, fill_last=False)
    if code == "unavailable":
        return Walk(eligible, failing=failing_call(journey, path))
    if code == "has_application":
        return has_application(journey, path)
    if code == "not_online":
        return Walk(JOHN_SMITH)
    if code == "cards_elsewhere":
        return Walk(ZHOU_JIANGUO, samples=child("周小玲", "440105201702033414")) if journey.id == "minor" \
            else Walk(JIANG_LIZHI)
    if code == "ineligible":        # no insurance record: 吴娜, or 周建国's son 周小强
        return Walk(ZHOU_JIANGUO, samples=child("周小强", "440105201807203520")) if journey.id == "minor" \
            else Walk(WU_NA)
    if code == "rejected":
        if journey.id == "cleanup":
            return Walk(HUANG_LI)       # one of her cards is reported lost: 清理 is refused with the reason
        if journey.id == "minor":
            return Walk(ZHOU_JIANGUO, samples=child("周小华", "440105201405123026"))
        return Walk(ZHAO_MIN)
    if code == "unknown_applicant":
        return Walk(WANG_FANG, samples={"申领人姓名": "李小华"})          # not the name on record for that number
    if code == "relationship_mismatch":
        return Walk(WANG_FANG, samples={"法定监护人与申领人关系": "父亲"})   # 李小明's registered guardian is 母亲
    pytest.fail(f"{path.id}: nobody knows how to cause outcome {code!r} of {path.outcome}: add it to how_to_cause()")


def has_application(journey: Journey, path: JourneyPath) -> Walk:
    """One person, one card: the pre-check knows 刘洋's application; 资格校验 knows the cards the province accepted
    (周敏's, 周小军's); at 确认提交 the province has one from another channel meanwhile (郑浩's, 周小明's)."""
    last = path.pages[-1]
    if last == journey.pages[0].id:
        return Walk(LIU_YANG)
    if page_def(journey, last).is_confirm:
        return Walk(ZHOU_JIANGUO, samples=child("周小明", "440105201509093319")) if journey.id == "minor" \
            else Walk(ZHENG_HAO)
    return Walk(ZHOU_JIANGUO) if journey.id == "minor" else Walk(ZHOU_MIN)


def child(name: str, number: str) -> dict[str, str]:
    """周建国 applies for this child of his (户口簿, a photo the system holds)."""
    return {"申领人姓名": name, "证件号码": number}


def failing_call(journey: Journey, path: JourneyPath) -> str:
    """The simulator call behind an `unavailable` outcome: the last service the ending button calls."""
    button = ending_button(journey, path)
    services = [call.service for call in button.calls if call.service != "face_check"]
    assert services, f"{path.id}: {button.label} calls no service, yet ends on unavailable"
    assert services[-1] in SIMULATOR_CALL, f"{path.id}: no simulator call known for service {services[-1]!r}"
    return SIMULATOR_CALL[services[-1]]


# ------------------------------------------------------------------ the definition, read for the walk

def page_def(journey: Journey, page_id: str) -> PageDef:
    return next(p for p in journey.pages if p.id == page_id)


def forward_button(page: PageDef) -> Button:
    """The button that moves on to the next page (the first one that does, else the first)."""
    return next((b for b in page.buttons if b.on.get("ok") is not None and b.on["ok"].next), page.buttons[0])


def ending_button(journey: Journey, path: JourneyPath) -> Button:
    last = page_def(journey, path.pages[-1])
    if path.outcome:
        return next(b for b in last.buttons if b.label == path.outcome["button"])
    end = path.end
    for b in last.buttons:
        ok = b.on.get("ok")
        if ok is None:
            continue
        if (end["kind"] == "result" and ok.result == end["id"]) or (end["kind"] == "journey" and ok.journey == end["id"]):
            return b
    raise AssertionError(f"{path.id}: no button of {last.id} leads to {end}")


def entry_to(journey: Journey) -> tuple[str, list[tuple[Journey, PageDef, Button]]]:
    """How a citizen reaches a journey from the home page: its home link, or another journey's home link and a
    button of that journey's first page that leads to it."""
    if journey.home_link:
        return journey.home_link, []
    for other in DEFINITION.journeys.values():
        if other.home_link and other.id != journey.id:
            first = other.pages[0]
            for b in first.buttons:
                ok = b.on.get("ok")
                if ok is not None and ok.journey == journey.id:
                    return other.home_link, [(other, first, b)]
    raise AssertionError(f"no way in to journey {journey.id} from the home page")


def label_of(journey: Journey, field_id: str) -> str:
    f = journey.field(field_id)
    assert f is not None, f"no field {field_id} in {journey.id}"
    return f.label


def fixed_part(text: str) -> str:
    """The text up to its first `{…}` placeholder."""
    return text.split("{", 1)[0].strip()


# ------------------------------------------------------------------ servers: a fresh one per route

@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Any]:
    started: list[Any] = []

    def start(failing: str | None) -> str:
        env = {"YSS_SIM_FAILURE_RATE": f"{failing}=1"} if failing else {}
        manager = serve(tmp_path, **env)
        started.append(manager)
        return manager.__enter__()

    yield start
    for manager in started:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="module")
def jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paths-jpeg") / "document.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (60, 120, 180)).save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


# ------------------------------------------------------------------ the robot citizen

class Robot:
    """Fills whatever the page shows, by role and label, from the route's answers and the persona's samples."""

    def __init__(self, page: Page, journey: Journey, path: JourneyPath, walk: Walk, jpeg: Path, look: Looks) -> None:
        self.page, self.journey, self.walk, self.jpeg, self.look = page, journey, walk, jpeg, look
        self.values = {**SAMPLES, **walk.persona.get("samples", {}), **walk.samples}
        for field_id, value in path.answers.items():      # the route's own answers come first
            self.values[label_of(journey, field_id)] = value
        self.main = page.get_by_role("main")

    # -- one control at a time: every select, checkbox and upload may refresh the page in place

    def fill(self, page_id: str) -> None:
        done: set[str] = set()
        for _ in range(60):
            if not self.step(page_id, done):
                return
        raise AssertionError(f"the robot kept finding things to do on {page_id}: {sorted(done)}")

    def step(self, page_id: str, done: set[str]) -> bool:
        page, main = self.page, self.main
        notice = page.get_by_role("alertdialog")
        if notice.count():                    # a notice a field shows (邮寄温馨提醒): read it
            self.look(f"notice on {page_id}")
            with htmx_swap(page):
                notice.get_by_role("button").last.click()
            expect(page.get_by_role("alertdialog")).to_have_count(0)
            return True
        for box in main.get_by_role("checkbox").all():
            if box.is_visible() and box.is_enabled() and not box.is_checked():
                self._act(box, lambda b=box: b.check())
                return True
        for group in main.get_by_role("radiogroup").all() + main.get_by_role("group").all():
            radios = group.get_by_role("radio")
            if radios.count() and not any(r.is_checked() for r in radios.all()) and radios.first.is_enabled():
                name = self._label(group)
                wanted = self.values.get(name)
                radio = group.get_by_role("radio", name=wanted, exact=True) if wanted else radios.first
                self._act(radio, lambda r=radio: r.check())
                return True
        for select in main.get_by_role("combobox").all():
            if not select.is_visible() or not select.is_enabled() or select.input_value() != "":
                continue
            label = self._label(select)
            options = [o for o in select.locator("option").all() if o.get_attribute("value") != ""]
            if not options:
                continue
            texts = [o.inner_text().strip() for o in options]
            wanted = self.values.get(label)
            value = wanted if wanted in texts else texts[0]
            self._act(select, lambda s=select, v=value: s.select_option(label=v))
            return True
        for upload in main.locator("input[type=file]").all():
            with htmx_swap(page):
                upload.set_input_files(str(self.jpeg))
            return True
        for date in main.locator("input[type=date]").all():
            if date.is_visible() and date.is_enabled() and date.input_value() == "":
                date.fill(self._date(date))
                return True
        code_box = main.locator("input[autocomplete=one-time-code]")
        if code_box.count() and code_box.first.is_visible() and code_box.first.input_value() == "":
            phone = main.locator("input[type=tel]").first
            if phone.input_value() == "":
                phone.fill(self.walk.persona["phone"])
            with htmx_swap(page):
                main.get_by_role("button", name="发送验证码").click()
            main.locator("input[autocomplete=one-time-code]").first.fill(read_sms_code(page))
            return True
        for box in main.get_by_role("textbox").all():
            if not box.is_visible() or not box.is_enabled() or box.input_value() != "":
                continue
            label = self._label(box)
            if label in done or box.get_attribute("type") == "tel":
                continue
            done.add(label)
            if "回执号" in label:                 # only when there is no photo to use
                if self._receipt(box, label, page_id):
                    return True
                continue
            box.fill(self.values.get(label) or self._text(box, label))
            return True
        for picker in self._branch_pickers(page_id):
            if picker in done:
                continue
            done.add(picker)
            with htmx_swap(page):
                main.get_by_role("button", name="选择", exact=True).click()
            dialog = page.get_by_role("dialog")
            expect(dialog).to_be_visible()
            self.look(f"branch picker on {page_id}")
            with htmx_swap(page):
                dialog.get_by_role("listitem").first.get_by_role("button").click()
            expect(page.get_by_role("dialog")).to_have_count(0)
            return True
        return False

    def _act(self, control: Locator, action: Any) -> None:
        """Do it, and wait for the page's refresh when the control asks for one."""
        if control.get_attribute("hx-post"):
            with htmx_swap(self.page):
                action()
        else:
            action()

    @staticmethod
    def _label(control: Locator) -> str:
        text = control.evaluate("""e => {
            if (e.labels && e.labels.length) return e.labels[0].innerText;
            const legend = e.querySelector && e.querySelector('legend');
            return legend ? legend.innerText : (e.getAttribute('aria-label') || '');
        }""")
        return re.sub(r"^\s*\*?\s*", "", text or "").strip()

    @staticmethod
    def _date(control: Locator) -> str:
        today = dt.date.today()
        low, high = control.get_attribute("min"), control.get_attribute("max")
        if low and not high:                  # an end date: in the future
            return (dt.date.fromisoformat(low) + dt.timedelta(days=3650)).isoformat()
        if high:                              # a start date: in the past
            return (dt.date.fromisoformat(high) - dt.timedelta(days=1500)).isoformat()
        return (today - dt.timedelta(days=1500)).isoformat()

    @staticmethod
    def _text(control: Locator, label: str) -> str:
        if "地址" in label:
            return "广州市越秀区中山五路33号501房"
        length = int(control.get_attribute("minlength") or 0)
        return "测试" * max(2, (length + 1) // 2)

    def _receipt(self, box: Locator, label: str, page_id: str) -> bool:
        """获取制卡相片: a receipt number only if the main button cannot go on with the system photo."""
        button = self.main.get_by_role("button", name=forward_button(page_def(self.journey, page_id)).label)
        if button.is_enabled():
            return False
        receipt = self.values.get(label)
        assert receipt, f"no photo for this person and no receipt number to type into {label}"
        box.fill(receipt)
        photo = next(f for f in page_def(self.journey, page_id).fields if f.kind == "photo_choice")
        with htmx_swap(self.page):
            self.main.get_by_role("button", name=str(photo.props.get("receipt_button"))).click()
        expect(button).to_be_enabled()
        return True

    def _branch_pickers(self, page_id: str) -> list[str]:
        """The branch pickers of the page that show no branch yet."""
        out = []
        for f in page_def(self.journey, page_id).fields:
            if f.kind != "branch_picker":
                continue
            shown = (f.props.get("shows") or {}).get("name")
            if shown and field(self.main, shown).count() and field(self.main, shown).inner_text().strip() == "请选择":
                out.append(f.id)
        return out


# ------------------------------------------------------------------ the walk

def press(page: Page, label: str, face: str, look: Looks) -> None:
    """Press a page's button (a full form post); answer the face check and a confirming popup if they come."""
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name=label, exact=True).click()
    if heading(page, FACE_PAGE).count():
        begin = page.get_by_role("button", name=FACE_BEGIN)
        if begin.count():                     # a page that needed the check was opened: a POST begins it
            look("face check to begin")
            with page.expect_navigation():
                begin.click()
        look("face check")
        with page.expect_navigation():
            page.get_by_role("button", name=face).click()


def enter(page: Page, journey: Journey, robot_for: Any, look: Looks, address: str | None = None) -> None:
    """From home through the journey's entry. With `address`, a journey entered through another one is opened by
    its address instead: a citizen coming back to it in a new sign-in, whose face check on the other journey's
    guide no longer holds (a face check passed holds for its sign-in), so this journey's own check is asked."""
    link, via = entry_to(journey)
    if address and via:
        page.goto(address)
        via = []
    else:
        page.get_by_role("link", name=link).click()
    for other, first, button in via:
        expect(heading(page, first.title)).to_be_visible()
        look(f"{other.id} {first.id}")
        robot_for(other).fill(first.id)
        press(page, button.label, "模拟核验通过", look)
    expect(page.get_by_role("banner").get_by_text(journey.title, exact=True)).to_be_visible()


def assert_end(page: Page, journey: Journey, path: JourneyPath) -> None:
    end = path.end
    kind = end["kind"]
    if kind == "result":
        expect(heading(page, journey.results[end["id"]].title)).to_be_visible()
    elif kind == "popup":
        popup = journey.popups[end["id"]]
        dialog = page.get_by_role("alertdialog")
        expect(dialog).to_be_visible()
        if fixed_part(popup.text):
            expect(dialog).to_contain_text(fixed_part(popup.text))
        else:                                 # all placeholder ({outcome.reason} …): some text must be there
            expect(dialog.locator("p")).not_to_have_text("")
        for button in popup.buttons:
            expect(dialog.get_by_role("button", name=button.label, exact=True)).to_be_visible()
        expect(heading(page, page_def(journey, path.pages[-1]).title)).to_be_visible()
    elif kind == "journey":
        target = DEFINITION.journeys[end["id"]]
        expect(page.get_by_role("banner").get_by_text(target.title, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    elif kind == "message":
        expect(page.get_by_role("alert").filter(has_text=end["title"])).to_be_visible()
        expect(heading(page, page_def(journey, path.pages[-1]).title)).to_be_visible()
    elif kind == "error":
        control = field(page, label_of(journey, end["id"]))
        expected = fixed_part(end["title"])
        description = re.compile(re.escape(expected) if expected else r"\S")
        expect(control).to_have_accessible_description(description)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_role("main").get_by_text(description).first).to_be_visible()
    else:
        pytest.fail(f"{path.id}: no check written for an end of kind {kind!r} ({end})")


def sign_in_as(page: Page, base: str, persona: dict[str, Any], look: Looks) -> None:
    page.goto(base + "/login")
    look("login")
    if SWEEP.once("login error"):             # 登录 pressed with no number: the page's error state
        with SWEEP.timed():
            page.get_by_role("button", name="登录").click()
            expect(page.get_by_label("证件号码")).to_have_attribute("aria-invalid", "true")
            look("login error")
    page.get_by_label("证件号码").fill(persona["id"])
    page.get_by_role("button", name="登录").click()


def error_state(page: Page, journey: Journey, definition: PageDef, look: Looks) -> None:
    """The page's button pressed with its fields left empty (once a session for each page that has fields):
    the error state is checked, then the page is opened again as it was."""
    forward = forward_button(definition)
    ok = forward.on.get("ok")
    fills = [f for f in definition.fields if f.required is not False and f.kind != "readonly"]
    if not fills or ok is None or not ok.next:          # nothing to leave empty, or the button ends the journey
        return
    button = page.get_by_role("main").get_by_role("button", name=forward.label, exact=True)
    if not button.is_enabled() or not SWEEP.once(f"{journey.id}/{definition.id} empty"):
        return
    with SWEEP.timed():
        url = page.url
        with page.expect_navigation():
            button.click()
        look(f"{definition.id} pressed empty")
        page.goto(url)


@pytest.mark.parametrize(("journey", "path"), PATHS, ids=[path.id for _, path in PATHS])
def test_path(page: Page, fresh_server: Any, jpeg: Path, journey: Journey, path: JourneyPath) -> None:
    walk = how_to_cause(journey, path)
    base = fresh_server(walk.failing)
    look = Looks(page)                        # each state on the way, checked for accessibility (tests/a11y)
    sign_in_as(page, base, walk.persona, look)
    expect(page.get_by_role("link", name=entry_to(journey)[0])).to_be_visible()
    look("home")

    def robot_for(j: Journey) -> Robot:
        route = path if j is journey else JourneyPath([], {}, {})
        return Robot(page, j, route, walk, jpeg, look)

    failing_face = walk.face != Walk.face
    enter(page, journey, robot_for, look, f"{base}/j/{journey.id}" if failing_face else None)
    robot = robot_for(journey)
    last = len(path.pages) - 1
    for index, page_id in enumerate(path.pages):
        definition = page_def(journey, page_id)
        expect(heading(page, definition.title), f"{path.id}: expected page {page_id}").to_be_visible()
        look(f"{journey.id} {page_id}")
        error_state(page, journey, definition, look)
        if index < last:
            robot.fill(page_id)
            press(page, forward_button(definition).label, "模拟核验通过", look)
            continue
        if walk.fill_last:
            robot.fill(page_id)
        button = ending_button(journey, path)
        press(page, button.label, walk.face, look)
        if button.confirm:                    # it asks first; its last button goes ahead
            dialog = page.get_by_role("alertdialog")
            expect(dialog).to_contain_text(fixed_part(journey.popups[button.confirm].text))
            look(f"confirm popup on {page_id}")
            with page.expect_navigation():
                dialog.get_by_role("button").last.click()
    assert_end(page, journey, path)
    look(f"end of {path.id}: {path.end['kind']}")
    look.assert_clean()
