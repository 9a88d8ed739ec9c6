"""Thumbnails beside each kept upload, and the one size the browser is told to scale photos to."""
from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from typing import Any

from PIL import ExifTags, Image

from renderer.definition.expressions import compile_expression
from renderer.definition.model import Field, Position
from renderer.journey.payload import display_text
from renderer.uploads.images import LIMITS, process_upload
from renderer.web.app import templates
from widgets import WIDGETS, FieldContext

ID_CARD = {"id": "id_card", "label": "居民身份证", "id_type": "居民身份证", "sides": ["国徽面", "人像面"]}


def _phone_photo(size: tuple[int, int] = (4000, 3000), orientation: int = 6) -> bytes:
    """Sideways pixels with a red top-left corner and the EXIF tag that says how to stand them up."""
    img = Image.new("RGB", size, (20, 20, 220))
    img.paste((220, 20, 20), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


def test_a_thumbnail_is_kept_beside_the_image_small_and_upright() -> None:
    out = process_upload(_phone_photo())
    thumb = Image.open(io.BytesIO(out.thumbnail))
    assert thumb.format == "JPEG"
    assert (out.width, out.height) == (1500, 2000)                     # stood up: portrait
    assert thumb.size == (240, 320) and max(thumb.size) == LIMITS.thumbnail_side
    # orientation 6 turns the picture a quarter clockwise: the red corner goes to the top right
    assert thumb.getpixel((thumb.width - 10, 10))[0] > 150 and thumb.getpixel((10, 10))[0] < 100
    assert len(out.thumbnail) < len(out.data) / 10


def test_a_small_picture_keeps_its_size_in_the_thumbnail() -> None:
    out = process_upload(_phone_photo((200, 120), orientation=1))
    assert Image.open(io.BytesIO(out.thumbnail)).size == (200, 120)


def test_the_browser_is_told_the_size_the_pipeline_keeps() -> None:
    out = process_upload(_phone_photo())
    scaling = LIMITS.browser_scaling()
    assert int(scaling["max_side"]) == max(out.width, out.height) == LIMITS.max_side
    assert float(scaling["quality"]) == LIMITS.browser_quality / 100


def _documents(uploaded: bool) -> FieldContext:
    roots = {"resident", "lists"}
    field = Field(id="f", kind="documents", label="申请人证件", position=Position("t.yaml", 1, 1),
                  exprs={"documents": compile_expression("resident.documents", known_roots=roots)})
    env = {"today": dt.date(2026, 11, 26), "person": {"id_type": "居民身份证"}, "resident": {"documents": [ID_CARD]},
           "lists": {}}
    ctx = FieldContext(field=field, raw={}, facts={}, env=env)
    if uploaded:
        ctx.facts.update({"f.id_card.0": "up0", "f.id_card.1": "up1"})
    return ctx


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _render(ctx: FieldContext) -> list[tuple[str, dict[str, Any]]]:
    html = templates().env.get_template("widgets/documents.html").render(
        field=ctx.field, v=WIDGETS["documents"].view(ctx), action_url="/j/adult/documents", refresh_url="/r")
    parsed = _Tags()
    parsed.feed(html)
    return parsed.tags


def test_each_photo_input_carries_the_kept_size_for_upload_js() -> None:
    inputs = [attrs for tag, attrs in _render(_documents(uploaded=False)) if tag == "input" and attrs["type"] == "file"]
    assert [i["name"] for i in inputs] == ["f.id_card.0", "f.id_card.1"]
    for attrs in inputs:
        assert attrs["data-max-side"] == str(LIMITS.max_side)
        assert attrs["data-quality"] == "0.8"
        assert attrs["data-upload"] == "field:f:upload"
        assert "hx-post" not in attrs            # upload.js sends it; two senders would store it twice


def test_the_upload_slots_show_thumbnails_linked_to_the_full_picture() -> None:
    tags = _render(_documents(uploaded=True))
    assert [a["src"] for t, a in tags if t == "img"] == ["/uploads/up0?size=thumb", "/uploads/up1?size=thumb"]
    assert [a["href"] for t, a in tags if t == "a"] == ["/uploads/up0", "/uploads/up1"]


def test_confirm_shows_thumbnails_and_the_application_keeps_the_upload_ids() -> None:
    ctx = _documents(uploaded=True)
    widget = WIDGETS["documents"]
    shown = widget.display(ctx, widget.value(ctx))
    assert [url for _, url in shown["images"]] == ["/uploads/up0?size=thumb", "/uploads/up1?size=thumb"]
    assert [f["upload"] for f in display_text(shown)] == ["up0", "up1"]
