"""Every field kind's widget, by kind (importing it loads each widget's libraries: Pillow, pypinyin, phonenumbers)."""
from __future__ import annotations

from widgets import (
                     agreement,
                     branch_picker,
                     date,
                     documents,
                     notice,
                     phone_code,
                     photo_choice,
                     radio,
                     readonly,
                     record_list,
                     region,
                     select,
                     text,
)
from widgets.base import Widget

WIDGETS: dict[str, Widget] = {m.WIDGET.kind: m.WIDGET for m in (
    text, select, radio, agreement, date, readonly, phone_code, documents, photo_choice, branch_picker, region, notice,
    record_list)}
