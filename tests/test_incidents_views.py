"""What the incident screens show, computed by the core in one go (their workers call these): the
list's rows, the pattern flag, the filter on the list as read, the reports still to make, and the
integrity line kept when the incidents cannot be read."""

from __future__ import annotations

from safety_tui.common.errors import StoreError
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.own_connection import own_connection
from safety_tui.incidents.routes import Routes
from safety_tui.incidents.views import read_list, read_timeline

ROUTES = Routes()


def record(log: IncidentLog, what: str, person: str, category: str = "abusive") -> int:
    return log.record(what=what, recorder="Cllr Doe", tz="Europe/London", people=[person], category=category).id


def test_the_list_is_newest_first_flags_a_pattern_and_filters_as_typed(store):
    log = IncidentLog.of(store)
    threats = [record(log, f"Threat {n}", "Pat Jones", "threatening") for n in range(2)]
    other = record(log, "Shouted", "Sam  Brown")
    view = read_list(log, ROUTES)
    assert [row.id for row in view.rows] == [other, *reversed(threats)]
    assert [row.flag for row in view.rows] == ["", "pattern", "pattern"]
    assert any("Pat Jones" in line.text for line in view.patterns)
    assert [row.id for row in view.matching("  JONES ")] == list(reversed(threats))
    assert [row.id for row in view.matching("sam brown")] == [other]  # spaces normalised as names are
    assert view.matching("nobody") == ()
    assert view.summary("jones").startswith("2 incident(s) with that person.")
    assert view.summary("").startswith("3 incident(s).")
    assert view.integrity == "" and view.unreadable is None


def test_a_log_edited_by_hand_keeps_its_integrity_line_and_says_why_nothing_else_shows(store):
    log = IncidentLog.of(store)
    record(log, "Shouted", "Pat Jones")
    store.conn.execute('UPDATE incident_entries SET body = \'{"happened_utc": "yesterday"}\' WHERE seq = 1')
    view = read_list(log, ROUTES)
    assert "FAILED its integrity check" in view.integrity
    assert view.rows == () and isinstance(view.unreadable, StoreError)


def test_a_worker_connection_reads_what_the_app_wrote_and_a_read_only_one_cannot_write(store):
    log = IncidentLog.of(store)
    incident = record(log, "Threat", "Pat Jones", "threatening")
    with own_connection(store) as own:
        timeline = read_timeline(IncidentLog.of(own), incident, ROUTES)
        assert timeline.incident.what == "Threat" and timeline.prompts
        try:
            IncidentLog.of(own).record(what="Never", recorder="Cllr Doe", tz="Europe/London")
        except StoreError:
            pass
        else:
            raise AssertionError("a reading worker wrote to the log")
    with own_connection(store, write=True) as own:
        IncidentLog.of(own).record(what="From a worker", recorder="Cllr Doe", tz="Europe/London")
    assert [i.what for i in log.incidents()] == ["Threat", "From a worker"]


def test_the_lines_over_the_list_stay_few_however_long_the_log(store):
    """Twelve reports to make and three people with a pattern: the to-do line names eight incidents
    and counts the rest; two pattern lines show and the rest are counted; a name typed in the
    filter shows that person's pattern, wherever it comes in the list."""
    log = IncidentLog.of(store)
    for person in ("Pat Jones", "Sam Brown", "Ali Khan"):
        for n in range(2):
            record(log, f"Threat {n}", person, "threatening")
    for n in range(6):
        record(log, f"Shouted {n}", f"Passer-by {n}")
    view = read_list(log, ROUTES)
    lines = view.summary("").splitlines()
    todo = [line for line in lines if line.startswith("To do:")]
    assert len(todo) == 1 and " 1, 2, 3, 4, 5, 6, 7, 8 and " in todo[0] and " more. Enter shows what." in todo[0]
    assert sum(line.startswith("Pattern:") for line in lines) == 2
    assert "And 1 more people with a pattern" in view.summary("")
    last = view.patterns[-1]
    only = view.summary(last.key).splitlines()
    assert [line for line in only if line.startswith("Pattern:")] == [last.text]
    assert "more people with a pattern" not in view.summary(last.key)
