"""Validate, normalise and re-encode citizens' image uploads (ID-card photos taken on phones)."""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageDraw
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile

from renderer.uploads.formats import Kind, jpeg_streams, least_bytes, sniff
from renderer.uploads.memory import decode_slot, hand_back_freed_memory

_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
_WHITE = (255, 255, 255)
_BACKGROUND_BLUE = (190, 222, 246)

# EXIF orientation -> the transpose that makes the picture upright (the table of ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_LANCZOS_SUPPORT = 3.0  # source pixels each side of an output pixel, per unit of scale
_BAND_SOURCE_ROWS = 256  # rows of the decoded picture converted and resized at a time (~4 MB at 4096 wide)
_BIG_DECODE_BYTES = 32 * 1024 * 1024  # after decoding more than this, hand freed memory back to the OS

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
    """Size limits and output quality for accepted uploads.

    The pixel caps follow what a decode costs, not what a file weighs (a 170 KB PNG can hold 40 M pixels):
    - max_pixels (16384x12288, 201 M): sequential JPEGs, which libjpeg decodes at 1/2..1/8 scale while
      reading (draft), so the pixels held are at most ~16 M (64 MB) before the final resize, however large
      the photo. That admits the 48, 50, 108 and 200 MP modes of current phones (200 MP is 16320x12240).
    - max_full_decode_pixels (4096x4096, 16.8 M): PNGs, which have no reduced decode (1-4 bytes a pixel:
      up to 67 MB), and progressive or multi-scan JPEGs, whose whole-picture coefficients libjpeg holds
      (3-6 bytes a pixel: up to 100 MB). Phones write PNG for screenshots (at most ~6 M pixels) and some
      editing apps for full photos (12-16 M pixels: 4032x3024, 4624x3472); nothing camera-made is progressive.
    One decode at these caps peaks at 100-115 MB above the process's own RSS (`make bench`, uploads).
    """

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 16384 * 12288
    max_full_decode_pixels: int = 4096 * 4096
    max_side: int = 2000
    jpeg_quality: int = 85
    # The browser's copy, re-encoded here at jpeg_quality: 80 keeps an ID card's print sharp at max_side and sends a
    # third fewer bytes than 85 over mobile data (a 5 MB phone photo: ~200 KB, under 3 s at 750 kbit/s).
    browser_quality: int = 80
    thumbnail_side: int = 320       # what 信息确认, the preview and the upload slots show (a phone's card at 2x)
    thumbnail_quality: int = 75

    def browser_scaling(self) -> dict[str, str]:
        """What the upload page tells the browser to scale a photo to before sending it: the size kept here."""
        return {"max_side": str(self.max_side), "quality": f"{self.browser_quality / 100:g}"}


LIMITS = ImageLimits()   # the one pipeline: the widgets process with it and tell the browser its size


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded, metadata-free JPEG ready to store."""

    data: bytes
    width: int
    height: int
    thumbnail: bytes = b""          # a small JPEG of the same picture, for pages that show it beside other data
    content_type: str = "image/jpeg"


def process_upload(data: bytes, limits: ImageLimits = LIMITS) -> ProcessedImage:
    """Validate an uploaded photo and return it as an upright, bounded, metadata-free JPEG.

    Blocks while the process's decode slots are all taken: call it from a worker thread, never the event loop.
    """
    if not data:
        raise ImageRejected("image.empty", _MSG_EMPTY)
    if len(data) > limits.max_bytes:
        raise ImageRejected("image.too_large", f"图片不能超过{_size_label(limits.max_bytes)}")
    kind = sniff(data)
    if kind is None:
        raise ImageRejected("image.not_image", _MSG_FORMAT)
    if kind == "other":
        raise ImageRejected("image.bad_format", _MSG_FORMAT)
    with decode_slot():
        try:
            return _process(data, kind, limits)
        except ImageRejected:
            raise
        except Exception as exc:  # Pillow reports bad data with many types (OSError, SyntaxError, ValueError...)
            raise ImageRejected("image.corrupt", _MSG_CORRUPT) from exc


def _process(data: bytes, kind: Kind, limits: ImageLimits) -> ProcessedImage:
    """Decode, orient, flatten, downscale and re-encode; raises on anything unacceptable."""
    # The plugins' classes rather than Image.open: the caps below replace Pillow's one-size bomb check
    # (which would refuse a 200 MP photo and warn, process-wide, about a 108 MP one).
    img = JpegImageFile(io.BytesIO(data)) if kind == "JPEG" else PngImageFile(io.BytesIO(data))
    keep, big = False, False
    try:
        _check_size(img, kind, data, limits)
        target = _fit(img.size, limits.max_side)
        if kind == "JPEG" and target != img.size:
            img.draft("RGB", target)  # libjpeg scales by 1/2, 1/4 or 1/8 while decoding
        big = img.width * img.height * 4 > _BIG_DECODE_BYTES
        img.load()  # full decode, so truncated/corrupt files are rejected now rather than stored
        orientation = img.getexif().get(ExifTags.Base.Orientation, 1)  # phones store sideways pixels + a tag
        small = _rgb_at(img, target)
        keep = small is img  # already RGB at the target size
    finally:
        if not keep:
            img.close()  # frees the decoded pixels now, not whenever the garbage collector runs
        if big:
            hand_back_freed_memory()
    if orientation in _UPRIGHT:
        small = small.transpose(_UPRIGHT[orientation])
    small.info = {}  # JPEG save would otherwise copy a source comment from info

    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=limits.jpeg_quality, optimize=False)
    return ProcessedImage(data=buf.getvalue(), width=small.width, height=small.height,
                          thumbnail=_thumbnail(small, limits))


def _thumbnail(img: Image.Image, limits: ImageLimits) -> bytes:
    """A small upright JPEG of the kept picture (its longer side at most thumbnail_side)."""
    thumb = img.copy()
    thumb.thumbnail((limits.thumbnail_side, limits.thumbnail_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=limits.thumbnail_quality, optimize=True)
    return buf.getvalue()


def _check_size(img: Image.Image, kind: Kind, data: bytes, limits: ImageLimits) -> None:
    """Refuse, from the header alone, what would take too much memory or cannot hold the pixels it claims."""
    width, height = img.size
    streams = kind == "JPEG" and jpeg_streams(data)
    cap = limits.max_pixels if streams else min(limits.max_pixels, limits.max_full_decode_pixels)
    if width * height > cap:  # decompression-bomb guard: refuse before allocating pixels
        raise ImageRejected("image.too_many_pixels", _MSG_PIXELS)
    if len(data) < least_bytes(kind, data, img.size):
        raise ImageRejected("image.corrupt", _MSG_CORRUPT)


def _fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """Largest size with the same aspect whose longer side is at most max_side."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return size
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _rgb_at(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`img` as RGB at `size`, made one band of rows at a time so that no second full-size copy exists.

    Converting a big RGBA picture whole (or letting resize premultiply its alpha) would double the memory it
    already takes. Each band carries the rows Lanczos reads around it, so the result is that of resizing the
    whole picture at once, up to the rounding between Pillow's two passes (whose order it picks per call).
    """
    if img.size == size:
        return _to_rgb(img)  # at most max_side squared: small enough to convert whole
    out = Image.new("RGB", size)
    scale = img.height / size[1]
    margin = math.ceil(_LANCZOS_SUPPORT * max(scale, 1.0)) + 1
    rows = max(1, int(_BAND_SOURCE_ROWS / scale))  # output rows per band
    for top in range(0, size[1], rows):
        bottom = min(size[1], top + rows)
        first = max(0, math.floor(top * scale) - margin)
        last = min(img.height, math.ceil(bottom * scale) + margin)
        band = _to_rgb(img.crop((0, first, img.width, last)))
        box = (0.0, top * scale - first, float(img.width), min(bottom * scale, last) - first)  # no float overshoot
        out.paste(band.resize((size[0], bottom - top), Image.Resampling.LANCZOS, box=box), (0, top))
    return out


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
