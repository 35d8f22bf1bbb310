"""Attack on the migrations: two safety-tui processes (the app and a command, say) opening the same
store made by an earlier version at the same moment, with readers beside them. Each opens it or
waits its turn; none says the store is damaged, and nothing is lost or migrated twice."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from safety_tui.incidents import IncidentLog
from safety_tui.incidents.schema import INCIDENT_SCHEMA_VERSION, incident_schema_version
from safety_tui.store.schema import SCHEMA_VERSION
from safety_tui.wiring import open_store
from tests.test_store_parts import earlier_store

ROOT = Path(__file__).resolve().parent.parent
OPENER = r"""
import sys, time
from pathlib import Path
from safety_tui.incidents import IncidentLog
from safety_tui.wiring import open_store
start = float(sys.argv[3])
while time.time() < start:
    pass
with open_store(Path(sys.argv[1]), read_only=sys.argv[2] == "read") as store:
    print(len(store.list_plans()), len(IncidentLog.of(store).incidents()))
"""


@pytest.mark.slow  # real processes
@pytest.mark.parametrize("version", [3, 4])
def test_processes_opening_an_old_store_at_once_all_open_it_and_lose_nothing(tmp_path, version):
    folder = tmp_path / "data"
    earlier_store(folder, version)
    incidents = 1 if version >= 4 else 0
    start = time.time() + 1.5  # every process waits for the same moment
    modes = ["write", "write", "read", "write", "read"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(folder), mode, str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in modes
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [err for _, err in results] == [""] * len(modes)
    assert [out.split() for out, _ in results] == [["1", str(incidents)]] * len(modes)
    with open_store(folder) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION
        assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]
        assert len(IncidentLog.of(store).incidents()) == incidents and IncidentLog.of(store).verify().ok
