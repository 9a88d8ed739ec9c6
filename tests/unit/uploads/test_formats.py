"""Unit tests for renderer.uploads.formats (what an upload is, from its first bytes)."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from worst_images import flat_png, png_with_declared_size

from renderer.uploads.formats import jpeg_streams, least_bytes, sniff


def _jpeg(mode: str = "RGB", size: tuple[int, int] = (64, 48), **kwargs: object) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, 128 if mode == "L" else (120, 140, 160)).save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def _with_frame_marker(data: bytes, marker: int) -> bytes:
    sof = data.index(b"\xff\xc0")
    return data[: sof + 1] + bytes([marker]) + data[sof + 2 :]


def _with_first_scan_components(data: bytes, count: int) -> bytes:
    sos = data.index(b"\xff\xda")
    return data[: sos + 4] + bytes([count]) + data[sos + 5 :]


@pytest.mark.parametrize(
    ("fmt", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("GIF", "other"), ("WEBP", "other"), ("TIFF", "other")]
)
def test_sniff_names_jpeg_and_png_and_knows_other_images(fmt: str, expected: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, fmt)
    assert sniff(buf.getvalue()) == expected


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", "一段文字".encode() * 8, random.Random(5).randbytes(64)])
def test_sniff_finds_no_image_in_other_bytes(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_baseline_jpeg_streams(mode: str) -> None:
    assert jpeg_streams(_jpeg(mode))


def test_progressive_jpeg_does_not_stream() -> None:
    assert not jpeg_streams(_jpeg(progressive=True))


def test_multi_scan_sequential_and_lossless_jpegs_do_not_stream() -> None:
    baseline = _jpeg()
    assert not jpeg_streams(_with_first_scan_components(baseline, 1))  # one component per scan
    assert not jpeg_streams(_with_frame_marker(baseline, 0xC3))  # lossless: no scaled decode either


@pytest.mark.parametrize("data", [b"\xff\xd8\xff", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\xff\xd8" + b"\x00" * 50])
def test_jpeg_without_frame_or_scan_does_not_stream(data: bytes) -> None:
    assert not jpeg_streams(data)


def test_least_bytes_passes_the_most_compressible_real_files() -> None:
    png = flat_png((2000, 1500))
    assert len(png) >= least_bytes("PNG", png, (2000, 1500))
    jpeg = _jpeg("L", (4000, 3000), quality=10)
    assert len(jpeg) >= least_bytes("JPEG", jpeg, (4000, 3000))


def test_least_bytes_catches_a_tiny_file_claiming_a_big_picture() -> None:
    png = png_with_declared_size((4000, 4000))
    assert len(png) < least_bytes("PNG", png, (4000, 4000))
    jpeg = _jpeg()
    assert len(jpeg) < least_bytes("JPEG", jpeg, (8000, 6000))


def test_arithmetic_coded_jpeg_has_no_floor() -> None:
    assert least_bytes("JPEG", _with_frame_marker(_jpeg(), 0xC9), (8000, 6000)) == 0
