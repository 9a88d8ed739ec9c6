"""What an upload is, read from its first bytes, before any decoder sees it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from PIL import Image

Kind = Literal["JPEG", "PNG", "other"]

_JPEG_MAGIC = b"\xff\xd8\xff"  # SOI then the next marker: what Pillow's own JPEG plugin accepts
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# JPEG start-of-frame markers (ITU T.81 table B.1); C4 (DHT), C8 (reserved) and CC (DAC) are not frames.
_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Sequential DCT frames (baseline, extended, arithmetic): the only ones libjpeg can stream.
_SEQUENTIAL = frozenset({0xC0, 0xC1, 0xC9})
_HUFFMAN = frozenset(range(0xC0, 0xC8)) - {0xC4}
_SOS = 0xDA
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey+alpha, RGBA


def sniff(data: bytes) -> Kind | None:
    """'JPEG' or 'PNG'; 'other' for an image format we refuse; None for anything that is not an image."""
    if data.startswith(_JPEG_MAGIC):
        return "JPEG"
    if data.startswith(_PNG_MAGIC):
        return "PNG"
    # Ask every Pillow plugin's signature check, never its parser: only the JPEG and PNG decoders ever
    # run on a citizen's bytes.
    Image.init()
    prefix = data[:16]
    if any(accept and _accepts(accept, prefix) for _, accept in Image.OPEN.values()):
        return "other"
    return None


def _accepts(accept: Callable[[bytes], bool | str], prefix: bytes) -> bool:
    try:
        return bool(accept(prefix))
    except Exception:  # noqa: BLE001 - some checks assume a longer prefix (struct.error on a few bytes)
        return False


def jpeg_streams(data: bytes) -> bool:
    """Whether libjpeg decodes this JPEG in one pass, a few rows at a time (and so cheaply at 1/2..1/8 scale).

    Progressive, lossless and multi-scan sequential files make libjpeg hold every DCT coefficient of the
    whole picture first (3-6 bytes a pixel, whatever the output scale); libjpeg decides this from the
    frame type and from whether the first scan holds every component (jdinput.c), and so do we.
    """
    frame, components, first_scan = _jpeg_frame(data)
    return frame in _SEQUENTIAL and first_scan == components


def least_bytes(kind: Kind, data: bytes, size: tuple[int, int]) -> int:
    """Fewest bytes any complete file of this kind and size can take; fewer means it was cut short.

    Catches a tiny file whose header claims a big picture before a decoder allocates for it (and, for JPEG,
    before libjpeg quietly fills the missing blocks with grey).
    """
    width, height = size
    if kind == "PNG":
        # Deflate packs at most 258 bytes into a 2-bit length/distance pair: 1032:1 at best.
        return width * height * _png_bits_per_pixel(data) // 8 // 1032
    frame, _, _ = _jpeg_frame(data)
    if frame in _HUFFMAN:
        # Every 8x8 block of the full-resolution component costs at least one Huffman-coded bit.
        return math.ceil(width / 8) * math.ceil(height / 8) // 8
    return 0  # arithmetic coding has no such floor


def _png_bits_per_pixel(data: bytes) -> int:
    bit_depth, colour_type = data[24], data[25]  # IHDR: signature(8), length(4), type(4), width(4), height(4)
    return bit_depth * _PNG_CHANNELS.get(colour_type, 1)


def _jpeg_frame(data: bytes) -> tuple[int, int, int]:
    """(start-of-frame marker, components in the frame, components in the first scan); zeros if not found."""
    pos, frame, components = 2, 0, 0
    while pos + 4 < len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker in _FRAMES and pos + 9 < len(data):
            frame, components = marker, data[pos + 9]  # FFCn, length(2), precision, height(2), width(2), Nf
        elif marker == _SOS:
            return frame, components, data[pos + 4]  # FFDA, length(2), Ns
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return frame, components, 0
