"""Validate, normalise and re-encode citizens' image uploads (ID-card photos taken on phones)."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

# MPO is what Pillow calls the multi-picture JPEGs some phone cameras write; it is still a JPEG file.
_ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG"})
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
_WHITE = (255, 255, 255)
_BACKGROUND_BLUE = (190, 222, 246)

_MSG_EMPTY = "请上传图片"
_MSG_FORMAT = "请上传JPG或PNG格式的图片"
_MSG_PIXELS = "图片尺寸过大,请压缩后重新上传"
_MSG_CORRUPT = "图片已损坏,请重新拍摄或选择"


class ImageRejected(Exception):
    """An unacceptable upload; `message` is Chinese text shown to the citizen next to the field."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ImageLimits:
    """Size limits and output quality for accepted uploads."""

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side: int = 2000
    jpeg_quality: int = 85


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded, metadata-free JPEG ready to store."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def process_upload(data: bytes, limits: ImageLimits = ImageLimits()) -> ProcessedImage:
    """Validate an uploaded photo and return it as an upright, bounded, metadata-free JPEG."""
    if not data:
        raise ImageRejected("image.empty", _MSG_EMPTY)
    if len(data) > limits.max_bytes:
        raise ImageRejected("image.too_large", f"图片不能超过{_size_label(limits.max_bytes)}")
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; make it fatal here without
            # touching the process-wide Image.MAX_IMAGE_PIXELS.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _process(data, limits)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("image.too_many_pixels", _MSG_PIXELS) from exc
    except Exception as exc:  # Pillow reports bad data with many types (OSError, SyntaxError, ValueError...)
        raise ImageRejected("image.corrupt", _MSG_CORRUPT) from exc


def _process(data: bytes, limits: ImageLimits) -> ProcessedImage:
    """Decode, orient, flatten, downscale and re-encode; raises on anything unacceptable."""
    try:
        img = Image.open(io.BytesIO(data))  # parses the header only
    except UnidentifiedImageError as exc:
        raise ImageRejected("image.not_image", _MSG_FORMAT) from exc
    if img.format not in _ALLOWED_FORMATS:
        raise ImageRejected("image.bad_format", _MSG_FORMAT)
    width, height = img.size
    if width * height > limits.max_pixels:  # decompression-bomb guard: refuse before allocating pixels
        raise ImageRejected("image.too_many_pixels", _MSG_PIXELS)

    target = _fit((width, height), limits.max_side)
    if isinstance(img, JpegImageFile) and target != (width, height):
        # Let libjpeg scale by 1/2, 1/4 or 1/8 while decoding: several times cheaper for phone photos.
        img.draft("RGB", target)
    img.load()  # full decode, so truncated/corrupt files are rejected now rather than stored

    decoded_size = img.size
    ImageOps.exif_transpose(img, in_place=True)  # phones store sideways pixels plus an orientation tag
    if img.size != decoded_size:
        target = (target[1], target[0])

    rgb = _to_rgb(img)
    if rgb.size != target:
        rgb = rgb.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    rgb.info = {}  # JPEG save would otherwise copy a source comment from info

    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=limits.jpeg_quality, optimize=False)
    return ProcessedImage(data=buf.getvalue(), width=rgb.width, height=rgb.height)


def _fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """Largest size with the same aspect whose longer side is at most max_side."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return size
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any decoded mode to RGB, flattening transparency onto white."""
    if img.mode in _SIXTEEN_BIT_MODES:
        # A plain convert() clips 16-bit greyscale to white; scale it to 8 bits instead.
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    if img.mode in _ALPHA_MODES or "transparency" in img.info:
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img if img.mode == "RGB" else img.convert("RGB")


def _size_label(num_bytes: int) -> str:
    """Human-readable byte count for messages, e.g. 10MB."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= factor:
            return f"{round(num_bytes / factor, 1):g}{unit}"
    return f"{num_bytes}B"


def make_placeholder_portrait(seed: str, size: tuple[int, int] = (358, 441)) -> bytes:
    """Deterministic ID-photo-like JPEG that stands in for a citizen's photo in the simulated system."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    # Keep channels in 30..149 so the silhouette always stands out from the light-blue background.
    colour = (30 + digest[0] % 120, 30 + digest[1] % 120, 30 + digest[2] % 120)
    width, height = size
    img = Image.new("RGB", size, _BACKGROUND_BLUE)
    draw = ImageDraw.Draw(img)
    cx = width // 2

    def box(half_width: float, top: float, bottom: float) -> tuple[int, int, int, int]:
        # Fractions of the picture, so any requested size keeps the same composition.
        half = width * half_width
        return round(cx - half), round(height * top), round(cx + half), round(height * bottom)

    draw.ellipse(box(0.45, 0.72, 1.30), fill=colour)  # shoulders, running off the bottom edge
    draw.rectangle(box(0.08, 0.55, 0.78), fill=colour)  # neck
    draw.ellipse(box(0.20, 0.18, 0.62), fill=colour)  # head
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, optimize=False)
    return buf.getvalue()
