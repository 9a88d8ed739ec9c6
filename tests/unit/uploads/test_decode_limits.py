"""process_upload against the worst uploads a phone, an editor or an attacker may send (issue 8, item 6)."""

from __future__ import annotations

import io
import random
import struct

import pytest
from PIL import ExifTags, Image, ImageChops, ImageDraw
from PIL.ImageFile import ImageFile
from worst_images import flat_png, png_with_declared_size

from renderer.uploads import images
from renderer.uploads.images import ImageLimits, ImageRejected, process_upload

GREY = (127, 127, 127)  # flat_png writes 0x7F in every byte


def _rejected(data: bytes, limits: ImageLimits = ImageLimits()) -> str:
    with pytest.raises(ImageRejected) as info:
        process_upload(data, limits)
    return info.value.code


def _decoded(result: images.ProcessedImage) -> Image.Image:
    img = Image.open(io.BytesIO(result.data))
    img.load()
    return img


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 3) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def _jpeg(img: Image.Image, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def _with_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    sof = next(data.index(m) for m in (b"\xff\xc0", b"\xff\xc2") if m in data)  # baseline or progressive
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


@pytest.fixture
def never_decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every decode; a test that asks for this asserts the list stays empty."""
    loads: list[str] = []
    original = ImageFile.load

    def load(self: ImageFile) -> object:
        loads.append(f"{self.format} {self.size}")
        return original(self)

    monkeypatch.setattr(ImageFile, "load", load)
    return loads


def test_the_170_kb_png_of_issue_8_is_refused_before_decoding(never_decoded: list[str]) -> None:
    data = flat_png((6300, 6300))  # RGBA: 160 MB decoded, 600 MB in the old pipeline
    assert len(data) < 200_000
    assert _rejected(data) == "image.too_many_pixels"
    assert never_decoded == []


def test_png_cap_is_4096_squared() -> None:
    assert _rejected(png_with_declared_size((4097, 4096))) == "image.too_many_pixels"
    result = process_upload(flat_png((4096, 4096)))  # the largest PNG taken, in its costliest mode
    assert (result.width, result.height) == (2000, 2000)
    assert _close(_decoded(result).getpixel((1000, 1000)), (191, 191, 191))  # grey at half alpha, on white


def test_tiny_png_claiming_a_big_picture_is_corrupt_without_decoding(never_decoded: list[str]) -> None:
    assert _rejected(png_with_declared_size((4000, 4000))) == "image.corrupt"
    assert never_decoded == []


@pytest.mark.parametrize(
    ("colour_type", "bit_depth", "extra", "expected"),
    [
        (2, 16, {}, GREY),  # 16-bit RGB: Pillow reads it as 8-bit RGB
        (6, 16, {}, (191, 191, 191)),  # 16-bit RGBA, half transparent
        (0, 16, {}, GREY),  # 16-bit grey: scaled to 8 bits, not clipped to white
        (4, 8, {}, (191, 191, 191)),  # grey + alpha
        (3, 8, {"palette": bytes(range(256)) * 3, "transparency": b"\x00" * 128}, (255, 255, 255)),
        (6, 8, {"interlace": True}, (191, 191, 191)),  # Adam7
    ],
)
def test_png_modes_are_downscaled_in_bands_with_the_right_colour(
    colour_type: int, bit_depth: int, extra: dict[str, object], expected: tuple[int, int, int]
) -> None:
    data = flat_png((2400, 1800), colour_type, bit_depth, **extra)  # type: ignore[arg-type]
    out = _decoded(process_upload(data))
    assert out.size == (2000, 1500)
    assert _close(out.getpixel((1000, 750)), expected)
    assert _close(out.getpixel((0, 0)), expected) and _close(out.getpixel((1999, 1499)), expected)


def test_transparency_is_flattened_on_white_when_downscaling() -> None:
    img = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (1500, 0, 3000, 1000))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    out = _decoded(process_upload(buf.getvalue()))
    assert out.size == (2000, 667)
    assert _close(out.getpixel((300, 300)), (255, 255, 255), 8)
    assert _close(out.getpixel((1700, 300)), (0, 0, 0), 8)


def test_png_text_chunks_beyond_pillows_limit_are_corrupt() -> None:
    assert _rejected(flat_png((64, 64), text_mb=70)) == "image.corrupt"


def test_truncated_png_at_the_cap_is_corrupt() -> None:
    noisy = Image.frombytes("RGB", (2048, 1024), random.Random(11).randbytes(2048 * 1024 * 3))
    buf = io.BytesIO()
    noisy.save(buf, "PNG", compress_level=1)
    data = buf.getvalue()
    assert _rejected(data[: len(data) * 3 // 4]) == "image.corrupt"


def test_108_mp_phone_photo_on_its_side_is_taken() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = Image.new("L", (12000, 9000), 90)
    photo.paste(200, (0, 0, 6000, 9000))  # left half light: on top once upright
    data = _jpeg(photo, quality=75, exif=exif.tobytes())
    del photo
    result = process_upload(data)
    out = _decoded(result)
    assert (result.width, result.height) == out.size == (1500, 2000)
    assert _close(out.getpixel((750, 100)), (200, 200, 200), 6)
    assert _close(out.getpixel((750, 1900)), (90, 90, 90), 6)


def test_sequential_jpeg_cap_admits_200_mp_sensors() -> None:
    header = _jpeg(Image.new("RGB", (8, 8)))
    assert _rejected(_with_jpeg_size(header, 16385, 12288)) == "image.too_many_pixels"
    # Within the cap (16320x12240 is a 200 MP sensor), so only the missing data gets it refused.
    assert _rejected(_with_jpeg_size(header, 16320, 12240)) == "image.corrupt"


def test_progressive_jpeg_has_the_png_cap() -> None:
    small = _jpeg(Image.new("RGB", (8, 8)), progressive=True)
    assert _rejected(_with_jpeg_size(small, 4097, 4096)) == "image.too_many_pixels"
    assert _rejected(_with_jpeg_size(small, 8000, 6000)) == "image.too_many_pixels"
    photo = Image.effect_noise((3000, 2000), 30).convert("RGB")
    result = process_upload(_jpeg(photo, progressive=True))
    assert (result.width, result.height) == (2000, 1333)


def test_truncated_progressive_jpeg_is_corrupt() -> None:
    data = _jpeg(Image.effect_noise((800, 600), 60).convert("RGB"), progressive=True)
    assert _rejected(data[: len(data) // 2]) == "image.corrupt"


def test_max_full_decode_pixels_comes_from_limits() -> None:
    limits = ImageLimits(max_full_decode_pixels=100)
    picture = Image.new("RGB", (20, 20), (10, 200, 10))
    buf = io.BytesIO()
    picture.save(buf, "PNG")
    assert _rejected(buf.getvalue(), limits) == "image.too_many_pixels"
    assert _rejected(_jpeg(picture, progressive=True), limits) == "image.too_many_pixels"
    assert process_upload(_jpeg(picture), limits).width == 20  # a baseline JPEG streams: max_pixels alone


def test_banded_resize_matches_resizing_the_whole_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_BAND_SOURCE_ROWS", 16)  # many bands, so every seam is tested
    size = (1234, 777)
    channels = [Image.linear_gradient("L"), Image.radial_gradient("L"), Image.linear_gradient("L").rotate(90)]
    picture = Image.merge("RGB", [c.resize(size) for c in channels])
    ImageDraw.Draw(picture).ellipse((300, 200, 700, 500), fill=(20, 200, 40))  # hard edges too
    for target in [(500, 315), (1000, 630), (101, 63)]:
        whole = picture.resize(target, Image.Resampling.LANCZOS)
        banded = images._rgb_at(picture, target)
        difference = ImageChops.difference(whole, banded).getextrema()
        # Pillow may order its two passes differently for a band; each rounds to 8 bits, so allow a few levels.
        assert max(high for _, high in difference) <= 4, target
