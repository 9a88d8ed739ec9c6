"""What the product keeps: drafts, uploads and submitted applications. SQLite now, PostgreSQL later."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol


@dataclass(frozen=True)
class StoredUpload:
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Application:
    id: int
    owner: str
    journey: str
    token: str
    status: str              # pending, accepted, rejected, failed
    reason: str | None
    reference: str | None    # the provincial system's application number


class Store(Protocol):
    def load_draft(self, owner: str, journey: str) -> dict[str, Any] | None: ...
    def save_draft(self, owner: str, journey: str, state: Mapping[str, Any]) -> None: ...
    def delete_draft(self, owner: str, journey: str) -> None: ...
    def put_upload(self, owner: str, data: bytes, content_type: str) -> str:
        """Keep an upload; returns a random id that only its owner can read it back by."""
    def get_upload(self, owner: str, upload_id: str) -> StoredUpload | None: ...
    def claim_submission(self, owner: str, journey: str, token: str, payload: Mapping[str, Any]) -> tuple[Application, bool]:
        """Record a submission once per token; returns (application, created). A replay gets the first one."""
    def finish_submission(self, application_id: int, status: str, reason: str | None, reference: str | None) -> None: ...
    def close(self) -> None: ...
