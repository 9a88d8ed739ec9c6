"""A save that collided with another tab's: the other's answers were kept; the page is shown again with them."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from renderer.journey.drafts import DraftConflict

Answer = TypeVar("Answer")


def conflicts_shown(method: Callable[..., Answer]) -> Callable[..., Answer]:
    """An engine method (identity, journey, page_id, …) whose DraftConflict becomes the engine's conflict view."""
    @functools.wraps(method)
    def guarded(self: Any, identity: Any, journey: Any, page_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, identity, journey, page_id, *args, **kwargs)
        except DraftConflict as conflict:
            return self.conflict_view(identity, journey, page_id, conflict.keys)
    return guarded
