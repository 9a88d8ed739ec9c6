"""The sweep can see: faults planted in a real page of the product are each reported by the checks the route walks
run (tests/a11y/sweep.py), so "0 violations" means none were there, not that none could be seen."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.a11y.sweep import problems
from tests.e2e.conftest import heading, open_adult_guide, sign_in

PLANT = """() => {
  const grey = (where, text) => { const p = document.createElement('p'); p.style.color = '#aaa';
                                  p.textContent = text; where.appendChild(p); return p; };
  grey(document.querySelector('main'), '页面底部的浅灰文字');               // on the page's grey background
  grey(document.querySelector('main section'), '卡片里的浅灰文字');          // on a white card
  const under = grey(document.querySelector('main form'), '按钮栏下面的浅灰文字');   // under the sticky button bar
  document.querySelector('main form').insertBefore(under, document.querySelector('.actions'));
  window.scrollTo(0, under.getBoundingClientRect().top + scrollY - innerHeight + 40);
  const tiny = document.createElement('button');
  tiny.type = 'button'; tiny.textContent = 'x'; tiny.style.cssText = 'padding:0;width:20px;height:20px;border-radius:0';
  document.querySelector('main section').appendChild(tiny);
}"""


def test_a_style_attribute_is_refused_by_the_pages_csp(page: Page) -> None:
    """Why grey text planted as `<p style="color:#aaa">` is not reported: the product's CSP (style-src 'self')
    drops the attribute, so the text is the page's ink. The faults below are planted through the CSSOM instead."""
    sign_in(page, "440106199001011235")
    colour = page.evaluate("""() => { const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<p id="planted" style="color:#aaa">x</p>');
        return getComputedStyle(document.getElementById('planted')).color; }""")
    assert colour != "rgb(170, 170, 170)"


def test_planted_faults_are_reported(page: Page) -> None:
    sign_in(page, "440106199001011235")
    open_adult_guide(page)
    report, _ = problems(page)
    assert not report, report
    page.evaluate(PLANT)
    undecided = page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast']})).incomplete
        .flatMap(v => v.nodes).map(n => document.querySelector(n.target.join(' ')).textContent)""")
    assert "按钮栏下面的浅灰文字" in undecided       # axe alone leaves it undecided: the sweep judges it again
    report, count = problems(page)
    assert count["color-contrast"] == 3, report
    assert count["target-44px"] == 1, report


def test_a_control_under_the_button_bar_when_focused_is_reported(page: Page) -> None:
    sign_in(page, "440106199001011235")
    open_adult_guide(page)
    expect(heading(page, "办事指南")).to_be_visible()
    page.evaluate("() => document.documentElement.style.setProperty('scroll-padding', '0')")   # as it was before
    report, count = problems(page)
    assert count["focus-obscured"] >= 1, report
