"""The one error family of safety-tui. Core only: no Textual, no pydantic.

Every error the core raises for a person to read is a :class:`SafetyError`; its
message says what is wrong and what to do. The CLI turns one into an exit code
(:mod:`safety_tui.common.exitcodes`), the app shows one in a single place. Nothing else
(no ``KeyError``, no ``sqlite3.Error``) crosses the core's boundary.
"""

from __future__ import annotations


class SafetyError(Exception):
    """Base of every error meant for a person. ``str(err)`` is the whole message."""


class StoreError(SafetyError):
    """The store cannot be used. The message names the file and what to do."""


class PlanError(SafetyError, ValueError):
    """A rule of the plan model was broken; the message says which, for a person."""


class PlanNotFound(PlanError, LookupError):
    """No plan has that id (or there are no plans yet)."""


class ChecklistError(SafetyError):
    """A checklist (or an organisation file) could not be loaded or used."""


class ExportError(SafetyError, ValueError):
    """An export cannot be made from this plan (no times yet, too long for a QR code)."""


class WriteError(SafetyError, OSError):
    """A file could not be written safely. The message names the file and why."""


class CouncilError(SafetyError):
    """The council database cannot be used (unreachable, refused, or a newer schema). Never holds a password."""


class UsageError(SafetyError):
    """The command was called without something it needs; the message says what to give (exit 2)."""
