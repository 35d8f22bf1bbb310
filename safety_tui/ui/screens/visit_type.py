"""Step 1: what kind of visit and how you travel; matching checklists are chosen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from safety_tui.checklists.compose import for_visits
from safety_tui.checklists.vocabulary import MODE_LABELS, PLAN_VISIT_TYPES, VISIT_LABELS, TravelMode, VisitType
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.step import WizardStep, unless_taken_down
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.marked import MarkedRadioButton, MarkedSelectionList


class VisitTypeStep(WizardStep):
    def compose(self) -> ComposeResult:
        plan = self.plan()
        with Horizontal(id="type-row"):
            with Vertical(classes="column"):
                yield Label("What kind of visit?", classes="question")
                with RadioSet(id="visit-type"):
                    for visit in PLAN_VISIT_TYPES:
                        yield MarkedRadioButton(VISIT_LABELS[visit], value=visit is plan.visit_type, name=visit.value)
            with Vertical(classes="column"):
                yield Label("How will you travel?", classes="question")
                yield MarkedSelectionList(
                    *[Selection(MODE_LABELS[m], m.value, m in plan.travel_modes) for m in TravelMode],
                    id="modes",
                )
        yield Label("Checklists for this visit (space to add or remove):", classes="question")
        yield MarkedSelectionList(id="checklists")
        yield Static(id="versions", classes="hint")

    @unless_taken_down
    def on_mount(self) -> None:
        self._fill_checklists([c.checklist_id for c in self.plan().checklists])

    def shown(self, fresh: bool) -> None:
        self.put_cursor(self.query_one("#visit-type", RadioSet))  # only this step sets what it shows

    def _fill_checklists(self, chosen: list[str]) -> None:
        widget: SelectionList[str] = self.query_one("#checklists", SelectionList)
        widget.clear_options()
        # Only what a plan can walk: cards and periodic reviews are offered elsewhere.
        for checklist in for_visits(lc.checklist for lc in self.app.catalog.sorted()):
            widget.add_option(Selection(literal(checklist.title), checklist.id, checklist.id in chosen))
        self._show_versions(chosen)

    def _show_versions(self, chosen: list[str]) -> None:
        """Whose version of each chosen checklist this plan gets, when an officer replaced one."""
        notes = self.app.catalog.version_notes(chosen)
        box = self.query_one("#versions", Static)
        box.update(literal("\n".join(f"In use: {note}." for note in notes)))
        box.display = bool(notes)

    def _visit(self) -> VisitType:
        pressed = self.query_one("#visit-type", RadioSet).pressed_button
        return VisitType(pressed.name) if pressed is not None and pressed.name else VisitType.OTHER

    def _modes(self) -> list[str]:
        modes: SelectionList[str] = self.query_one("#modes", SelectionList)
        return list(modes.selected)

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged, "#modes")
    @reports_errors
    def _kind_changed(self) -> None:
        """A new visit type or travel mode re-chooses the matching checklists."""
        visit, modes = self._visit(), self._modes()
        plan = self.plan()
        if plan.visit_type is visit and [m.value for m in plan.travel_modes] == modes:
            return  # nothing changed (e.g. the initial state on mount): keep the user's choice
        chosen = self.app.catalog.matching(visit.value, modes)
        self._fill_checklists(chosen)
        self._save_choice(visit, modes, chosen)

    @on(SelectionList.SelectedChanged, "#checklists")
    @reports_errors
    def _checklists_changed(self) -> None:
        chosen: SelectionList[str] = self.query_one("#checklists", SelectionList)
        self._save_choice(self._visit(), self._modes(), list(chosen.selected))
        self._show_versions(list(chosen.selected))

    def _save_choice(self, visit: VisitType, modes: list[str], chosen: list[str]) -> None:
        catalog, store = self.app.catalog, self.app.store
        plan = self.plan()
        if plan.visit_type is not visit or [m.value for m in plan.travel_modes] != modes:
            store.update(self.ref, visit_type=visit, travel_modes=modes)
        if [c.checklist_id for c in plan.checklists] != chosen:
            store.set_checklists(self.ref, [c for c in (catalog.get(i) for i in chosen) if c is not None])

    @reports_errors
    def _has_checklists(self) -> bool:
        return bool(self.plan().checklists)

    def save(self) -> bool:
        if not self._has_checklists():
            self.notify("Choose at least one checklist.", severity="warning")
            return False
        return True
