"""End-to-end fixtures: the real server in a subprocess, Debian's chromium as a phone, and the steps a citizen
takes, written by what the citizen sees (labels, button texts, headings), never by CSS classes or ids."""
from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
SCREENS = RESULTS / "screens"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]

expect.set_options(timeout=10_000)


# ------------------------------------------------------------------ pytest-playwright settings

def pytest_configure(config: pytest.Config) -> None:
    # A screenshot of the page when a test fails, into test-results/ (pytest-playwright's --output).
    if config.getoption("--screenshot", default="off") == "off":
        config.option.screenshot = "only-on-failure"
        config.option.full_page_screenshot = True


# ------------------------------------------------------------------ the server

@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The product, served as `python -m renderer.web` on a free port with a fresh embedded store."""
    with serve(tmp_path_factory.mktemp("e2e-server")) as base:
        yield base


@pytest.fixture(scope="session")
def base_url(server: str) -> str:
    return server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], browser_name: str) -> dict[str, Any]:
    if browser_name != "chromium":
        return browser_type_launch_args
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "zh-CN",
            "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def phone_page(browser: Browser, context_args: dict[str, Any], base: str, **options: Any) -> Iterator[Page]:
    """A phone of a test's own on `base` (a module's own server), with `options` for its browser context (no
    JavaScript …); an uncaught script error in its pages fails the test. For a fixture: `yield from phone_page(…)`."""
    context = browser.new_context(**{**context_args, "base_url": base, **options})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"script errors in the page: {errors}"


# ------------------------------------------------------------------ screenshots for people to look at

@pytest.fixture(autouse=True)
def _short_timeouts_and_no_script_errors(page: Page) -> Iterator[None]:
    """Fail fast, and count an uncaught script error in the page as a product bug."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield
    assert not errors, f"script errors in the page: {errors}"


@pytest.fixture
def snap() -> Callable[[Page, str], None]:
    """snap(page, 'guide') saves test-results/screens/NN-guide.png, once per distinct page title + state."""
    seen: set[str] = set()
    counter = [0]

    def take(page: Page, name: str) -> None:
        key = f"{page.title()}|{name}"
        if key in seen:
            return
        seen.add(key)
        counter[0] += 1
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{counter[0]:02d}-{name}.png"), full_page=True)

    return take


# ------------------------------------------------------------------ htmx: wait for the in-page answer

@contextmanager
def htmx_swap(page: Page) -> Iterator[None]:
    """Wrap an action that makes htmx fetch and swap part of the page; wait until the swap has settled,
    so that nothing typed next is overwritten by a late answer."""
    page.evaluate("""() => {
        window.__e2eSettled = new Promise(resolve => {
            const done = () => {
                ['htmx:afterSettle', 'htmx:responseError', 'htmx:sendError', 'htmx:swapError']
                    .forEach(n => document.removeEventListener(n, done));
                resolve(true);
            };
            ['htmx:afterSettle', 'htmx:responseError', 'htmx:sendError', 'htmx:swapError']
                .forEach(n => document.addEventListener(n, done));
        });
    }""")
    yield
    page.wait_for_function("() => window.__e2eSettled !== undefined", timeout=10_000)
    page.evaluate("() => Promise.race([window.__e2eSettled,"
                  " new Promise((_, no) => setTimeout(() => no(new Error('no htmx swap within 10 s')), 10000))])")


def field(scope: Page | Locator, label: str) -> Locator:
    """A form control by its label, exactly; a required field's label starts with a visible "*"."""
    return scope.get_by_label(re.compile(rf"^\s*\*?\s*{re.escape(label)}\s*$"))


def choice_group(page: Page, label: str) -> Locator:
    """A group of radios (a fieldset of radios, not of selects) by its legend, exactly; a required one's legend
    starts with a visible "*"."""
    return page.get_by_role("group", name=re.compile(rf"^\s*\*?\s*{re.escape(label)}\s*$")).filter(
        has=page.get_by_role("radio"))


def control(page: Page, label: str) -> Locator:
    """The radios of a choice shown as radios, else the control labelled so (a select, a text box …)."""
    group = choice_group(page, label)
    return group if group.count() else field(page, label)


def choose(page: Page, label: str, value: str) -> None:
    """Pick an option of a select or a radio of a group: either refreshes the page in place (every choice of the
    engine does)."""
    group = choice_group(page, label)
    if group.count():
        radio = group.get_by_role("radio", name=value, exact=True)
        with htmx_swap(page):
            radio.check()
        expect(choice_group(page, label).get_by_role("radio", name=value, exact=True)).to_be_checked()
        return
    with htmx_swap(page):
        field(page, label).select_option(value)
    expect(field(page, label)).to_have_value(value)


def heading(page: Page, name: str) -> Any:
    # ends with: the result pages put a decorative icon (✔/✘) before the title
    return page.get_by_role("heading", name=re.compile(rf"(^|\s){re.escape(name)}$"), level=1)


# ------------------------------------------------------------------ the citizen's steps

def sign_in(page: Page, id_number: str) -> None:
    page.goto("/login")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_role("button", name="登录").click()
    # 社保卡申領 for the residents who read Traditional Chinese (forms/residents.yaml: language)
    expect(page.get_by_role("link", name=re.compile(r"^社保卡申[领領]$"))).to_be_visible()


def open_adult_guide(page: Page) -> None:
    page.get_by_role("link", name="社保卡申领").click()
    expect(heading(page, "办事指南")).to_be_visible()


def face_check(page: Page, result: str = "模拟核验通过") -> None:
    page.get_by_label("本人已认真阅读,理解并自愿接受以上约定").check()
    page.get_by_role("button", name="完成人脸核验开始办理").click()
    expect(heading(page, "人脸核验")).to_be_visible()
    page.get_by_role("button", name=result).click()


def start_adult(page: Page) -> None:
    """From the home page: 社保卡申领 › tick the agreement › face check passes › 申请资格校验."""
    open_adult_guide(page)
    face_check(page)
    expect(heading(page, "申请资格校验")).to_be_visible()


def check_eligibility(page: Page, city: str = "广州市") -> None:
    choose(page, "意向发卡地", city)
    page.get_by_role("button", name="资格校验").click()


def _jpeg(path: Path, colour: tuple[int, int, int]) -> Path:
    image = Image.new("RGB", (640, 400), colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="session")
def id_card_images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("id-card")
    return {"身份证国徽面": _jpeg(folder / "emblem.jpg", (200, 40, 40)),
            "身份证人像面": _jpeg(folder / "portrait.jpg", (40, 90, 200))}


def upload_id_card(page: Page, images: dict[str, Path]) -> None:
    """上传材料: both sides of the 居民身份证, one after the other, each until its preview shows."""
    for side, path in images.items():
        page.get_by_label(side).set_input_files(str(path))
        expect(page.get_by_role("img", name=side)).to_be_visible()


def read_sms_code(page: Page) -> str:
    notice = page.get_by_text("模拟短信")
    expect(notice).to_be_visible()
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", notice.inner_text())
    assert match, f"no 6-digit code in the SMS notice: {notice.inner_text()!r}"
    return match.group(1)


def send_and_enter_code(page: Page, phone: str) -> None:
    field(page, "手机号码").fill(phone)
    with htmx_swap(page):
        page.get_by_role("button", name="发送验证码").click()
    field(page, "验证码").fill(read_sms_code(page))


def fill_details(page: Page, phone: str, *, ethnicity: str | None = "汉族", bank: str = "工商银行",
                 address: str = "广州市越秀区中山五路33号501房") -> None:
    """申请信息: every required field, selects first (each refreshes the page), typed fields after."""
    if ethnicity:
        choose(page, "民族", ethnicity)
    choose(page, "职业", "专业技术人员")
    choose(page, "常住地区", "广州市")
    field(page, "区/县").select_option("越秀区")
    choose(page, "服务银行", bank)
    choose(page, "参保类型", "城镇职工")
    field(page, "证件有效开始日期").fill("2018-05-20")
    field(page, "证件有效截止日期").fill("2038-05-20")
    field(page, "常住详细地址").fill(address)
    send_and_enter_code(page, phone)


def use_system_photo(page: Page) -> None:
    """获取制卡相片 with a system photo: shown, 使用社保系统相片制卡 ticked by default, 使用相片 usable."""
    expect(page.get_by_role("img", name="社保系统相片")).to_be_visible()
    expect(field(page, "使用社保系统相片制卡")).to_be_checked()
    button = page.get_by_role("button", name="使用相片")
    # Soft: a disabled button here is a product bug (reported by the test), yet the rest of the journey is
    # still worth walking, so the citizen reloads the page as anyone would with a dead button.
    expect.soft(button, "使用相片 must be enabled when the system photo is shown and chosen").to_be_enabled(
        timeout=3_000)
    if button.is_disabled():
        page.reload()
        expect(button).to_be_enabled()
    with page.expect_navigation():
        button.click()


def pick_branch(page: Page, name: str = "站前路支行", district: str = "荔湾区", keyword: str = "站前") -> None:
    """领卡方式: 选择 › filter by district › search by keyword › choose the branch."""
    with htmx_swap(page):
        page.get_by_role("button", name="选择").click()
    dialog = page.get_by_role("dialog", name="受理网点信息")
    expect(dialog).to_be_visible()
    field(dialog, "区域").select_option(district)
    with htmx_swap(page):
        dialog.get_by_role("button", name="搜索").click()
    field(dialog, "搜索关键词").fill(keyword)
    with htmx_swap(page):
        dialog.get_by_role("button", name="搜索").click()
    with htmx_swap(page):
        dialog.get_by_role("button", name=re.compile(name)).click()
    expect(page.get_by_role("dialog", name="受理网点信息")).to_be_hidden()
    expect(field(page, "网点名称")).to_have_text(name)


def walk_to_confirm(page: Page, images: dict[str, Path], phone: str, *, bank: str = "工商银行") -> None:
    """A mainland citizen with a system photo, from the home page to 信息确认 with 网点领卡."""
    start_adult(page)
    check_eligibility(page)
    expect(heading(page, "上传材料")).to_be_visible()
    upload_id_card(page, images)
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "获取制卡相片")).to_be_visible()
    use_system_photo(page)
    expect(heading(page, "申请信息")).to_be_visible()
    fill_details(page, phone, bank=bank)
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "领卡方式")).to_be_visible()
    choose(page, "领卡方式", "网点领卡")
    pick_branch(page)
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "信息确认")).to_be_visible()


# ------------------------------------------------------------------ generic helpers added for the minor and cleanup tests

def ensure_chosen(page: Page, label: str, value: str) -> None:
    """Like choose(), but a select that already shows the value (a resumed draft) is left alone: choosing the
    same option again fires no change, so no refresh would come to wait for."""
    group = choice_group(page, label)
    if group.count():
        if not group.get_by_role("radio", name=value, exact=True).is_checked():
            choose(page, label, value)
        expect(choice_group(page, label).get_by_role("radio", name=value, exact=True)).to_be_checked()
        return
    if field(page, label).input_value() != value:
        choose(page, label, value)
    expect(field(page, label)).to_have_value(value)


def section(page: Page, title: str) -> Locator:
    """A card of the page, found by its heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, exact=True))


def value_of(scope: Locator, label: str) -> Locator:
    """The value shown beside a label in a term/definition list (信息确认, record lists)."""
    term = scope.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return term.locator("xpath=following-sibling::*[1]")


def top_bar(page: Page) -> Locator:
    """The header bar, which names the journey the page belongs to."""
    return page.get_by_role("banner")


# ------------------------------------------------------------------ generic helpers added for the resident and low-code tests

# Every SQLite store a server of this session kept, with the forms it served: tests/e2e/test_zz_payloads.py checks
# their applications after the walks.
SERVED: list[tuple[Path, Path]] = []


@contextmanager
def serve(data: Path, **env: str) -> Iterator[str]:
    """`python -m renderer.web` on a free port, its store and log in `data`; yields its base URL and stops it after.
    `env` adds or overrides YSS_* settings (YSS_FORMS, YSS_PERSONAS, YSS_DB, YSS_SECRET …)."""
    port = free_port()
    settings = {**os.environ, "YSS_HOST": "127.0.0.1", "YSS_PORT": str(port),
                "YSS_DB": str(data / "e2e.sqlite3"), "YSS_SECRET": secrets.token_urlsafe(32), **env}
    if "YSS_SIM_FAILURE_RATE" not in env:
        settings.pop("YSS_SIM_FAILURE_RATE", None)
    if "://" not in settings["YSS_DB"]:
        SERVED.append((ROOT / settings["YSS_DB"], ROOT / settings.get("YSS_FORMS", "forms")))
    log_path = data / "server.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "renderer.web"], cwd=ROOT, env=settings,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited early (code {proc.returncode}):\n"
                            + log_path.read_text(encoding="utf-8", errors="replace"))
            try:
                with urllib.request.urlopen(base + "/login", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer GET /login within 20 s:\n"
                            + log_path.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def fill_details_in(page: Page, phone: str, *, city: str, district: str, bank: str, address: str,
                    ethnicity: str = "汉族", occupation: str = "专业技术人员", insurance_type: str = "城镇职工",
                    valid_from: str = "2019-06-01", valid_to: str = "2029-06-01") -> None:
    """申请信息 like fill_details(), with the 常住地区 city and district chosen by the caller."""
    choose(page, "民族", ethnicity)
    choose(page, "职业", occupation)
    choose(page, "常住地区", city)
    field(page, "区/县").select_option(district)
    choose(page, "服务银行", bank)
    choose(page, "参保类型", insurance_type)
    field(page, "证件有效开始日期").fill(valid_from)
    field(page, "证件有效截止日期").fill(valid_to)
    field(page, "常住详细地址").fill(address)
    send_and_enter_code(page, phone)


def options_of(select: Locator) -> list[str]:
    """The texts a select (or a group of radios) offers, a select's placeholder (请选择, 城市, 区/县 …: the option
    without a value) left out."""
    radios = select.get_by_role("radio").all()
    if radios:
        return [radio.evaluate("e => e.labels[0].innerText.trim()") for radio in radios]
    return [option.inner_text().strip() for option in select.get_by_role("option").all()
            if option.get_attribute("value") != ""]


def use_receipt_photo(page: Page, receipt: str) -> None:
    """获取制卡相片 by receipt number: 获取图片 shows it, 使用相片 is enabled and pressed."""
    field(page, "输入社保卡相片回执号").fill(receipt)
    with htmx_swap(page):
        page.get_by_role("button", name="获取图片").click()
    expect(page.get_by_role("img", name="回执号相片")).to_be_visible()
    expect(page.get_by_role("button", name="使用相片")).to_be_enabled()
    page.get_by_role("button", name="使用相片").click()


# ------------------------------------------------------------------ the accessibility sweep's figures

def pytest_terminal_summary(terminalreporter: Any) -> None:
    """`axe: N states swept, M violations`, when any walk checked a state (tests/a11y/sweep.py)."""
    from tests.a11y.sweep import SWEEP
    if SWEEP.states:
        terminalreporter.write_line(SWEEP.summary())
