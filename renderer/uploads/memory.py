"""How much memory decoding may take in one process: a few decodes at a time, and freed memory handed back."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Decodes running at once in one process. Each may hold up to ~170 MB in the worst case the caps allow
# (a 4096x4096 RGBA PNG decoded whole, or the coefficients of a progressive JPEG, plus up to 64 MB of PNG
# text chunks that Pillow decompresses at open), so 2 slots keep a worker under ~350 MB of image memory
# however many uploads arrive; more slots only help with more cores, since decoding is CPU-bound. With N
# worker processes the bound is N times this.
DECODE_SLOTS = 2

_slots = threading.BoundedSemaphore(DECODE_SLOTS)


# glibc's mallopt parameter (malloc.h) and the size from which it serves an allocation with its own mmap.
_M_MMAP_THRESHOLD = -3
_MMAP_FROM_BYTES = 1024 * 1024


def _glibc() -> Any:
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_libc = _glibc()  # None on musl or macOS: nothing to tune there
_tuned = False


@contextmanager
def decode_slot() -> Iterator[None]:
    """Wait for a free decode slot; callers run in a worker thread, so waiting never blocks the event loop."""
    with _slots:
        _keep_big_blocks_out_of_arenas()
        yield


def _keep_big_blocks_out_of_arenas() -> None:
    """Serve every allocation of 1 MB or more (Pillow's pixel blocks, request bodies) with its own mmap.

    Pillow allocates pixels in blocks of up to 16 MB with malloc. glibc serves the first from mmap, but when it
    is freed raises its mmap threshold to that size, so later blocks come from the arenas of the server's
    worker threads, and each arena keeps what is freed in it: a server that had decoded 16 large images at
    once held 140 MB more afterwards than before, and peaked 130 MB higher. A fixed threshold (what
    MALLOC_MMAP_THRESHOLD_=1048576 in the environment would do, set here because this is the code that needs
    it) returns those blocks to the OS as soon as they are freed. Process-wide, once.
    """
    global _tuned
    if _libc is not None and not _tuned:
        _libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM_BYTES)
        _tuned = True


def hand_back_freed_memory() -> None:
    """After a big decode, return the free pages left in malloc's arenas to the OS (a few milliseconds)."""
    if _libc is not None:
        _libc.malloc_trim(0)
