"""受理网点: 选择 opens the issuing city's branches, filtered by district exactly and by keyword (fuzzy).

The keyword is matched against each branch's name and address as written, as full pinyin and as pinyin
initials: the characters, a homophone typed by mistake, the pinyin and its initials all find the branch. The
readings come from pypinyin and the typo scores from rapidfuzz; the places and banks are all in the data.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin, load_phrases_dict
from rapidfuzz import fuzz

from widgets.base import ActionResult, FieldContext, Widget
from widgets.settings import BranchPickerSettings, read

MAX_KEYWORD = 40        # the search box's maxlength; longer keywords are cut to it
EXACT = 100             # the keyword appears as written (latin: as pinyin from a syllable start, or as initials)
HOMOPHONE = 95          # a Chinese keyword that reads the same as part of the text (钱 typed for 前)
TYPO_HANZI = 75         # least partial_ratio for a Chinese keyword with a wrong or missing character
TYPO_PINYIN = 85        # least partial_ratio for a mistyped latin keyword against the full pinyin
TYPO_MIN_LATIN = 5      # shorter latin keywords are matched exactly (pinyin from a syllable start, initials)

# pypinyin reads 行 in 支行 as xíng; a branch is a zhī háng (its dictionary already knows 银行 and 分行).
load_phrases_dict({"支行": [["zhī"], ["háng"]]})

_LATIN = re.compile(r"[a-z' ]+")


@dataclass(frozen=True)
class _Spelling:
    """One searchable text: as written, as full pinyin without tones, and as pinyin initials (all lower case)."""

    plain: str
    pinyin: str
    starts: frozenset[int]      # where each syllable begins in `pinyin`
    initials: str

    def reads(self, pinyin: str) -> bool:
        """Whether `pinyin` occurs in the full pinyin from the start of a syllable (qian in zhanqian, not anq)."""
        at = self.pinyin.find(pinyin)
        while at >= 0:
            if at in self.starts:
                return True
            at = self.pinyin.find(pinyin, at + 1)
        return False


@lru_cache(maxsize=8192)
def _spell(text: str) -> _Spelling:
    """Computed once per distinct name or address, so a search only compares strings."""
    syllables = [s.lower() for s in lazy_pinyin(text)]
    starts, at = set(), 0
    for s in syllables:
        starts.add(at)
        at += len(s)
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    return _Spelling(text.lower(), "".join(syllables), frozenset(starts), initials)


@dataclass(frozen=True)
class _Keyword:
    text: str           # Chinese (or digits …): as typed, lower case; latin: lower case, spaces and ' removed
    latin: bool
    pinyin: str         # the keyword's own full pinyin (the text itself when latin)


@lru_cache(maxsize=256)
def _keyword(raw: str) -> _Keyword | None:
    text = unicodedata.normalize("NFKC", raw).strip().lower()[:MAX_KEYWORD]
    if not text:
        return None
    if _LATIN.fullmatch(text):
        text = text.replace(" ", "").replace("'", "")
        return _Keyword(text, True, text) if text else None
    return _Keyword(text, False, "".join(lazy_pinyin(text)).lower())


def _score(kw: _Keyword, sp: _Spelling) -> float:
    """0‥100: how well one name or address answers the keyword; 0 below the typo thresholds."""
    if kw.latin:
        if sp.reads(kw.text) or kw.text in sp.initials:
            return EXACT
        if len(kw.text) >= TYPO_MIN_LATIN:
            return min(fuzz.partial_ratio(kw.text, sp.pinyin, score_cutoff=TYPO_PINYIN), HOMOPHONE - 1)
        return 0
    if kw.text in sp.plain:
        return EXACT
    if sp.reads(kw.pinyin):
        return HOMOPHONE
    return min(fuzz.partial_ratio(kw.text, sp.plain, score_cutoff=TYPO_HANZI), HOMOPHONE - 1)


def search(branches: list[Any], district: str, keyword: str) -> list[Any]:
    """Branches in `district` (all when empty; otherwise exactly that district) that answer `keyword`, best
    first: exact hits, then homophones, then typos; a hit in the name before one only in the address, then
    the order of the data. No keyword: the district's branches in the order of the data."""
    found = [b for b in branches if not district or b.district == district]
    kw = _keyword(keyword or "")
    if kw is None:
        return found
    ranked = []
    for index, branch in enumerate(found):
        name = _score(kw, _spell(branch.name))
        best = max(name, _score(kw, _spell(branch.address)))
        if best:
            ranked.append((-best, -name, index, branch))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


class BranchPickerWidget(Widget):
    kind = "branch_picker"
    required_verb = "请选择"

    def keys(self, field: Any) -> list[str]:
        return [field.id, f"{field.id}.district", f"{field.id}.q"]

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (f"{field.id}.q",)      # the keyword; the branch and district are chosen from the list

    def _city(self, ctx: FieldContext) -> Any:
        return (ctx.env.get("cities") or {}).get(ctx.eval("city"))

    def value(self, ctx: FieldContext) -> Any:
        city = self._city(ctx)
        chosen = ctx.get()
        branch = next((b for b in city.branches if b.id == chosen), None) if city else None
        return asdict(branch) if branch else None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if ctx.get() and value is None:
            return "所选网点不属于发卡地,请重新选择受理网点"
        return None

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        if verb in ("open", "close"):       # the list opens clean, whatever an earlier search left behind
            ctx.set("q", "")
            ctx.set("district", "")
            return ActionResult(state={"dialog": verb == "open"})
        if verb == "search":
            return ActionResult(state={"dialog": True})
        if verb.startswith("pick:"):
            city = self._city(ctx)
            chosen = verb.removeprefix("pick:")
            if city is None or all(b.id != chosen for b in city.branches):
                return ActionResult(error="所选网点不存在,请重新选择", state={"dialog": True})
            ctx.set("", chosen)
            return ActionResult()
        return ActionResult(error="不支持的操作")

    def display(self, ctx: FieldContext, value: Any) -> str:
        return value["name"] if value else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        city = self._city(ctx)
        branches = list(city.branches) if city else []
        district = ctx.get("district")
        s = read(ctx.field, BranchPickerSettings)
        labels = {**BranchPickerSettings().shows, **s.shows}     # a label not given keeps its default
        return {"branch": self.value(ctx), "labels": labels, "districts": list(city.districts) if city else [],
                "district": district, "q": ctx.get("q"), "results": search(branches, district, ctx.get("q")),
                "max_keyword": MAX_KEYWORD,
                "dialog_title": s.dialog_title or s.label, "placeholder": s.search_placeholder}


WIDGET = BranchPickerWidget()
