"""The walk a councillor gets for one visit: before, during and after. Core: no Textual.

``compose`` chooses the checklists for a kind of visit and how the councillor
travels, puts them in walk order (the visit's own checklists, then travel, then
the basics that every visit gets) and splits their items by ``when``:

- ``before``: asked in the walk, in walk order. Conditional items (``show_if``)
  are included; ``Composition.walk(answers)`` gives the ones to show now.
- ``satisfied``: before items the walk does not ask, because a wizard step
  carries them out (``step: contacts`` is Who's told, ``step: code-word`` the
  Code word step) or because they are the same advice as an item asked earlier.
- ``during``: the briefing, grouped by section title ("On arrival", "If it turns
  nasty", "If you are followed", ...); never ticked, never a risk.
- ``after``: the debrief at check-in.

"The same advice" is explicit, never guessed from the wording: items share a
``same_as`` key and the same ``when``. Of such a group the walk asks the first
unconditional item (in walk order) and counts it as critical if any of the
group is; the others are satisfied by it. If every item of a group is
conditional, each is asked in its own place (their conditions differ). If any
item of a group is carried out by a wizard step, the whole group is. A question
is always asked in its own place (``step`` and ``same_as`` apply to checks), as
the items of its checklist hang from its answer there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from safety_tui.checklists.composed import SnapshotLike, once_per_version
from safety_tui.checklists.model import STEP_LABELS, Checklist, Item, Step, When, visible_items
from safety_tui.checklists.ordering import walk_order
from safety_tui.checklists.vocabulary import PLAN_VISIT_TYPES, ItemType, TravelMode, VisitType
from safety_tui.common.errors import ChecklistError

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog

Answers = Mapping[str, Mapping[str, str]]  # checklist id -> item id -> answer value


@dataclass(frozen=True)
class WalkItem:
    """One item of a composed walk, with the checklist and section it comes from."""

    checklist_id: str
    checklist_title: str
    section: str
    item: Item
    critical: bool
    step: Step | None = None  # satisfied by this wizard step
    same_as_key: str | None = None  # satisfied by this item ("checklist/item"), asked instead

    @property
    def key(self) -> str:
        return f"{self.checklist_id}/{self.item.id}"

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def text(self) -> str:
        return self.item.text

    @property
    def ref(self) -> str | None:
        return self.item.ref

    @property
    def when(self) -> When:
        return self.item.when

    @property
    def satisfied_by(self) -> str | None:
        """Who carries this item out instead of the walk, in words; None when the walk asks it."""
        if self.step is not None:
            return f"the {STEP_LABELS[self.step]} step"
        if self.same_as_key is not None:
            return f"the same advice as {self.same_as_key}"
        return None


@dataclass(frozen=True)
class BriefingGroup:
    title: str
    items: tuple[WalkItem, ...]


@dataclass(frozen=True)
class Composition:
    checklists: tuple[Checklist, ...]
    before: tuple[WalkItem, ...]
    satisfied: tuple[WalkItem, ...]
    during: tuple[WalkItem, ...]
    after: tuple[WalkItem, ...]

    def walk(self, answers: Answers) -> list[WalkItem]:
        """The before items to show now, given the answers so far (a hidden question hides its items)."""
        return _visible(self.before, self.checklists, answers, When.BEFORE)

    def quick(self) -> list[WalkItem]:
        """The quick plan's walk: the critical before items, with the questions they hang from.

        A critical item shown only after a question (``show_if``) needs that question too, and so on
        up the chain; everything stays in walk order. ``walk(answers)`` style filtering still applies:
        pass these keys to the walk, or filter ``walk(answers)`` by them.
        """
        by_key = {entry.key: entry for entry in self.before}
        wanted: set[str] = set()
        for entry in self.before:
            current: WalkItem | None = entry if entry.critical else None
            while current is not None and current.key not in wanted:
                wanted.add(current.key)
                condition = current.item.show_if
                current = by_key.get(f"{current.checklist_id}/{condition.item}") if condition else None
        return [entry for entry in self.before if entry.key in wanted]

    def standing_answers(self, answers: Answers) -> dict[str, dict[str, str]]:
        """The answers a repeat of this plan copies: those to questions the walk asks.

        A question records a fact about the place, the person or the occasion ("doubts about the
        premises?", "alone in an empty building?"), which usually stands for the next visit; every
        check is an action to take again, so its answer is never copied.
        """
        out: dict[str, dict[str, str]] = {}
        for entry in self.before:
            value = answers.get(entry.checklist_id, {}).get(entry.id)
            if entry.item.type is ItemType.QUESTION and value is not None:
                out.setdefault(entry.checklist_id, {})[entry.id] = value
        return out

    def briefing(self, answers: Answers | None = None) -> list[BriefingGroup]:
        """The during items grouped by section title, groups in order of first appearance.

        With ``answers``, items whose question hides them are left out.
        """
        items = list(self.during) if answers is None else _visible(self.during, self.checklists, answers, When.DURING)
        groups: dict[str, list[WalkItem]] = {}
        for entry in items:
            groups.setdefault(entry.section, []).append(entry)
        return [BriefingGroup(title, tuple(entries)) for title, entries in groups.items()]

    def debrief(self, answers: Answers | None = None) -> list[WalkItem]:
        return list(self.after) if answers is None else _visible(self.after, self.checklists, answers, When.AFTER)


def _visible(
    items: Sequence[WalkItem], checklists: Sequence[Checklist], answers: Answers, when: When
) -> list[WalkItem]:
    shown = {(c.id, item.id) for c in checklists for item in visible_items(c, dict(answers.get(c.id, {})), when)}
    return [entry for entry in items if (entry.checklist_id, entry.id) in shown]


def visit_type_of(value: VisitType | str) -> VisitType:
    """The plan visit type named by ``value``; a ChecklistError names the valid ones otherwise."""
    try:
        visit = VisitType(value)
    except ValueError:
        visit = None
    if visit not in PLAN_VISIT_TYPES:
        names = ", ".join(v.value for v in PLAN_VISIT_TYPES)
        raise ChecklistError(f"'{value}' is not a kind of visit; use one of: {names}")
    return visit


def travel_modes_of(values: Iterable[TravelMode | str]) -> list[TravelMode]:
    modes: list[TravelMode] = []
    for value in values:
        try:
            mode = TravelMode(value)
        except ValueError:
            names = ", ".join(m.value for m in TravelMode)
            raise ChecklistError(f"'{value}' is not a way of travelling; use one of: {names}") from None
        if mode not in modes:
            modes.append(mode)
    return modes


def for_visits(checklists: Iterable[Checklist]) -> list[Checklist]:
    """The checklists a plan can use (for some kind of visit or a way of travelling), in walk order.

    Cards and periodic reviews are left out: they are not walked before a visit.
    """
    return walk_order(c for c in checklists if c.mode is not None or set(c.visit_types) & set(PLAN_VISIT_TYPES))


def choose(
    checklists: Iterable[Checklist], visit_type: VisitType | str, modes: Iterable[TravelMode | str] = ()
) -> list[Checklist]:
    """The checklists a plan of this kind gets, in walk order."""
    visit = visit_type_of(visit_type)
    wanted = travel_modes_of(modes)
    return walk_order((c for c in checklists if c.applies_to(visit, wanted)), wanted)


def compose(catalog: Catalog, visit_type: VisitType | str, modes: Iterable[TravelMode | str] = ()) -> Composition:
    """The walk, briefing and debrief a councillor gets for this kind of visit."""
    wanted = travel_modes_of(modes)
    loaded = [entry.checklist for entry in catalog.checklists.values()]
    return compose_checklists(choose(loaded, visit_type, wanted), wanted)


def compose_checklists(checklists: Iterable[Checklist], modes: Iterable[TravelMode | str] = ()) -> Composition:
    """Compose checklists already chosen (for example a plan's snapshots), putting them in walk order."""
    ordered = tuple(walk_order(checklists, travel_modes_of(modes)))
    entries = [
        (checklist, section.title, item)
        for checklist in ordered
        for section in checklist.sections
        for item in section.items
    ]
    before, satisfied = _dedupe([e for e in entries if e[2].when is When.BEFORE])
    during, _ = _dedupe([e for e in entries if e[2].when is When.DURING])
    after, _ = _dedupe([e for e in entries if e[2].when is When.AFTER])
    return Composition(ordered, tuple(before), tuple(satisfied), tuple(during), tuple(after))


class PlanLike(Protocol):
    """What compose_plan needs of a plan (plan.Plan has it); keeps this module free of the plan model."""

    @property
    def travel_modes(self) -> Sequence[TravelMode]: ...

    @property
    def checklists(self) -> Sequence[SnapshotLike]: ...

    def answers_for(self, checklist_id: str) -> dict[str, str]: ...


def compose_plan(plan: PlanLike) -> tuple[Composition, Answers]:
    """A plan's composition (from its checklist snapshots) and its answers, ready for walk/briefing/debrief.

    For the exports: ``composition, answers = compose_plan(plan)``, then
    ``briefing_text(composition, markdown=True, answers=answers)``.
    """
    modes = [TravelMode(m).value for m in plan.travel_modes]  # once per version of the snapshots:
    composition = once_per_version(compose_checklists, plan.checklists, modes)  # see checklists/composed.py
    return composition, {c.id: plan.answers_for(c.id) for c in composition.checklists}


Entry = tuple[Checklist, str, Item]


def _dedupe(entries: list[Entry]) -> tuple[list[WalkItem], list[WalkItem]]:
    """Split entries (one ``when``, walk order) into (asked, satisfied) following the module's rules."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry[2].same_as is not None and entry[2].type is not ItemType.QUESTION:
            groups.setdefault(entry[2].same_as, []).append(entry)
    asked: list[WalkItem] = []
    satisfied: list[WalkItem] = []
    for checklist, section, item in entries:
        if item.type is ItemType.QUESTION:  # always asked in place: its own items hang from its answer
            asked.append(WalkItem(checklist.id, checklist.title, section, item, item.critical))
            continue
        group = groups.get(item.same_as, []) if item.same_as is not None else []
        step = item.step or next((e[2].step for e in group if e[2].step is not None), None)
        representative = next((e for e in group if e[2].show_if is None), None)
        critical = any(e[2].critical for e in group) if representative is not None else item.critical
        stands_in = representative is not None and representative[2] is not item
        base = WalkItem(checklist.id, checklist.title, section, item, critical or item.critical)
        if step is not None:
            satisfied.append(_with(base, step=step))
        elif stands_in and representative is not None:
            satisfied.append(_with(base, same_as_key=f"{representative[0].id}/{representative[2].id}"))
        else:
            asked.append(base)
    return asked, satisfied


def _with(entry: WalkItem, *, step: Step | None = None, same_as_key: str | None = None) -> WalkItem:
    return WalkItem(
        entry.checklist_id, entry.checklist_title, entry.section, entry.item, entry.critical, step, same_as_key
    )


# -- text ---------------------------------------------------------------------------------------

DERIVED_NOTE = "not from the guidance"


def source_label(item: Item) -> str:
    """Where an item comes from, in the same words everywhere (walk, briefing, cards, CLI): ``guidance
    2.4.2``, or for the app's or council's own advice ``not from the guidance`` (and what it is drawn from).
    """
    if item.derived:
        return f"{DERIVED_NOTE}; drawn from guidance {item.ref}" if item.ref else DERIVED_NOTE
    return f"guidance {item.ref}" if item.ref else ""


def item_line(item: Item, *, markdown: bool = False, with_help: bool = False) -> str:
    """One item as a bullet: its text, the guidance section, and whether it is the app's own advice.

    ``with_help`` adds the item's help on the next line (the briefing and the cards are the only
    place advice is read, so its help must be there too).
    """
    label = source_label(item)
    suffix = f" ({label})" if label else ""
    line = f"{'- ' if markdown else '  - '}{item.text}{suffix}"
    if with_help and item.help:
        line += f"  \n  {item.help}" if markdown else f"\n    {item.help}"
    return line


def _heading(text: str, level: int, markdown: bool) -> list[str]:
    return [f"{'#' * level} {text}", ""] if markdown else [text]


def briefing_text(
    composition: Composition, *, markdown: bool = False, answers: Answers | None = None, level: int = 2
) -> str:
    """The plan's ``during`` advice as text or Markdown, grouped, for exports and the contact's message.

    Empty when the plan has no during advice. ``level`` is the Markdown heading level of the title.
    """
    groups = composition.briefing(answers)
    if not groups:
        return ""
    out = _heading("Briefing: during the visit", level, markdown)
    for group in groups:
        out += ([""] if not markdown else []) + _heading(group.title, level + 1, markdown)
        out += [item_line(entry.item, markdown=markdown, with_help=True) for entry in group.items]
        if markdown:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
