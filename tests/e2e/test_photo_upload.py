"""Photos on mobile data: a 5 MB phone photo, chosen on 上传材料 over a slow 4G link, is scaled in the browser to
what the server keeps, sent with a progress bar while 下一步 waits, and 信息确认 shows thumbnails.

`measure_photo_to_confirm` is the walk; tests/bench/photo_e2e.py runs it too and prints its figures."""
from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.bench.photo import phone_like_jpeg
from tests.e2e.conftest import (
    check_eligibility,
    heading,
    phone_page,
    serve,
    sign_in,
    start_adult,
    walk_to_confirm,
)

# Chrome DevTools' "Slow 4G": 150 ms, 1.6 Mbit/s down, 750 kbit/s up (bytes per second for the protocol).
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CONFIRM_IMAGES_AT_MOST = 200_000         # bytes of images 信息确认 shows (it was 895 KB of originals)
THUMBNAIL_SIDE = 320                     # renderer.uploads.images.LIMITS.thumbnail_side
SIDE = "身份证人像面"
ZHANG_WEI = "440106199001011235"
ZHAO_MIN = "440104199303032645"


@dataclass(frozen=True)
class PhotoTiming:
    photo_bytes: int            # the file the citizen chose
    scale_s: float              # chosen -> the scaled copy's post starts (decoded and encoded in the browser)
    sent_bytes: int             # what that post carried
    upload_s: float             # chosen -> its thumbnail shown on 上传材料
    confirm_s: float            # chosen -> 信息确认 shown (下一步 pressed as soon as it is enabled)
    confirm_image_bytes: int    # what the images 信息确认 shows weigh
    originals_bytes: int        # what they would weigh as the full pictures (as 信息确认 showed them before)
    confirm_html_bytes: int
    saw_progress: bool          # 正在上传 N% was shown
    next_held: bool             # 下一步 was disabled while the photo was on its way
    kept_size: tuple[int, int]  # the full picture the server kept
    thumbnail_sizes: list[tuple[int, int]]


def phone_photo(folder: Path) -> Path:
    """A 4000x3000 camera JPEG of about 5 MB, its pixels sideways with EXIF orientation 6 (held upright)."""
    path = folder / "phone-photo.jpg"
    path.write_bytes(phone_like_jpeg(quality=94, orientation=6))
    return path


def small_id_card(folder: Path) -> dict[str, Path]:
    paths = {}
    for name, colour in (("身份证国徽面", (200, 40, 40)), (SIDE, (40, 90, 200))):
        buffer = io.BytesIO()
        Image.new("RGB", (640, 400), colour).save(buffer, format="JPEG", quality=85)
        paths[name] = folder / f"{colour[0]}.jpg"
        paths[name].write_bytes(buffer.getvalue())
    return paths


def measure_photo_to_confirm(page: Page, photo: Path, id_card: dict[str, Path]) -> PhotoTiming:
    """From the home page to 信息确认, then 修改 上传材料 and replace 身份证人像面 with `photo` on slow 4G."""
    sign_in(page, ZHANG_WEI)
    walk_to_confirm(page, id_card, "13622223333")
    page.get_by_role("link", name="修改上传材料").click()
    expect(heading(page, "上传材料")).to_be_visible()
    page.get_by_role("button", name=f"删除{SIDE}").click()
    expect(page.get_by_role("img", name=SIDE)).to_be_hidden()
    chooser = page.get_by_label(re.compile(f"^{SIDE}"))   # not 删除身份证人像面
    expect(chooser).to_be_enabled()
    next_button = page.get_by_role("button", name="下一步")
    expect(next_button).to_be_enabled()

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    posts: list[tuple[float, int]] = []
    page.on("request", lambda r: posts.append((time.perf_counter(), len(r.post_data_buffer or b"")))
            if r.method == "POST" and not posts else None)
    try:
        started = time.perf_counter()
        chooser.set_input_files(str(photo))
        progress = page.get_by_text("正在上传")
        saw_progress = _seen(progress)
        next_held = next_button.is_disabled()
        expect(page.get_by_role("img", name=SIDE)).to_be_visible(timeout=30_000)
        uploaded = time.perf_counter()
        expect(next_button).to_be_enabled()
        next_button.click()
        expect(heading(page, "信息确认")).to_be_visible(timeout=30_000)
        page.wait_for_load_state("load")
        confirmed = time.perf_counter()
    finally:
        cdp.send("Network.emulateNetworkConditions", {**SLOW_4G, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
        cdp.detach()

    shown: list[dict[str, Any]] = page.evaluate("""() => Promise.all([...document.images].map(async img => ({
        alt: img.alt, src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight,
        bytes: (await (await fetch(img.src)).arrayBuffer()).byteLength,
        full: (await (await fetch(img.src.split('?')[0])).arrayBuffer()).byteLength})))""")
    html_bytes = len(page.content().encode())
    full = page.request.get(next(s["src"] for s in shown if s["alt"] == SIDE).split("?")[0])
    kept = Image.open(io.BytesIO(full.body())).size
    return PhotoTiming(photo.stat().st_size, posts[0][0] - started, posts[0][1], uploaded - started, confirmed - started, sum(s["bytes"] for s in shown),
                       sum(s["full"] for s in shown), html_bytes, saw_progress, next_held, kept, [(s["width"], s["height"]) for s in shown])


def _seen(locator: Any) -> bool:
    try:
        expect(locator).to_be_visible(timeout=5_000)
    except AssertionError:
        return False
    return True


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of this module's own: the walk leaves 张伟's draft on 信息确认, which no other test should meet."""
    with serve(tmp_path_factory.mktemp("photo-server")) as base:
        yield base


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any], own_server: str) -> Iterator[Page]:
    yield from phone_page(browser, browser_context_args, own_server)


def test_a_5mb_phone_photo_is_on_confirm_within_5s_on_slow_4g(phone: Page, tmp_path: Path) -> None:
    timing = measure_photo_to_confirm(phone, phone_photo(tmp_path), small_id_card(tmp_path))
    print(f"\n5 MB phone photo on slow 4G: chosen -> uploaded {timing.upload_s:.2f} s, -> 信息确认 {timing.confirm_s:.2f} s; "
          f"信息确认 images {timing.confirm_image_bytes / 1000:.0f} KB, HTML {timing.confirm_html_bytes / 1000:.0f} KB")
    assert timing.photo_bytes > 4_900_000
    assert timing.saw_progress, "no 正在上传 N% while the photo was sent"
    assert timing.next_held, "下一步 stayed enabled while the photo was sent"
    assert timing.kept_size == (1500, 2000), "the photo was not stood up as its EXIF says, or not scaled to 2000"
    assert all(max(size) <= THUMBNAIL_SIDE for size in timing.thumbnail_sizes), timing.thumbnail_sizes
    assert timing.confirm_image_bytes < CONFIRM_IMAGES_AT_MOST
    # The time itself is a figure for the bench (tests/bench/photo_e2e.py prints it against its 5 s target): on a
    # shared CI machine a wall-clock limit would fail for reasons that are not the product's.


def test_a_failed_upload_says_so_keeps_the_photo_and_sends_it_again(phone: Page, tmp_path: Path) -> None:
    sign_in(phone, ZHAO_MIN)
    start_adult(phone)
    check_eligibility(phone)
    expect(heading(phone, "上传材料")).to_be_visible()
    phone.route("**/j/adult/documents", lambda route: route.abort() if route.request.method == "POST"
                else route.continue_())
    phone.get_by_label(re.compile(f"^{SIDE}")).set_input_files(str(small_id_card(tmp_path)[SIDE]))
    expect(phone.get_by_text("上传失败,请检查网络后重试")).to_be_visible()
    expect(phone.get_by_role("button", name="下一步")).to_be_enabled()
    phone.unroute("**/j/adult/documents")
    phone.get_by_role("button", name="重新上传").click()
    expect(phone.get_by_role("img", name=SIDE)).to_be_visible()
    expect(phone.get_by_text("上传失败,请检查网络后重试")).to_be_hidden()
