"""Unit tests for renderer.uploads.memory: concurrent decodes are bounded per process."""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from PIL import Image

from renderer.uploads import images, memory
from renderer.uploads.images import ImageRejected, process_upload


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_no_more_than_decode_slots_decodes_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    original = images._rgb_at

    def slow_rgb_at(img: Image.Image, size: tuple[int, int]) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return original(img, size)

    monkeypatch.setattr(images, "_rgb_at", slow_rgb_at)
    data = _png()
    results: list[Any] = []
    uploads = 4 * memory.DECODE_SLOTS
    threads = [threading.Thread(target=lambda: results.append(process_upload(data))) for _ in range(uploads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == uploads
    assert most == memory.DECODE_SLOTS


def test_uploads_refused_by_their_first_bytes_do_not_wait_for_a_slot() -> None:
    for _ in range(memory.DECODE_SLOTS):
        memory._slots.acquire()
    try:
        refused = [(b"GIF89a" + b"\x00" * 20, "image.bad_format"), (b"hello", "image.not_image"), (b"", "image.empty")]
        for data, code in refused:
            with pytest.raises(ImageRejected) as info:
                process_upload(data)
            assert info.value.code == code
    finally:
        for _ in range(memory.DECODE_SLOTS):
            memory._slots.release()


def test_a_failed_decode_gives_its_slot_back() -> None:
    for _ in range(memory.DECODE_SLOTS + 1):
        with pytest.raises(ImageRejected):
            process_upload(_png()[:60])
    # Every slot is free again: taking them all must not block.
    taken = [memory._slots.acquire(timeout=1) for _ in range(memory.DECODE_SLOTS)]
    for _ in taken:
        memory._slots.release()
    assert all(taken)


def test_handing_back_freed_memory_is_safe_to_call_any_time() -> None:
    memory.hand_back_freed_memory()
    with memory.decode_slot():
        memory.hand_back_freed_memory()
