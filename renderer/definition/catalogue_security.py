"""Catalogue entries for the verifications a journey declares (the face check); catalogue.py merges them."""
from __future__ import annotations

from renderer.definition.errors import WARNING, Entry

ENTRIES: dict[str, Entry] = {
    "verify.bypass": Entry(
        "A route reaches a page that needs a verification without making sure of it.",
        "button '{button}' on page '{page}' leads to '{target}', which needs {service} (verify: from {start}), "
        "and this route does not verify.",
        "add {service} to the button's `calls:` (it runs before any other service), or route this outcome to a "
        "page before '{start}'; the check cannot be left out of the way into those pages"),
    "verify.bypass#journey": Entry(
        "A route into another journey reaches a page that needs a verification without making sure of it.",
        "button '{button}' on page '{page}' enters journey '{journey}' at '{target}', which needs {service}, "
        "and this route does not verify.",
        "add {service} to the button's `calls:`, or enter '{journey}' before the pages that need it"),
    "verify.missing": Entry(
        "A button calls a service that needs a verification the journey does not declare.",
        "button '{button}' calls {service}, which needs {needs}; the journey declares no `verify:` for it.",
        "declare it at the top of the journey: `verify: [{{service: {needs}, from: <first page that needs it>, "
        "valid_minutes: 30, failed: <message>}}]`"),
    "verify.undeclared": Entry(
        "A button calls a verification that the journey does not declare.",
        "button '{button}' calls {service}, which the journey does not declare under `verify:`.",
        "declare it: `verify: [{{service: {service}, from: <first page that needs it>, valid_minutes: 30, "
        "failed: <message>}}]`; the declaration says which pages need it and how long a pass lasts"),
    "verify.call_order": Entry(
        "A verification is listed after another service; it runs first whatever the order.",
        "button '{button}' lists {service} after {before}; {service} runs first all the same.",
        "list {service} first in `calls:`, so the YAML reads as it runs", WARNING),
    "verify.duplicate": Entry(
        "A journey declares the same verification twice.",
        "{service} is declared twice under `verify:`.",
        "keep one declaration: its `from` is the first page that needs it, and every later page needs it too"),
    "ref.unknown_page#verify": Entry(
        "A verification's `from` names a page the journey does not have.",
        "verification {service} starts from page '{page}', which the journey does not have.",
        "its pages are: {choices}.{suggestion}"),
}
