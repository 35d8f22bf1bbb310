"""The council's reporting routes: ``routes.yaml``, layered like the checklists. Core: no Textual.

Layers, earliest first; a later file replaces the top-level keys it gives:

1. bundled: generic (999, 101, "your council's nominated officer");
2. organisation: the file named by ``SAFETY_TUI_ROUTES`` (or ``--routes FILE``);
3. user: ``routes.yaml`` in the config folder (``SAFETY_TUI_CONFIG_DIR``).

Files are read with the checklist loader's safe YAML parser (no aliases, tags or
bombs; duplicate keys refused) and every problem is ``file:line:column: message``.
A broken file is reported and skipped; the other layers still load.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from safety_tui.checklists import loader
from safety_tui.checklists.loader import wording
from safety_tui.common import paths
from safety_tui.common.saferead import ReadRefused, read_bounded
from safety_tui.common.text import has_control_chars

ENV_ROUTES = "SAFETY_TUI_ROUTES"
ROUTES_NAME = "routes.yaml"
MAX_ROUTES_BYTES = 200_000


def _plain(value: str) -> str:
    bad = has_control_chars(value)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad):04X} is not allowed")
    return value.strip()


Text = Annotated[str, Field(max_length=2000), AfterValidator(_plain)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_plain)]


class Contact(BaseModel):
    """A person, team or line to contact."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Name
    phone: Text = ""
    email: Text = ""
    url: Text = ""
    note: Text = ""

    def line(self) -> str:
        bits = [self.name] + [b for b in (self.phone, self.email, self.url) if b]
        return ", ".join(bits)


class Platform(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Name
    report_url: Text = ""
    note: Text = ""


class RoutesFile(BaseModel):
    """One routes.yaml file: every key but ``format`` is optional (a later layer adds or replaces)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: Literal[1] = Field(description="Format version; always 1.")
    emergency: Text | None = Field(None, description="Emergency number, e.g. 999.")
    police_non_emergency: Text | None = Field(None, description="Police non-emergency number, e.g. 101.")
    nominated_officer: Contact | None = Field(
        None, description="The council's nominated officer for intimidation (1.2.1)."
    )
    member_services: Contact | None = Field(None, description="Member services.")
    police_protocol: Text | None = Field(None, description="The local protocol for reporting to the police (5.6.3).")
    party_support: list[Contact] | None = Field(None, description="Political group support contacts (1.2.1).")
    platforms: list[Platform] | None = Field(None, description="Where to report abuse on each platform (4.5, 4.6).")
    support_lines: list[Contact] | None = Field(None, description="Support lines, e.g. a stalking helpline (1.4.1).")


@dataclass(frozen=True)
class Routes:
    """The routes in force, after layering."""

    emergency: str = "999"
    police_non_emergency: str = "101"
    nominated_officer: Contact = Contact(name="your council's nominated officer")
    member_services: Contact | None = None
    police_protocol: str = ""
    party_support: tuple[Contact, ...] = ()
    platforms: tuple[Platform, ...] = ()
    support_lines: tuple[Contact, ...] = ()

    def lines(self) -> list[str]:
        """The routes in plain lines, for ``safety-tui routes`` and the screens."""
        out = [
            f"emergency: {self.emergency}",
            f"police (non-emergency): {self.police_non_emergency}",
            f"nominated officer: {self.nominated_officer.line()}",
        ]
        if self.member_services:
            out.append(f"member services: {self.member_services.line()}")
        if self.police_protocol:
            out.append(f"police protocol: {self.police_protocol}")
        out += [f"party support: {c.line()}" for c in self.party_support]
        out += [f"support line: {c.line()}" for c in self.support_lines]
        out += [f"report on {p.name}: {p.report_url or '-'}" for p in self.platforms]
        return out

    def council_line(self) -> Contact | None:
        """Who at the council to ring, where the routes give a number: member services, else the officer."""
        for contact in (self.member_services, self.nominated_officer):
            if contact is not None and contact.phone:
                return contact
        return None

    def platform(self, name: str) -> Platform | None:
        wanted = name.strip().casefold()
        return next((p for p in self.platforms if p.name.casefold() == wanted), None) if wanted else None


@dataclass
class LoadedRoutes:
    routes: Routes
    errors: list[loader.LoadError] = field(default_factory=list)
    sources: list[tuple[str, Path]] = field(default_factory=list)  # the files used, earliest first


def bundled_routes_file() -> Path:
    return Path(__file__).with_name(ROUTES_NAME)


def routes_layers(organisation: Path | None = None) -> list[tuple[str, Path]]:
    layers = [("bundled", bundled_routes_file())]
    value = organisation or (Path(os.environ[ENV_ROUTES]).expanduser() if os.environ.get(ENV_ROUTES) else None)
    if value is not None:
        layers.append(("organisation", value))
    layers.append(("user", paths.config_dir() / ROUTES_NAME))
    return layers


def _error(path: str, line: int, column: int, message: str) -> loader.LoadError:
    return loader.LoadError(path, line, column, message)


def _message(err: dict[str, Any], raw: Any = None, positions: loader.Positions | None = None) -> str:
    """One pydantic error in the checklist loader's words: where, what is wrong and the fix."""
    loc = [str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"]]
    where = ".".join(loc).replace(".[", "[")
    prefix = f"{where}: " if where else ""
    if err["type"] not in ("extra_forbidden", "missing") and positions is not None:
        return wording.message(err, raw, positions, wording.Suggester())  # type: ignore[arg-type]
    if err["type"] == "extra_forbidden":
        parent = ".".join(loc[:-1]).replace(".[", "[")
        options = list(RoutesFile.model_fields) if len(loc) == 1 else list(Contact.model_fields) + ["report_url"]
        close = difflib.get_close_matches(loc[-1], options, n=1, cutoff=0.6)
        hint = f", did you mean '{close[0]}'?" if close else ""
        return f"{parent + ': ' if parent else ''}unknown key '{loc[-1]}'{hint}"
    if err["type"] == "missing":
        parent = ".".join(loc[:-1]).replace(".[", "[")
        return f"{parent + ': ' if parent else ''}missing required key '{loc[-1]}'"
    return prefix + str(err["msg"]).removeprefix("Value error, ")


def parse_routes(data: bytes, path: str) -> tuple[RoutesFile | None, list[loader.LoadError]]:
    """One file's routes, or every problem in it as ``file:line:column``."""
    if len(data) > MAX_ROUTES_BYTES:
        return None, [
            _error(path, 1, 1, f"file is {len(data):,} bytes; a routes file may be at most {MAX_ROUTES_BYTES:,}")
        ]
    try:
        document = loader.read_document(data)
    except loader.Fail as exc:  # the file cannot be read as YAML at all
        return None, [_error(path, line, column, message) for line, column, message in exc.problems()]
    raw, positions = document.value, document.positions
    errors = [_error(path, line, column, message) for line, column, message in document.problems]
    if not isinstance(raw, dict):
        return None, errors + [
            _error(path, 1, 1, "a routes file must be a mapping of keys (format, nominated_officer, ...)")
        ]
    try:
        parsed = RoutesFile.model_validate(raw)
    except ValidationError as exc:
        bad_keys: set[str] = set()
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            bad_keys.add(str(loc[0]) if loc else "format")
            if any(loc[: len(bad)] == bad for bad in document.refused):
                continue  # already reported, at the refused character itself
            if err["type"] == "extra_forbidden":
                line, column = positions.key(loc)
            elif err["type"] == "missing":
                line, column = positions.value(loc[:-1])
            else:
                line, column = positions.value(loc)
            errors.append(_error(path, line, column, _message(dict(err), raw, positions) + _left_out(loc)))
        return _without(raw, bad_keys, errors)
    return (parsed, []) if not errors else (None, sorted(errors))


def read_routes_file(path: Path) -> tuple[bytes | None, list[loader.LoadError]]:
    """A routes file's bytes, through the one safe reader: a FIFO or device is refused at once,
    never read; at most the size limit is read. Else None and the problem."""
    try:
        return read_bounded(path, MAX_ROUTES_BYTES), []
    except ReadRefused as exc:
        if exc.size is not None:
            return None, [
                _error(
                    str(path), 1, 1, f"file is {exc.size:,} bytes; a routes file may be at most {MAX_ROUTES_BYTES:,}"
                )
            ]
        return None, [_error(str(path), 1, 1, f"cannot read file: {exc.reason}")]


def _left_out(loc: tuple[Any, ...]) -> str:
    """What happens to a bad key: only it is left out, unless the file's format is in doubt."""
    if not loc or loc[0] == "format":
        return "; nothing in this file is used until this is fixed"
    return f" ('{loc[0]}' in this file is not used until this is fixed; the rest of the file is)"


def _without(
    raw: dict[str, Any], bad_keys: set[str], errors: list[loader.LoadError]
) -> tuple[RoutesFile | None, list[loader.LoadError]]:
    """The file with its bad top-level keys left out: one mistake never costs the council its other routes."""
    if "format" in bad_keys:
        return None, sorted(errors)
    try:
        return RoutesFile.model_validate({k: v for k, v in raw.items() if k not in bad_keys}), sorted(errors)
    except ValidationError:
        return None, sorted(errors)


def check_files(names: list[str]) -> tuple[list[str], bool]:
    """``routes --check``: every problem as ``file:line:column: message``, or one line saying all is well."""
    lines: list[str] = []
    for name in names:
        data, problems = read_routes_file(Path(name))
        if data is not None:
            problems = parse_routes(data, name)[1]
        lines += [str(problem) for problem in problems]
    return (lines, False) if lines else ([f"all {len(names)} routes file(s) valid"], True)


def load_routes(layers: list[tuple[str, Path]] | None = None) -> LoadedRoutes:
    """Every layer in order; a broken or missing organisation file is an error, the rest still load."""
    merged: dict[str, Any] = {}
    result = LoadedRoutes(routes=Routes())
    for layer, path in layers if layers is not None else routes_layers():
        if not path.exists():
            if layer == "organisation":
                result.errors.append(_error(str(path), 1, 1, "routes file does not exist"))
            continue
        data, problems = read_routes_file(path)
        if data is None:
            result.errors.extend(problems)
            continue
        parsed, errors = parse_routes(data, str(path))
        result.errors.extend(errors)
        if parsed is not None:
            merged.update(parsed.model_dump(exclude_none=True, exclude={"format"}))
            result.sources.append((layer, path))
    result.routes = _build(merged)
    return result


def _build(values: dict[str, Any]) -> Routes:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("nominated_officer", "member_services"):
            out[key] = Contact(**value)
        elif key in ("party_support", "support_lines"):
            out[key] = tuple(Contact(**v) for v in value)
        elif key == "platforms":
            out[key] = tuple(Platform(**v) for v in value)
        else:
            out[key] = value
    return Routes(**out)


def json_schema_text() -> str:
    schema = RoutesFile.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "safety-tui routes.yaml"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def default_escalation(routes: Routes) -> str:
    """A new plan's "what your contact should do", with the council's numbers where its routes have them.

    With the bundled (generic) routes this is the plan model's own default, word for word.
    """
    text = f"Ring me. No answer? Ring {routes.emergency} and give them this address."
    council = routes.council_line()
    if council is not None:
        text += f" Then tell the council: {council.name} on {council.phone}."
    return text
