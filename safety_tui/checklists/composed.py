"""A plan's composition, made once per version of its checklists and shared. Core: no Textual.

Validating a snapshot's body (pydantic) and composing are the costly part of every screen and
export that shows a plan. A composition depends only on the snapshots' content and the travel
modes, never on the answers, so it is kept, keyed by exactly that content: the walk, Review and
the exports share one, and an answer or an edit never recomposes. A snapshot with other content
(another version of a checklist) has another key. What is kept is frozen (checklists and
compositions), so sharing it is safe; the oldest is dropped beyond ``KEPT``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist

KEPT = 64
T = TypeVar("T")


class SnapshotLike(Protocol):
    """A checklist as a plan stored it (``plans.model.ChecklistSnapshot`` has this shape)."""

    @property
    def checklist_id(self) -> str: ...

    @property
    def body(self) -> Mapping[str, Any]: ...

    def checklist(self) -> Checklist: ...


_kept: OrderedDict[tuple[object, ...], object] = OrderedDict()
_lock = threading.Lock()


def snapshot_key(snapshot: SnapshotLike) -> str:
    """The snapshot's identity: its checklist id and a hash of exactly the content stored."""
    payload = json.dumps(snapshot.body, sort_keys=True, ensure_ascii=False, default=str)
    return f"{snapshot.checklist_id}:{hashlib.sha256(payload.encode('utf-8')).hexdigest()}"


def once_per_version(
    build: Callable[[list[Checklist], tuple[str, ...]], T], snapshots: Sequence[SnapshotLike], modes: Sequence[str]
) -> T:
    """``build(checklists, modes)`` for these snapshots, computed once per their content and the modes."""
    key = (build, tuple(snapshot_key(snap) for snap in snapshots), tuple(modes))
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            found: T = _kept[key]  # type: ignore[assignment]  # stored by this function for this build
            return found
    value = build([snap.checklist() for snap in snapshots], key[2])
    with _lock:
        _kept[key] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value
