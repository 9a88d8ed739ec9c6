"""受理网点: the list closes (取消, ✕ 关闭) with or without JavaScript, and every opening starts clean."""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

from renderer.definition.loader import load_or_raise
from renderer.definition.model import Field, Position
from renderer.web.app import templates
from widgets import WIDGETS, FieldContext

HERE = Position("test.yaml", 1, 1)
WIDGET = WIDGETS["branch_picker"]


class _Const:
    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, env: Any) -> Any:
        return self.value


def context(raw: dict[str, str]) -> FieldContext:
    f = Field(id="branch", kind="branch_picker", label="受理网点信息", position=HERE, exprs={"city": _Const("广州市")})
    return FieldContext(field=f, raw=raw, facts={},
                        env={"cities": load_or_raise().cities, "today": dt.date(2026, 11, 26)})


def test_opening_again_shows_the_whole_list_without_the_old_search() -> None:
    ctx = context({"branch.district": "荔湾区", "branch.q": "站前"})     # what the last search left (Esc, no JS)
    assert WIDGET.act(ctx, "open", {}).state == {"dialog": True}
    view = WIDGET.view(ctx)
    assert (view["q"], view["district"]) == ("", "")
    assert len(view["results"]) == len(load_or_raise().cities["广州市"].branches)


def test_closing_keeps_the_chosen_branch_and_forgets_the_search() -> None:
    ctx = context({"branch": "gz-lw-zhanqianlu", "branch.district": "荔湾区", "branch.q": "花地"})
    result = WIDGET.act(ctx, "close", {})
    assert not result.state.get("dialog") and result.error is None
    assert ctx.raw == {"branch": "gz-lw-zhanqianlu", "branch.district": "", "branch.q": ""}


class _Buttons(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[dict[str, str | None]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button":
            self._open = {**dict(attrs), "text": ""}
            self.buttons.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] = (self._open["text"] or "") + data.strip()


def test_the_dialog_has_cancel_and_a_close_button_that_work_as_plain_form_posts() -> None:
    ctx = context({})
    html = templates().env.get_template("widgets/branch_picker.html").render(
        field=ctx.field, v=WIDGET.view(ctx), item={"dialog": True}, action_url="/j/adult/pickup")
    parsed = _Buttons()
    parsed.feed(html)
    closing = [b for b in parsed.buttons if b.get("value") == "field:branch:close"]
    assert sorted((b.get("aria-label") or b["text"]) for b in closing) == ["关闭", "取消"]
    for button in closing:      # without JavaScript: a submit of the whole form, nothing typed is lost
        assert button.get("type") == "submit" and "hx-post" not in button
        assert "data-picker-close" in button      # with JavaScript: closed in place by static/picker.js
