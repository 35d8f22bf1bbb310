"""For officers: every loaded checklist, where it came from, load errors, and a preview."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, Static

from safety_tui.checklists.loader.catalog import Catalog, LoadedChecklist, load_catalog
from safety_tui.checklists.loader.files import Signature, layers_signature
from safety_tui.ui.screens.base import SafetyScreen
from safety_tui.ui.widgets import literal, literal_cell
from safety_tui.ui.widgets.footer import Footer
from safety_tui.ui.widgets.item_card import ItemCard


class ChecklistsScreen(SafetyScreen):
    DEFAULT_CSS = """
    ChecklistsScreen #checklists-row {
        height: 1fr;
    }
    ChecklistsScreen #checklists-left {
        width: 1fr;
        min-width: 36;
    }
    ChecklistsScreen #checklists-right {
        width: 1fr;
    }
    ChecklistsScreen #checklist-table {
        height: 1fr;
    }
    ChecklistsScreen #load-errors {
        color: $success;
    }
    ChecklistsScreen #load-errors.-has-errors {
        color: $error;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "reload", "Reload"),
        Binding("left,k", "preview(-1)", "Prev item"),
        Binding("right,j", "preview(1)", "Next item"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview_index = 0
        self.signature: Signature = ()
        self.shown: Catalog | None = None  # the catalog the table shows

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="checklists-row"):
            with Vertical(id="checklists-left"):
                yield DataTable(id="checklist-table", cursor_type="row", zebra_stripes=True)
                yield Label("Load errors", classes="section-title")
                yield Static(id="load-errors", classes="error-box")
            with Vertical(id="checklists-right"):
                yield Label("Preview (← → steps)", classes="section-title")
                yield ItemCard(id="preview")
                yield Static(id="source", classes="hint")
        yield Footer()

    @property
    def catalog(self) -> Catalog:
        return self.app.catalog

    def on_mount(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        table.add_columns("Title", "Items")
        self.signature = layers_signature(self.app.layers)
        self.fill()
        self.set_interval(2.0, self.check_for_changes)
        table.focus()

    def fill(self) -> None:
        self.shown = self.catalog
        table: DataTable[object] = self.query_one(DataTable)
        table.clear()
        for lc in self.catalog.sorted():
            c = lc.checklist
            table.add_row(literal_cell(c.title), f"{len(c.items())}, {c.critical_count}!", key=c.id)
        errors, warnings = self.catalog.errors, self.catalog.warnings
        box = self.query_one("#load-errors", Static)
        found = [*errors, *warnings]  # a replacement that drops critical items is shown too
        box.update(literal("\n".join(str(e) for e in found)) if found else "None: every file loaded.")
        box.set_class(bool(found), "-has-errors")
        noted = f", {len(warnings)} warning(s)" if warnings else ""
        self.sub_title = f"{len(self.catalog.checklists)} checklist(s), {len(errors)} error(s){noted}"
        self.preview_index = 0
        self.show_preview()

    def selected(self) -> LoadedChecklist | None:
        table: DataTable[object] = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.catalog.checklists.get(key) if key is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.preview_index = 0
        self.show_preview()

    def show_preview(self) -> None:
        loaded = self.selected()
        card = self.query_one(ItemCard)
        source = self.query_one("#source", Static)
        if loaded is None:
            card.show_message("No checklists", "Nothing loaded.")
            source.update("")
            return
        items = loaded.checklist.items()
        self.preview_index %= len(items)
        card.show(loaded.checklist, items[self.preview_index], None)
        c = loaded.checklist
        kinds = f"travel by {c.mode.value}" if c.mode else ", ".join(v.value for v in c.visit_types)
        lines = [
            f"item {self.preview_index + 1} of {len(items)} · id {c.id} · for {kinds}",
            f"{len(items)} items, {c.critical_count} critical · {loaded.layer}: {loaded.path.name}",
            f"in {loaded.path.parent}",
        ]
        for o in self.catalog.overridden_by(loaded.checklist.id):
            lines.append(f"replaces {o.loser.name} in {o.loser.parent}")
        source.update(literal("\n".join(lines)))

    def action_preview(self, step: int) -> None:
        self.preview_index += step
        self.show_preview()

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="reload", description="read the checklists again")
    def reload(self) -> None:
        catalog = load_catalog(self.app.layers)
        self.app.call_from_thread(self._reloaded, catalog)

    def _reloaded(self, catalog: Catalog) -> None:
        self.app.set_catalog(catalog)
        self.signature = layers_signature(self.app.layers)
        self.fill()
        self.notify(f"Reloaded: {len(catalog.checklists)} checklist(s), {len(catalog.errors)} error(s).", timeout=3)

    def check_for_changes(self) -> None:
        if layers_signature(self.app.layers) != self.signature:
            self.reload()
        elif self.catalog is not self.shown:  # the app read the files again itself
            self.fill()
