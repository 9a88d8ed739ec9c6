"""The journeys as the service runs when it outgrows one machine: PostgreSQL, two worker processes. Each request
may reach either worker, so a face check begun on one is completed on the other, and an SMS code sent by one is
checked by the other. The same tests as the embedded runs, against that server."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import serve
from tests.e2e.test_adult_journey import (  # noqa: F401  (collected here again, against this module's server)
    test_zhang_wei_applies_and_changes_to_post,
    test_zhao_min_is_rejected_told_what_to_do_and_finds_her_answers_kept,
)
from tests.e2e.test_cleanup_journey import test_jiang_lizhi_cleans_up_her_cards_and_continues_applying  # noqa: F401
from tests.e2e.test_minor_journey import images, test_wang_fang_applies_for_li_xiaoming  # noqa: F401
from tests.e2e.test_residents import test_chen_zhiming_applies_with_his_hong_kong_residence_permit  # noqa: F401
from tests.pg import throwaway_database

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def postgres_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("yss_e2e") as url:
        with serve(tmp_path_factory.mktemp("e2e-pg"), YSS_DB=url, YSS_WORKERS="2") as base:
            yield base


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict[str, Any], postgres_workers: str) -> dict[str, Any]:
    return {**browser_context_args, "base_url": postgres_workers}
