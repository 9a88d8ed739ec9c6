"""The accessibility sweep: each page state the e2e walks reach is checked once by axe-core and by the rules axe does
not hold the product to (targets of 44×44 CSS px, a focused control not hidden under a sticky bar), and counted for
the summary at the end of the run.

A state is known by its page title, the title of an open dialog and the shape of its document (elements, roles,
classes, invalid fields), not by the rest of its text: the same state reached by two routes is checked once.

axe answers colour contrast "incomplete" when it cannot tell the background, mostly text under a sticky bar. Such
text is scrolled to the middle of the screen and judged again; what axe still cannot judge counts as a violation
(`color-contrast-undecided`), so contrast is never passed by not looking. Behind an open modal dialog the page is
inert and is judged in its own state, without the dialog.

Planting a fault to see the sweep catch it: a `style` attribute is dropped by the product's CSP (style-src 'self'), so
`<p style="color:#aaa">` shows in the page's ink and is rightly not reported; set colours through the CSSOM
(`element.style.color = ...`), as tests/e2e/test_a11y_sweep.py does.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page

from tests.a11y.axe import described, results

SHAPE = """() => {
  const dialog = document.querySelector('dialog[open] h2');
  const parts = [document.title, dialog ? dialog.textContent : ''];
  for (const e of document.body.querySelectorAll('*')) {
    parts.push([e.tagName, e.getAttribute('class') || '', e.getAttribute('role') || '', e.getAttribute('type') || '',
                e.hasAttribute('open') ? 'open' : '', e.getAttribute('aria-invalid') || '',
                e.disabled ? 'disabled' : ''].join('.'));
  }
  return parts.join('|');
}"""

UNDECIDED = """async (targets) => {
  // An icon's glyph (✕) is judged as a graphic (WCAG 1.4.11, 3:1) against the first opaque background behind it.
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const iconContrast = el => {
    let back = el;
    while (back && (getComputedStyle(back).backgroundColor === 'rgba(0, 0, 0, 0)')) back = back.parentElement;
    const [a, b] = [lum(getComputedStyle(el).color), lum(back ? getComputedStyle(back).backgroundColor : 'rgb(255,255,255)')];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const modal = document.querySelector('dialog:modal');
  const out = [];
  for (const target of targets) {
    const el = document.querySelector(target);
    if (!el || (modal && !modal.contains(el))) continue;
    el.scrollIntoView({block: 'center'});
    const again = await axe.run(el, {runOnly: {type: 'rule', values: ['color-contrast']}});
    const judged = again.violations.concat(again.incomplete).flatMap(x => x.nodes)
      .filter(m => m.target.join(' ') === target);
    for (const m of judged) {
      const checks = m.any.concat(m.all);
      if (checks.some(c => c.data && c.data.messageKey === 'nonBmp') && iconContrast(el) >= 3) continue;
      out.push({target: m.target.join(' '), summary: checks.map(c => c.message).join(' '),
                decided: again.violations.some(x => x.nodes.includes(m))});
    }
  }
  window.scrollTo(0, 0);
  return out;
}"""

# Controls and the labels that act for them (a radio's, a checkbox's or a file input's label is what is tapped).
TARGETS = """() => {
  const scope = document.querySelector('dialog:modal') || document.body;
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 2 && r.height > 2 &&
                       getComputedStyle(e).visibility !== 'hidden'; };
  const name = e => (e.getAttribute('aria-label') || e.innerText || e.value || e.id || e.tagName).trim().slice(0, 30);
  const small = [];
  const targets = new Set();
  for (const e of scope.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea')) {
    if (e.matches('input[type=radio], input[type=checkbox], input[type=file]')) {
      const label = e.closest('label') || (e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`));
      if (label) targets.add(label);
      continue;
    }
    targets.add(e);
  }
  for (const e of targets) {
    if (!shown(e) || e.closest('.sr-only')) continue;
    const r = e.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5)
      small.push(`${e.tagName.toLowerCase()} "${name(e)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}"""

# Each control focused in turn as Tab would (scrolled into view no further than needed): is any of it under a bar?
HIDDEN_WHEN_FOCUSED = """() => {
  const scope = document.querySelector('dialog:modal') || document.querySelector('#page-main') || document.body;
  const sticky = [...scope.ownerDocument.querySelectorAll('body *')].filter(e =>
      ['sticky', 'fixed'].includes(getComputedStyle(e).position) && !e.matches('dialog') &&
      (scope.matches('dialog') ? scope.contains(e) : !e.closest('dialog')));
  const before = document.activeElement;
  const hidden = [];
  for (const e of scope.querySelectorAll('input:not([type=hidden]):not([type=file]), select, textarea, button, a[href]')) {
    if (e.disabled || !e.getClientRects().length || e.closest('.sr-only') || sticky.some(s => s.contains(e))) continue;
    e.focus({preventScroll: true});
    e.scrollIntoView({block: 'nearest'});
    const r = e.getBoundingClientRect();
    for (const s of sticky) {
      const b = s.getBoundingClientRect();
      const overlap = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
      if (overlap > 1 && r.right > b.left && r.left < b.right)
        hidden.push(`${e.tagName.toLowerCase()} "${(e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText || e.id).trim().slice(0, 30)}" under ${s.tagName.toLowerCase()}.${s.className}`);
    }
  }
  if (before && before.focus) before.focus({preventScroll: true}); else document.activeElement.blur();
  window.scrollTo(0, 0);
  return hidden;
}"""

# What WCAG asks of an error state and of a journey's page that axe cannot know: the title says 错误:, each error
# summary link names the field and its message and moves focus to a control of it, and the page's heading is
# described by where the citizen is (第n步/共m步, or the journey's name the top bar shows).
PAGE_RULES = """() => {
  const out = [];
  const invalid = document.querySelector('[aria-invalid=true], .error-summary');
  if (invalid && !document.title.startsWith('错误:'))
    out.push(['error-title', `an error state whose title does not start with 错误: "${document.title}"`]);
  const links = document.querySelector('dialog:modal') ? [] : document.querySelectorAll('.error-summary a');
  for (const a of links) {       // behind an open dialog the page is inert: its links are tried in its own state
    const field = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!/.+:.+/.test(a.innerText)) out.push(['summary-link-text', `"${a.innerText}" does not say what is wrong`]);
    a.click();
    const now = document.activeElement;
    if (!field || !now.matches('input, select, textarea, button') || !field.contains(now))
      out.push(['summary-link-focus', `"${a.innerText}" leaves focus on ${now.tagName.toLowerCase()}#${now.id}`]);
  }
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  const bar = document.querySelector('header .bar-title');
  const h1 = document.querySelector('main h1');
  if (bar && bar.innerText.trim() !== '粤省事' && h1) {
    const where = (h1.getAttribute('aria-describedby') || '').split(' ').map(id => document.getElementById(id))
      .filter(Boolean).map(e => e.textContent.trim()).join(' ');
    if (!/^第\\d+步\\/共\\d+步$/.test(where) && where !== bar.innerText.trim())
      out.push(['where-am-i', `the heading "${h1.innerText}" is not described by 第n步/共m步 or the journey's name`]);
  }
  return out;
}"""


class Sweep:
    """What the session's walks have checked: the distinct states, and the violating nodes by rule."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.states = 0
        self.nodes: Counter[str] = Counter()
        self.done: set[str] = set()
        self.seconds = 0.0
        self.timing = False             # inside timed(): its time is counted there

    def once(self, key: str) -> bool:
        """True the first time a key is asked for in this session (an extra state to bring about only once)."""
        if key in self.done:
            return False
        self.done.add(key)
        return True

    @contextmanager
    def timed(self) -> Iterator[None]:
        """Counts the time of a step taken for the sweep only (an error state brought about) with the checks'."""
        start, self.timing = time.perf_counter(), True
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start
            self.timing = False

    def check(self, page: Page, state: str) -> list[str]:
        """The problems of the page as it is now, one line each; [] when clean or when this state was checked."""
        start = time.perf_counter() if not self.timing else None
        shape = hashlib.sha256(page.evaluate(SHAPE).encode()).hexdigest()
        if shape in self.seen:
            self.seconds += time.perf_counter() - start if start is not None else 0.0
            return []
        self.seen.add(shape)
        self.states += 1
        found = problems(page)
        self.seconds += time.perf_counter() - start if start is not None else 0.0
        for rule, count in found[1].items():
            self.nodes[rule] += count
        return [f"{state} ({page.title()}, {page.url}):\n{found[0]}"] if found[0] else []

    def summary(self) -> str:
        total = sum(self.nodes.values())
        rules = ", ".join(f"{rule} {count}" for rule, count in self.nodes.most_common())
        return (f"axe: {self.states} states swept, {total} violations" + (f" ({rules})" if rules else "")
                + f"; {self.seconds:.0f} s added to the walks")


def problems(page: Page) -> tuple[str, Counter[str]]:
    """axe's violations, contrast it could not decide, small targets and controls hidden when focused."""
    axe = results(page)
    found = axe["violations"]
    lines = [described(found)] if found else []
    count: Counter[str] = Counter({v["id"]: len(v["nodes"]) for v in found})
    undecided = [n["target"] for v in axe["incomplete"] if v["id"] == "color-contrast" for n in v["nodes"]]
    for node in page.evaluate(UNDECIDED, undecided) if undecided else []:
        rule = "color-contrast" if node["decided"] else "color-contrast-undecided"
        count[rule] += 1
        lines.append(f"  serious {rule}: {node['summary']} at {node['target']}")
    for target in page.evaluate(TARGETS):
        count["target-44px"] += 1
        lines.append(f"  serious target-44px: smaller than 44x44 CSS px: {target}")
    for rule, text in page.evaluate(PAGE_RULES):
        count[rule] += 1
        lines.append(f"  serious {rule}: {text}")
    for control in page.evaluate(HIDDEN_WHEN_FOCUSED):
        count["focus-obscured"] += 1
        lines.append(f"  serious focus-obscured: focused yet covered by a sticky bar: {control}")
    return "\n".join(lines), count


SWEEP = Sweep()


class Looks:
    """One test's checks: `look(state)` checks the page now; `assert_clean()` fails the test with every problem."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []

    def __call__(self, state: str) -> None:
        self.found.extend(SWEEP.check(self.page, state))

    def assert_clean(self) -> None:
        assert not self.found, "accessibility problems:\n" + "\n".join(self.found)
