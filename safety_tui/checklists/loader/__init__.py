"""Load checklist YAML files safely and report every problem precisely. Core: no Textual import.

The package, by responsibility:
- ``characters``: bytes to text; refused characters (controls, bidi, invisible spaces) named and located.
- ``yamlparse`` and ``syntax``: the safe YAML event reader keeping every value's position,
  and YAML syntax errors in plain words.
- ``wording``: a pydantic error becomes ``where: what is wrong``, with bounded suggestions.
- ``validate``: one file's bytes to a ``Checklist`` or every problem in it.
- ``files``: reading files and folders without blocking, reporting what was skipped.
- ``catalog``: the layers of the search path merged into one catalog by checklist id.
"""

from __future__ import annotations

from safety_tui.checklists.loader.catalog import (
    Catalog,
    LoadedChecklist,
    Override,
    changed_checklists,
    load_catalog,
    load_checklist_file,
    load_paths,
    replacing,
    search_path,
)
from safety_tui.checklists.loader.characters import MAX_FILE_BYTES
from safety_tui.checklists.loader.files import (
    YAML_SUFFIXES,
    Signature,
    checklist_files,
    layers_signature,
    read_file,
    scan_folder,
)
from safety_tui.checklists.loader.problems import ChecklistFileError, Fail, LoadError
from safety_tui.checklists.loader.syntax import MAX_DEPTH
from safety_tui.checklists.loader.validate import Document, parse_checklist, read_document
from safety_tui.checklists.loader.yamlparse import Positions, parse_yaml

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "YAML_SUFFIXES",
    "Catalog",
    "Document",
    "Fail",
    "ChecklistFileError",
    "LoadError",
    "LoadedChecklist",
    "Override",
    "Positions",
    "Signature",
    "changed_checklists",
    "checklist_files",
    "layers_signature",
    "load_catalog",
    "load_checklist_file",
    "load_paths",
    "parse_checklist",
    "parse_yaml",
    "read_document",
    "read_file",
    "replacing",
    "scan_folder",
    "search_path",
]
