"""Step 1: what kind of visit and how you travel; matching checklists are chosen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, RadioButton, RadioSet, SelectionList
from textual.widgets.selection_list import Selection

from safety_tui.checklist import TravelMode, VisitType
from safety_tui.plan import MODE_LABELS, PLAN_VISIT_TYPES, VISIT_LABELS
from safety_tui.screens.wizard import WizardScreen
from safety_tui.widgets import literal


class VisitTypeScreen(WizardScreen):
    STEP = "type"

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        plan = self.plan()
        with Horizontal(id="type-row"):
            with Vertical(classes="column"):
                yield Label("What kind of visit?", classes="question")
                with RadioSet(id="visit-type"):
                    for visit in PLAN_VISIT_TYPES:
                        yield RadioButton(VISIT_LABELS[visit], value=visit is plan.visit_type, name=visit.value)
            with Vertical(classes="column"):
                yield Label("How will you travel?", classes="question")
                yield SelectionList[str](
                    *[Selection(MODE_LABELS[m], m.value, m in plan.travel_modes) for m in TravelMode],
                    id="modes",
                )
        yield Label("Checklists for this visit (space to add or remove):", classes="question")
        yield SelectionList[str](id="checklists")
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        plan = self.plan()
        self._fill_checklists([c.checklist_id for c in plan.checklists])
        self.query_one("#visit-type", RadioSet).focus()

    def _fill_checklists(self, chosen: list[str]) -> None:
        widget = self.query_one("#checklists", SelectionList)
        widget.clear_options()
        for lc in self.app.catalog.sorted():  # type: ignore[attr-defined]
            widget.add_option(Selection(literal(lc.checklist.title), lc.checklist.id, lc.checklist.id in chosen))

    def _visit(self) -> VisitType:
        pressed = self.query_one("#visit-type", RadioSet).pressed_button
        return VisitType(pressed.name) if pressed is not None and pressed.name else VisitType.OTHER

    def _modes(self) -> list[str]:
        return list(self.query_one("#modes", SelectionList).selected)

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged, "#modes")
    def _kind_changed(self) -> None:
        """A new visit type or travel mode re-chooses the matching checklists."""
        visit, modes = self._visit(), self._modes()
        plan = self.plan()
        if plan.visit_type is visit and [m.value for m in plan.travel_modes] == modes:
            return  # nothing changed (e.g. the initial state on mount): keep the user's choice
        chosen = self.app.catalog.matching(visit.value, modes)  # type: ignore[attr-defined]
        self._fill_checklists(chosen)
        self._save_choice(visit, modes, chosen)

    @on(SelectionList.SelectedChanged, "#checklists")
    def _checklists_changed(self) -> None:
        self._save_choice(self._visit(), self._modes(), list(self.query_one("#checklists", SelectionList).selected))

    def _save_choice(self, visit: VisitType, modes: list[str], chosen: list[str]) -> None:
        catalog = self.app.catalog  # type: ignore[attr-defined]
        plan = self.plan()
        if plan.visit_type is not visit or [m.value for m in plan.travel_modes] != modes:
            self.guarded(self.store.update, self.ref, visit_type=visit, travel_modes=modes)
        if [c.checklist_id for c in plan.checklists] != chosen:
            self.guarded(self.store.set_checklists, self.ref, [catalog.get(i) for i in chosen if catalog.get(i)])

    def save(self) -> bool:
        if not self.plan().checklists:
            self.notify("Choose at least one checklist.", severity="warning")
            return False
        return True
