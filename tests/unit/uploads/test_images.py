"""Unit tests for renderer.uploads.images (upload validation and re-encoding)."""

from __future__ import annotations

import io
import random
import struct
import warnings
import zlib

import pytest
from PIL import ExifTags, Image, ImageFile

from renderer.uploads.images import (
    ImageLimits,
    ImageRejected,
    ProcessedImage,
    make_placeholder_portrait,
    process_upload,
)

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def _encode(img: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def _jpeg(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = RED, **kwargs: object) -> bytes:
    return _encode(Image.new("RGB", size, color), "JPEG", **kwargs)


def _png(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = RED) -> bytes:
    return _encode(Image.new("RGB", size, color), "PNG")


def _half_red_half_blue(size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, BLUE)
    img.paste(RED, (0, 0, size[0] // 2, size[1]))
    return img


def _open(result: ProcessedImage) -> Image.Image:
    img = Image.open(io.BytesIO(result.data))
    img.load()
    return img


def _rejected(data: bytes, limits: ImageLimits = ImageLimits()) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        process_upload(data, limits)
    assert info.value.message  # every rejection carries text for the citizen
    return info.value


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def _patch_png_size(data: bytes, width: int, height: int) -> bytes:
    # IHDR is the first chunk: 8-byte signature, length, b"IHDR", width, height, ..., CRC over type+data.
    assert data[12:16] == b"IHDR"
    ihdr = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + data[33:]


def _patch_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    # Baseline SOF0 segment: FFC0, length(2), precision(1), height(2), width(2).
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_valid_small_image_is_accepted_as_jpeg_with_size_kept(fmt: str) -> None:
    data = _jpeg((64, 48)) if fmt == "JPEG" else _png((64, 48))
    result = process_upload(data)
    out = _open(result)
    assert out.format == "JPEG"
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == out.size == (64, 48)
    assert out.mode == "RGB"
    assert _close(out.getpixel((32, 24)), RED)


@pytest.mark.parametrize(
    ("fmt", "size", "expected"),
    [
        ("JPEG", (4000, 3000), (2000, 1500)),
        ("PNG", (3000, 4000), (1500, 2000)),
        ("JPEG", (4001, 3001), (2000, 1500)),  # draft rounds up; the final resize must still hit the bound
        ("JPEG", (2500, 700), (2000, 560)),  # not a power-of-two ratio: draft cannot do it alone
    ],
)
def test_large_image_is_downscaled_keeping_aspect(
    fmt: str, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    data = _encode(_half_red_half_blue(size), fmt)
    result = process_upload(data)
    out = _open(result)
    assert out.size == (result.width, result.height) == expected
    assert _close(out.getpixel((10, 10)), RED)
    assert _close(out.getpixel((expected[0] - 10, 10)), BLUE)


def test_max_side_comes_from_limits() -> None:
    result = process_upload(_jpeg((400, 300)), ImageLimits(max_side=100))
    assert (result.width, result.height) == (100, 75)


def test_jpeg_quality_comes_from_limits() -> None:
    noisy = Image.frombytes("RGB", (200, 150), random.Random(3).randbytes(200 * 150 * 3))
    data = _encode(noisy, "PNG")
    low = process_upload(data, ImageLimits(jpeg_quality=30)).data
    high = process_upload(data, ImageLimits(jpeg_quality=95)).data
    assert len(low) < len(high) * 0.6


def _exif_with_orientation_and_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Acme Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)})
    return exif


def test_exif_orientation_is_applied_and_exif_is_stripped() -> None:
    data = _encode(_half_red_half_blue((200, 100)), "JPEG", exif=_exif_with_orientation_and_gps().tobytes())
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture really carries GPS

    result = process_upload(data)
    out = _open(result)
    assert out.size == (result.width, result.height) == (100, 200)
    # Orientation 6 means "rotate 90 degrees clockwise to display": the stored left half ends up on top.
    assert _close(out.getpixel((50, 20)), RED)
    assert _close(out.getpixel((50, 180)), BLUE)
    assert len(out.getexif()) == 0
    assert "exif" not in out.info
    assert b"Exif" not in result.data
    assert b"Acme Phone" not in result.data


def test_exif_orientation_is_applied_together_with_downscaling() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = _encode(Image.new("RGB", (4000, 3000), RED), "JPEG", exif=exif.tobytes())
    result = process_upload(data)
    assert (result.width, result.height) == _open(result).size == (1500, 2000)


def test_comment_and_icc_profile_are_stripped() -> None:
    icc = b"FAKE-ICC-PROFILE-" * 16
    data = _jpeg((80, 60), comment=b"secret-comment", icc_profile=icc)
    source = Image.open(io.BytesIO(data))
    assert source.info.get("comment") == b"secret-comment"
    assert source.info.get("icc_profile") == icc

    result = process_upload(data)
    out = _open(result)
    assert "comment" not in out.info
    assert "icc_profile" not in out.info
    assert b"secret-comment" not in result.data
    assert b"FAKE-ICC-PROFILE" not in result.data


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_is_flattened_on_white(mode: str) -> None:
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (20, 0, 40, 40))
    if mode == "LA":
        img = img.convert("LA")
    elif mode == "P":
        img = img.convert("P")  # palette PNG with a transparency entry, as many tools write
    data = _encode(img, "PNG")
    assert Image.open(io.BytesIO(data)).mode == mode

    out = _open(process_upload(data))
    assert out.mode == "RGB"
    assert _close(out.getpixel((5, 20)), (255, 255, 255))  # transparent -> white, not black
    assert _close(out.getpixel((35, 20)), (0, 0, 0))


def test_cmyk_jpeg_and_16_bit_greyscale_png_become_rgb() -> None:
    cmyk = _encode(Image.new("CMYK", (30, 30), (0, 255, 255, 0)), "JPEG")
    assert _open(process_upload(cmyk)).mode == "RGB"

    grey16 = _encode(Image.new("I;16", (30, 30), 32768), "PNG")
    out = _open(process_upload(grey16))
    assert out.mode == "RGB"
    assert _close(out.getpixel((15, 15)), (128, 128, 128), tolerance=5)  # scaled, not clipped to white


def test_multi_picture_jpeg_from_phone_camera_is_accepted() -> None:
    second = Image.new("RGB", (50, 40))
    data = _encode(Image.new("RGB", (50, 40), RED), "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = process_upload(data)
    assert (result.width, result.height) == (50, 40)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_image_formats_are_rejected(fmt: str) -> None:
    data = _encode(Image.new("RGB", (20, 20), RED), fmt)
    error = _rejected(data)
    assert error.code == "image.bad_format"
    assert "JPG" in error.message and "PNG" in error.message


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1234).randbytes(4096),
        "这不是图片,只是一段文字。".encode() * 20,
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    ],
)
def test_non_images_are_rejected(data: bytes) -> None:
    error = _rejected(data)
    assert error.code == "image.not_image"
    assert error.message == "请上传JPG或PNG格式的图片"


def test_empty_upload_is_rejected() -> None:
    error = _rejected(b"")
    assert (error.code, error.message) == ("image.empty", "请上传图片")


def test_oversized_upload_is_rejected_with_limit_in_message() -> None:
    data = _jpeg((64, 48))
    error = _rejected(data, ImageLimits(max_bytes=len(data) - 1))
    assert error.code == "image.too_large"
    assert f"{len(data) - 1}B" in error.message
    process_upload(data, ImageLimits(max_bytes=len(data)))  # exactly at the limit is fine

    default = _rejected(b"\xff" * (10 * 1024 * 1024 + 1))
    assert (default.code, default.message) == ("image.too_large", "图片不能超过10MB")
    assert _rejected(b"\xff" * 3000, ImageLimits(max_bytes=2048)).message == "图片不能超过2KB"


def test_png_header_claiming_huge_dimensions_is_rejected() -> None:
    data = _patch_png_size(_png((1, 1)), 100_000, 100_000)
    error = _rejected(data)
    assert error.code == "image.too_many_pixels"
    assert error.message == "图片尺寸过大,请压缩后重新上传"


def test_png_header_above_our_limit_but_below_pillows_is_rejected() -> None:
    # 49M pixels: Pillow itself would happily try to decode this, so only our own header check stops it.
    data = _patch_png_size(_png((1, 1)), 7000, 7000)
    assert Image.open(io.BytesIO(data)).size == (7000, 7000)
    assert _rejected(data).code == "image.too_many_pixels"


def test_jpeg_header_claiming_huge_dimensions_is_rejected() -> None:
    data = _patch_jpeg_size(_jpeg((8, 8)), 65_000, 65_000)
    assert _rejected(data).code == "image.too_many_pixels"


def test_jpeg_too_short_for_the_size_it_claims_is_corrupt() -> None:
    # 7000x7000 is an ordinary 48 MP photo now, but 600 bytes cannot hold one: libjpeg would fill it with grey.
    data = _patch_jpeg_size(_jpeg((8, 8)), 7000, 7000)
    assert _rejected(data).code == "image.corrupt"


@pytest.mark.parametrize("dims", [(10_000, 10_000), (16_000, 12_000)])
def test_pillow_bomb_check_neither_warns_nor_changes_global_state(dims: tuple[int, int]) -> None:
    # Image.open would warn about 100 M pixels and refuse 192 M; our own caps decide instead, without a
    # warning (which is process-wide) and without touching Image.MAX_IMAGE_PIXELS.
    data = _patch_jpeg_size(_jpeg((8, 8)), *dims)
    filters_before = list(warnings.filters)
    max_pixels_before = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _rejected(data).code == "image.corrupt"  # within our caps; too short for its size
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert warnings.filters == filters_before
    assert max_pixels_before == Image.MAX_IMAGE_PIXELS


def test_max_pixels_comes_from_limits() -> None:
    assert _rejected(_png((20, 20)), ImageLimits(max_pixels=100)).code == "image.too_many_pixels"
    assert process_upload(_png((10, 10)), ImageLimits(max_pixels=100)).width == 10


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image_is_rejected_as_corrupt(fmt: str) -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    noisy = Image.frombytes("RGB", (300, 200), random.Random(7).randbytes(300 * 200 * 3))
    data = _encode(noisy, fmt)
    error = _rejected(data[: len(data) // 2])
    assert (error.code, error.message) == ("image.corrupt", "图片已损坏,请重新拍摄或选择")


def test_unexpected_pillow_errors_become_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(Image.Image, "getexif", boom)
    error = _rejected(_jpeg())
    assert error.code == "image.corrupt"
    assert isinstance(error.__cause__, RuntimeError)


def test_placeholder_portrait_is_deterministic_and_seed_dependent() -> None:
    first = make_placeholder_portrait("440101199001011234")
    assert first == make_placeholder_portrait("440101199001011234")
    assert first != make_placeholder_portrait("440101199001015678")

    img = Image.open(io.BytesIO(first))
    assert (img.format, img.size) == ("JPEG", (358, 441))
    background = img.getpixel((5, 5))
    assert background[2] > 200 and background[2] > background[0]  # light blue corner
    assert img.getpixel((179, 180)) != background  # head drawn in the middle


def test_placeholder_portrait_passes_upload_processing() -> None:
    data = make_placeholder_portrait("张三", size=(300, 400))
    result = process_upload(data)
    assert (result.width, result.height) == (300, 400)
