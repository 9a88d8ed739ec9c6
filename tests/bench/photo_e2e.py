"""Photos on mobile data: a 5 MB phone photo chosen on 上传材料 in Chromium on slow 4G, until 信息确认 is shown.

The walk is tests/e2e/test_photo_upload.py's (which asserts the same limits); this prints its figures."""
from __future__ import annotations

import tempfile
from pathlib import Path

from tests.bench.report import add_figure, step

CONFIRM_WITHIN_S = 5.0
CONFIRM_IMAGES_AT_MOST_KB = 200.0
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}                       # tests/e2e/conftest.py's browser_context_args


def bench_photo_e2e() -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from tests.e2e.test_photo_upload import SLOW_4G, measure_photo_to_confirm, phone_photo, small_id_card

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        step("photo_e2e: generating a 5 MB 4000x3000 phone photo")
        photo, id_card = phone_photo(folder), small_id_card(folder)
        step("photo_e2e: server and Chromium; walk to 信息确认, then 修改 上传材料 on slow 4G")
        with serve(folder) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(base_url=base, **PHONE).new_page()
                timing = measure_photo_to_confirm(page, photo, id_card)
            finally:
                browser.close()
    link = (f"{SLOW_4G['latency']} ms, {SLOW_4G['downloadThroughput'] * 8 / 1e6:g} Mbit/s down, "
            f"{SLOW_4G['uploadThroughput'] * 8 / 1e3:g} kbit/s up")
    add_figure("photo e2e: 5 MB phone photo chosen → 信息确认 shown", timing.confirm_s, "s", CONFIRM_WITHIN_S,
               f"slow 4G ({link}); photo {timing.photo_bytes / 1e6:.1f} MB, kept {timing.kept_size[0]}x"
               f"{timing.kept_size[1]}; the original sent as it is would take "
               f"{timing.photo_bytes / SLOW_4G['uploadThroughput']:.0f} s")
    add_figure("photo e2e: chosen → scaled copy sent (decode, resize, encode)", timing.scale_s, "s", None,
               f"{timing.sent_bytes / 1000:.0f} KB sent")
    add_figure("photo e2e: chosen → uploaded, its thumbnail shown", timing.upload_s, "s", None,
               f"progress shown: {timing.saw_progress}, 下一步 held: {timing.next_held}")
    add_figure("photo e2e: 信息确认 images (thumbnails)", timing.confirm_image_bytes / 1000, "KB",
               CONFIRM_IMAGES_AT_MOST_KB, f"the full pictures would be {timing.originals_bytes / 1000:.0f} KB; "
               f"HTML {timing.confirm_html_bytes / 1000:.0f} KB")
