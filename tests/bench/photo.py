"""Photo pipeline: renderer.uploads.images.process_upload on a 4000x3000 phone-like JPEG."""
from __future__ import annotations

import io

from tests.bench.report import PROBLEMS, add, step, timed

PHOTO_RUNS = 20


def phone_like_jpeg(size: tuple[int, int] = (4000, 3000), quality: int = 90, orientation: int = 1) -> bytes:
    """A photo-like JPEG: smooth colour gradients, some shapes and sensor-like noise, with a camera's EXIF."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    horizontal = Image.linear_gradient("L").rotate(90).resize(size, Image.Resampling.BICUBIC)
    vertical = Image.linear_gradient("L").resize(size, Image.Resampling.BICUBIC)
    radial = Image.radial_gradient("L").resize(size, Image.Resampling.BICUBIC)
    base = Image.merge("RGB", (horizontal, vertical, radial))
    draw = ImageDraw.Draw(base)
    for i in range(12):                                   # a few soft objects so it is not a pure gradient
        x, y = (i * 997) % width, (i * 613) % height
        r = 150 + (i * 71) % 500
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((i * 40) % 256, (i * 90) % 256, (i * 150) % 256))
    base = base.filter(ImageFilter.GaussianBlur(6))
    noise = Image.merge("RGB", [Image.effect_noise(size, 40 + 5 * c) for c in range(3)])
    img = Image.blend(base, noise, 0.2)
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"            # Make
    exif[0x0110] = "Model 12MP"            # Model
    exif[0x0112] = orientation             # Orientation: 1 upright, 6 held sideways (turn a quarter clockwise)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def bench_photo() -> None:
    from renderer.uploads.images import ImageRejected, process_upload

    step("generating a 4000x3000 JPEG")
    data = phone_like_jpeg()
    try:
        out = process_upload(data)
    except ImageRejected as exc:
        PROBLEMS.append(f"process_upload rejected the 4000x3000 bench photo "
                        f"({len(data) / 1e6:.1f} MB): {exc}")
        return
    step(f"{PHOTO_RUNS} × process_upload")
    samples = timed(lambda: process_upload(data), PHOTO_RUNS)
    add("photo: process_upload 4000x3000 JPEG", samples, 250,
        f"input {len(data) / 1e6:.1f} MB q90 → {out.width}x{out.height}, {len(out.data) / 1e3:.0f} KB")

