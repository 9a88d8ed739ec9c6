"""What each kind of change means for a citizen in flight: one table, the single source of every reason.

A change is *breaking* when a citizen who has already answered some pages could, on the new version, have to
answer again, lose an answer, have skipped a check the new version asks for, or meet a page that no longer
exists. A change that only alters what happens on pages a citizen has not reached yet is *compatible*: they meet it
as a new citizen would. Texts never break anything.

Pages reordered are breaking. A page counts as passed by its id and its answers, not by its place, so nobody
loses an answer; but a citizen who is between the two places (past one page, not yet at the other) would find a
page they have not passed before one they have, and the engine keeps such a draft on its version
(renderer/journey/pinning.py). Each move records the pages it now comes before and after, for a closer look.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from renderer.definition.model import Position

COMPATIBLE = "compatible"
BREAKING = "breaking"


@dataclass(frozen=True)
class Rule:
    classification: str
    reason: str            # may name {page}: the title of the page concerned


_C, _B = COMPATIBLE, BREAKING
TEXT = "a text only; every answer stays valid"

RULES: Mapping[str, Rule] = {
    # journeys
    "journey.added": Rule(_C, "a new journey: nobody is in flight on it yet"),
    "journey.removed": Rule(_B, "citizens in flight on it would meet pages that no longer exist"),
    "journey.text": Rule(_C, TEXT),
    "journey.in_flight": Rule(_C, "how drafts on older versions are treated from now on, not what citizens answer"),
    "journey.applicant": Rule(_B, "whom the card is for is read differently: answers given for one person may now "
                                  "describe another"),
    "journey.derived_read": Rule(_B, "a condition reads this value: it may re-route pages a citizen has answered"),
    "journey.derived_shown": Rule(_C, "computed, never asked: only what is shown and sent changes"),
    # pages
    "page.added": Rule(_B, "citizens already past the place where it stands are sent back to it"),
    "page.removed": Rule(_B, "a citizen on it, or sent back to it by an edit link, would meet a page that no longer exists; "
                             "its answers are no longer used"),
    "page.renamed": Rule(_B, "its address changes: a citizen on it meets a page that no longer exists, and those who "
                             "passed it must pass it again"),
    "page.moved": Rule(_B, "no answer is lost, but a citizen past one of the two places and not yet at the other "
                           "would find a page they have not passed before one they have"),
    "page.text": Rule(_C, TEXT),
    "page.hidden_more": Rule(_C, "it only hides the page in more cases: nothing new is asked"),
    "page.condition": Rule(_B, "it re-routes answered pages: {page} may now appear on a route a citizen has passed"),
    "section.hidden_more": Rule(_C, "it only hides the section in more cases: nothing new is asked"),
    "section.condition": Rule(_B, "required fields on {page} may now be asked of citizens who passed it"),
    "section.condition_optional": Rule(_C, "the section asks nothing required: citizens who passed {page} need "
                                           "not come back"),
    "confirm.changed": Rule(_C, "the confirm page shows the answers differently; nothing is asked"),
    # fields
    "field.added_required": Rule(_B, "citizens who passed {page} must go back to fill it in"),
    "field.added_optional": Rule(_C, "optional: nobody has to go back for it"),
    "field.added_shown": Rule(_C, "it shows a value; nothing is asked"),
    "field.removed": Rule(_C, "nothing more is asked; its answer is no longer used or sent"),
    "field.renamed": Rule(_B, "answers are kept by field id: the answer given under the old id is lost and must be "
                              "given again on {page}"),
    "field.moved_required": Rule(_B, "a required field now on {page}: citizens who passed that page without it must "
                                     "go back"),
    "field.moved_optional": Rule(_C, "optional, and its answer is kept by id wherever it is asked"),
    "field.kind": Rule(_B, "the answer already given may not fit the new kind of field"),
    "field.text": Rule(_C, TEXT),
    "field.default": Rule(_C, "only what is prefilled for citizens who have not answered yet"),
    "field.value": Rule(_C, "computed, never asked: only what is shown and sent changes"),
    "field.required_more": Rule(_B, "it may now be required of citizens who passed {page} without answering it"),
    "field.required_less": Rule(_C, "required in fewer cases: every answer given stays valid"),
    "field.hidden_more": Rule(_C, "it only hides the field in more cases: nothing new is asked"),
    "field.condition": Rule(_B, "a required field may now be asked on {page}, which citizens have passed"),
    "field.condition_optional": Rule(_C, "optional: shown in other cases, but nobody has to go back for it"),
    "field.enabled": Rule(_C, "whether the field can be changed, not what was answered: every answer stays"),
    "field.rule_added": Rule(_B, "an answer that passed on {page} may now fail the new check"),
    "field.rule_removed": Rule(_C, "one check fewer: every answer given stays valid"),
    "field.limit_looser": Rule(_C, "a looser limit: every answer given stays valid"),
    "field.setting": Rule(_B, "decides what is accepted on {page}: an answer given under the old setting may not "
                              "pass"),
    "field.display": Rule(_C, "how it is shown, not what is accepted"),
    # options: what a citizen could have chosen
    "option.added": Rule(_C, "one more choice: every answer given stays valid"),
    "option.removed": Rule(_B, "a citizen may have chosen it on {page}"),
    "option.changed": Rule(_B, "a choice a citizen may have made on {page} now means something else"),
    "option.text": Rule(_C, "a choice keeps its value; only its texts changed"),
    # buttons and routes (button `on:` outcomes, guards, service calls)
    "button.added": Rule(_C, "another way on from the page: every answer stays valid"),
    "button.removed": Rule(_C, "citizens past {page} have left it; those still on it use the buttons it has"),
    "button.text": Rule(_C, TEXT),
    "button.check_added": Rule(_B, "citizens who passed {page} never went through this check"),
    "button.check_removed": Rule(_C, "one check fewer: nobody has to go back"),
    "button.disabled_more": Rule(_B, "citizens who passed {page} might now have been stopped there"),
    "button.enabled_more": Rule(_C, "usable in more cases: nobody has to go back"),
    "route.ok_changed": Rule(_B, "citizens who passed {page} went on by the old route; the new version sends them "
                                 "elsewhere"),
    "route.outcome": Rule(_C, "this outcome stops the citizen on {page}: only those who meet it from now on see "
                              "the new route"),
    # results and popups
    "result.added": Rule(_C, "a new end: nobody has reached it yet"),
    "result.removed": Rule(_B, "a citizen who has submitted and comes back would meet a page that no longer exists"),
    "result.text": Rule(_C, TEXT),
    "popup.added": Rule(_C, "a dialog: no answer depends on it"),
    "popup.removed": Rule(_C, "a dialog: no answer depends on it; the routes that showed it are listed on their own"),
    "popup.text": Rule(_C, TEXT),
    "links.changed": Rule(_C, "where a button of a dialog or result leads: nothing is asked, every answer stays"),
    # data: lists, cities, resident types
    "list.added": Rule(_C, "new data: no answer depends on it yet"),
    "list.removed": Rule(_C, "no field reads it any more; the fields that did are listed on their own"),
    "list.entry_added": Rule(_C, "one more entry: every answer given stays valid"),
    "list.entry_removed": Rule(_B, "a citizen may have chosen it"),
    "list.entry_changed": Rule(_B, "an answer that relied on this entry may no longer pass"),
    "list.entry_text": Rule(_C, TEXT),
    "city.added": Rule(_C, "a new city: nobody has chosen it yet"),
    "city.removed": Rule(_B, "a citizen may have chosen this city"),
    "city.bank_added": Rule(_C, "one more bank: every answer given stays valid"),
    "city.bank_removed": Rule(_B, "a citizen may have chosen this bank"),
    "city.district_added": Rule(_C, "a filter of the branch list: every answer given stays valid"),
    "city.district_removed": Rule(_C, "a filter of the branch list; the branches removed with it are listed on "
                                      "their own"),
    "city.branch_added": Rule(_C, "one more branch: every answer given stays valid"),
    "city.branch_removed": Rule(_B, "a citizen may have chosen this branch"),
    "city.branch_changed": Rule(_C, "the same branch (same id) with other details: the choice stays valid"),
    "city.text": Rule(_C, "contact details only; every answer stays valid"),
    "resident.added": Rule(_C, "a new resident type: nobody of that type is in flight yet"),
    "resident.removed": Rule(_B, "citizens of that type in flight would no longer be described by the forms"),
    "resident.text": Rule(_C, TEXT),
    "resident.entry_added": Rule(_C, "one more choice for that resident type: every answer given stays valid"),
    "resident.entry_removed": Rule(_B, "a citizen of that type may have chosen or uploaded it"),
    "resident.setting": Rule(_B, "conditions and pages read this setting: it may change what citizens of that type "
                                 "who are in flight must answer"),
}


# Field settings (besides options) whose change is judged by its direction or is presentation only.
LOOSER_WHEN_HIGHER = frozenset({"max_length", "receipt_max_length"})
LOOSER_WHEN_LOWER = frozenset({"min_length"})
DISPLAY_SETTINGS = frozenset({"display", "layout", "shows", "columns", "popups", "button", "receipt_button",
                              "editable_label", "code_label", "dialog_title", "search_placeholder"})


@dataclass(frozen=True)
class Change:
    """One semantic difference between two versions, classified for a citizen in flight."""

    kind: str                   # a key of RULES
    journey: str | None         # None for data: lists, cities, resident types
    subject: str                # what changed, in words
    position: Position | None   # in the newer version, or in the older one when `in_old`
    in_old: bool
    classification: str
    reason: str
    page: str | None = None     # ids a policy can match against a draft
    field: str | None = None
    value: str | None = None
    details: Mapping[str, Any] = dc_field(default_factory=dict)

    @property
    def breaking(self) -> bool:
        return self.classification == BREAKING


def change(kind: str, journey: str | None, subject: str, position: Position | None, *, in_old: bool = False,
           page_title: str = "", page: str | None = None, field: str | None = None, value: str | None = None,
           **details: Any) -> Change:
    """A Change whose classification and reason come from RULES[kind]."""
    rule = RULES[kind]
    reason = rule.reason.format(page=page_title or "the page")
    return Change(kind, journey, subject, position, in_old, rule.classification, reason, page, field, value,
                  details)
