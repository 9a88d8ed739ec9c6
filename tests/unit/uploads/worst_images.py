"""Worst-case uploads (unit tests and `make bench`): what a phone, an editor or an attacker may send."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types (ISO 15948 §6.1): channels per pixel
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(size: tuple[int, int], colour_type: int = 6, bit_depth: int = 8, *, palette: bytes = b"",
             transparency: bytes = b"", text_mb: int = 0, interlace: bool = False,
             truncate_at: float = 1.0) -> bytes:
    """A PNG of one colour written row by row (never held decoded): huge when decoded, tiny on disk.

    colour_type 6 is RGBA, 2 RGB, 0 grey, 4 grey+alpha, 3 palette; `text_mb` adds that many compressed text
    chunks of 1 MB each (Pillow decompresses them at open); `truncate_at` < 1 cuts the pixel data short.
    `interlace` writes the rows as the seven Adam7 passes.
    """
    width, height = size
    squeeze = zlib.compressobj(9)
    parts = []
    for pass_width, pass_height in _passes(size) if interlace else [size]:
        row_bytes = (pass_width * _CHANNELS[colour_type] * bit_depth + 7) // 8
        row = b"\x00" + bytes([0x7F]) * row_bytes             # filter 0, the same grey-ish bytes in every row
        parts += [squeeze.compress(row) for _ in range(pass_height)]
    idat = b"".join(parts) + squeeze.flush()
    if truncate_at < 1.0:
        idat = idat[: max(1, int(len(idat) * truncate_at))]
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, int(interlace))
    chunks = [_chunk(b"IHDR", header)]
    text = zlib.compress(b"x" * (1024 * 1024 - 1), 9)
    chunks += [_chunk(b"zTXt", b"Comment%d\x00\x00" % i + text) for i in range(text_mb)]
    if palette:
        chunks.append(_chunk(b"PLTE", palette))
    if transparency:
        chunks.append(_chunk(b"tRNS", transparency))
    chunks.append(_chunk(b"IDAT", idat))
    if truncate_at >= 1.0:
        chunks.append(_chunk(b"IEND", b""))
    return PNG_SIGNATURE + b"".join(chunks)


def _passes(size: tuple[int, int]) -> list[tuple[int, int]]:
    """Width and height of each Adam7 pass that has pixels (ISO 15948 §8.2)."""
    width, height = size
    starts = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    passes = [(-(-(width - x) // dx), -(-(height - y) // dy)) for x, y, dx, dy in starts]
    return [(w, h) for w, h in passes if w > 0 and h > 0]


def png_with_declared_size(size: tuple[int, int]) -> bytes:
    """A valid 1x1 PNG whose header then claims `size`: a decompression bomb of a few dozen bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    data = buf.getvalue()
    ihdr = b"IHDR" + struct.pack(">II", *size) + data[24:29]
    return data[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + data[33:]


def textured_jpeg(size: tuple[int, int], *, quality: int = 80, progressive: bool = False,
                  subsampling: int = -1, orientation: int = 1) -> bytes:
    """A JPEG with photo-like texture (so it is not trivially small), an EXIF orientation and a camera name."""
    tile = Image.effect_noise((256, 256), 48).convert("RGB")
    img = Image.new("RGB", size, (120, 140, 160))
    for y in range(0, size[1], 1024):
        for x in range(0, size[0], 1024):
            img.paste(tile, (x, y))
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, progressive=progressive, subsampling=subsampling, exif=exif.tobytes())
    return buf.getvalue()
