"""What the engine's parts (engine_checks.py, engine_results.py) call on the Engine they make up, declared once for
the type checker; renderer/journey/engine.py defines each."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from renderer.definition.model import Button, Definition, Journey, Page
    from renderer.journey.drafts import Drafts
    from renderer.journey.evaluation import Draft, Evaluation
    from renderer.journey.view import Feedback, PageView, Redirect
    from renderer.services.base import Identity, Outcome
    from renderer.versions.registry import VersionRegistry


class EngineSteps:
    """The base of Engine's parts: nothing of its own at run time."""

    if TYPE_CHECKING:
        drafts: Drafts
        versions: VersionRegistry
        store: Any

        @property
        def definition(self) -> Definition: ...
        def evaluate(self, identity: Identity, journey: Journey, draft: Draft | None = None) -> Evaluation: ...
        def save(self, ev: Evaluation) -> None: ...
        def view(self, ev: Evaluation, page: Page, feedback: Feedback, edit: bool = False, banner: str | None = None,
                 status: int = 200) -> PageView: ...
        def front_door(self, identity: Identity, journey: Journey) -> Redirect: ...
        def start(self, identity: Identity, journey: Journey, return_to: str | None = None) -> Redirect: ...
        def _route(self, ev: Evaluation, page: Page, button: Button, outcome: Outcome, feedback: Feedback,
                   edit: bool) -> Redirect | PageView: ...
        def _continue(self, ev: Evaluation, page: Page, button: Button, calls: list[Any], form: Mapping[str, Any],
                      feedback: Feedback, edit: bool) -> Redirect | PageView: ...
        @staticmethod
        def _checks_to_ask(ev: Evaluation, button: Button, done: tuple[str, ...] = ()) -> list[str]: ...
        def _verified_first(self, ev: Evaluation, page: Page, edit: bool = False) -> Redirect | None: ...
        def submitting_view(self, ev: Evaluation, page: Page, interrupted: bool = False, settled: bool = False,
                            refused: bool = False) -> PageView: ...
