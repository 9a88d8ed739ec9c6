"""Run a coroutine to its end from a test, even when the suite's Playwright tests keep an event loop running in
the main thread (asyncio.run would refuse there): in a thread of its own, with a loop of its own."""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
