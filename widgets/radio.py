"""One of a few options shown side by side (否 / 是)."""
from __future__ import annotations

from widgets.select import SelectWidget


class RadioWidget(SelectWidget):
    kind = "radio"


WIDGET = RadioWidget()
