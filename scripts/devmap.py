"""The README's map of the code, made from the code itself: `make devmap` writes it.

Each package of safety_tui with what it is (its docstring), its modules (the first line of each
module's docstring) and the packages it really imports (import-linter's grimp reads the imports).
`tests/test_architecture.py` checks the README holds exactly this, so the map cannot drift.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "safety_tui"
README = ROOT / "README.md"
START, END = "<!-- devmap:start (make devmap writes this part) -->", "<!-- devmap:end -->"
# Top to bottom: each may import only what is below it (the import-linter contracts).
ORDER = ["cli", "ui", "wiring", "today", "council", "incidents", "store", "plans", "checklists", "common"]


def first_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0].strip() if doc.strip() else ""


def imports_between_packages() -> dict[str, set[str]]:
    import grimp

    graph = grimp.build_graph("safety_tui")
    found: dict[str, set[str]] = {name: set() for name in ORDER}
    for importer in ORDER:
        for imported in ORDER:
            if importer != imported and any(
                graph.find_matching_direct_imports(import_expression=f"{source} -> {target}")
                for source in (f"safety_tui.{importer}", f"safety_tui.{importer}.**")  # the package's own code too
                for target in (f"safety_tui.{imported}", f"safety_tui.{imported}.**")
            ):
                found[importer].add(imported)
    return found


def modules(folder: Path, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            rows.append((f"{prefix}{path.name}/", first_line(path / "__init__.py")))
            rows += modules(path, f"{prefix}{path.name}/")
        elif path.suffix == ".py" and path.name != "__init__.py":
            rows.append((f"{prefix}{path.name}", first_line(path)))
    return rows


def render() -> str:
    deps = imports_between_packages()
    lines = [START, "", "| package | what it is | imports |", "|---|---|---|"]
    for name in ORDER:
        uses = ", ".join(f"`{d}/`" for d in ORDER if d in deps[name]) or "nothing of ours"
        lines.append(f"| `{name}/` | {first_line(PACKAGE / name / '__init__.py')} | {uses} |")
    for name in ORDER:
        lines += ["", f"**`{name}/`**", ""]
        lines += [f"- `{module}`: {doc}" if doc else f"- `{module}`" for module, doc in modules(PACKAGE / name)]
    lines += ["", END]
    return "\n".join(lines)


def readme_part() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(START) : text.index(END) + len(END)]


def write() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(text.replace(readme_part(), render()), encoding="utf-8")


if __name__ == "__main__":
    write() if "--check" not in sys.argv else sys.exit(readme_part() != render())
