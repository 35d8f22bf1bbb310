"""The server decides what is true (council schema v2), attacked on a real throwaway PostgreSQL.

A reveal cannot be rolled back, a login cannot quietly be councillor and duty, a
published value that would blind or crash the desk is refused, a laptop's wrong
clock does not move the alarm, a duty officer cannot close an alert before it is
due or without a reason, and notifications tell a listener nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import psycopg.sql
import pytest

from safety_tui.common.errors import CouncilError
from safety_tui.council import desk_data, roles
from safety_tui.council.db import connect
from safety_tui.council.publication import Publication, RefusedPublication, send
from safety_tui.ui.desk.live import desk_channel

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]

pytestmark = pytest.mark.slow  # a real server


def view(
    *,
    finish: datetime | None = None,
    start: datetime | None = None,
    code_word: str = "purple folder",
    contacts: object = None,
) -> dict[str, object]:
    finish = finish or datetime.now(timezone.utc) + timedelta(hours=1)
    start = start or finish - timedelta(hours=1)
    return {
        "status": "in-progress",
        "name": "Cllr Test",
        "phone": "07700 900123",
        "title": "Surgery",
        "place": "Hall",
        "start": start.isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": contacts if contacts is not None else [{"name": "Sam", "phone": "07700 900456"}],
        "escalation": "Ring 999",
        "code_word": code_word,
        "code_meaning": "call the police",
        "ended": None,
    }


def publish(
    council: Council, body: dict[str, object], *, key: str = "p", sent_at: datetime | None = None, role: str = "alice"
) -> str:
    with connect(council.url(role)) as conn:
        return send(conn, Publication(plan_key=key, sequence=1, view=body), sent_at=sent_at)


def plan_id(council: Council) -> int:
    with psycopg.connect(council.admin) as admin:
        row = admin.execute("SELECT id FROM council.plans").fetchone()
    assert row is not None
    return int(row[0])


def reveals(council: Council) -> list[tuple[str, str]]:
    with psycopg.connect(council.admin) as admin:
        return admin.execute(
            "SELECT kind, by_role FROM council.actions WHERE kind = 'code-word-revealed' ORDER BY id"
        ).fetchall()


# -- 3. a reveal is recorded before the word leaves the server --------------------------------------
def test_a_reveal_inside_a_rolled_back_transaction_returns_nothing_and_the_desk_reveal_is_recorded(
    council: Council,
) -> None:
    publish(council, view())
    pid = plan_id(council)
    with psycopg.connect(council.url("duty1")) as duty:  # not autocommit: one transaction
        duty.execute("SELECT council.request_reveal(%s)", (pid,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not recorded yet"):
            duty.execute("SELECT council.reveal_code_word(%s)", (pid,))
        duty.rollback()
    assert reveals(council) == []  # rolled back: no record, and no word came out
    with connect(council.url("duty1")) as duty:
        assert desk_data.reveal_code_word(duty, pid) == "purple folder"
    assert reveals(council) == [("code-word-revealed", "duty1")]


def test_a_savepoint_cannot_hide_a_reveal(council: Council) -> None:
    publish(council, view())
    pid = plan_id(council)
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        duty.execute("BEGIN")
        duty.execute("SAVEPOINT s")
        duty.execute("SELECT council.request_reveal(%s)", (pid,))
        duty.execute("RELEASE SAVEPOINT s")
        duty.execute("SAVEPOINT t")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            duty.execute("SELECT council.reveal_code_word(%s)", (pid,))
        duty.execute("ROLLBACK")
    assert reveals(council) == []


def test_a_committed_request_serves_only_its_own_officer_and_only_for_a_minute(council: Council) -> None:
    publish(council, view())
    pid = plan_id(council)
    with connect(council.url("duty1")) as one, connect(council.url("duty2")) as two:
        one.execute("SELECT council.request_reveal(%s)", (pid,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            two.execute("SELECT council.reveal_code_word(%s)", (pid,))
        with psycopg.connect(council.admin, autocommit=True) as admin:
            admin.execute("UPDATE council.reveal_requests SET at = at - interval '2 minutes'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            one.execute("SELECT council.reveal_code_word(%s)", (pid,))
        with pytest.raises(CouncilError, match="autocommit"):
            with psycopg.connect(council.url("duty1")) as in_transaction:
                desk_data.reveal_code_word(in_transaction, pid)


# -- 4. roles that cannot be combined by mistake; removing a person ---------------------------------
def test_one_login_is_councillor_or_duty_and_even_both_cannot_read_code_words(council: Council) -> None:
    from tests.pg_server import PASSWORD

    with psycopg.connect(council.admin, autocommit=True) as admin:
        roles.add_councillor(admin, "carol", password=PASSWORD)
        with pytest.raises(CouncilError, match="already a councillor"):
            roles.add_duty_officer(admin, "carol")
        assert roles.groups_of(admin, "carol") == {"council_councillor"}
        roles.add_duty_officer(admin, "carol", both=True)  # the administrator asks explicitly
    publish(council, view(code_word="alice's word"))
    with psycopg.connect(council.url("carol"), autocommit=True) as carol:
        assert carol.execute("SELECT count(*) FROM council.plans").fetchone() == (1,)  # as duty, on the desk
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            carol.execute("SELECT code_word FROM council.plans")
    with psycopg.connect(council.url("alice"), autocommit=True) as alice:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not even her own, read back
            alice.execute("SELECT code_word FROM council.plans")


def test_removing_a_person_ends_their_login_and_keeps_the_record(council: Council) -> None:
    publish(council, view(finish=datetime.now(timezone.utc) - timedelta(hours=1)))
    with connect(council.url("duty2")) as duty:
        desk_data.acknowledge(duty, plan_id(council))
    with psycopg.connect(council.admin, autocommit=True) as admin:
        assert roles.remove(admin, "duty2") == {"council_duty"}
        with pytest.raises(CouncilError, match="not a council login"):
            roles.remove(admin, "duty2")
        with pytest.raises(CouncilError, match="administrator role"):
            roles.remove(admin, "postgres")
        assert admin.execute("SELECT by_role FROM council.actions").fetchall() == [("duty2",)]
    with pytest.raises(CouncilError):
        connect(council.url("duty2"))


# -- 4. the ladder ------------------------------------------------------------------------------------
def test_an_alert_cannot_be_closed_before_it_is_due_nor_without_a_reason(council: Council) -> None:
    publish(council, view())  # due in an hour and a quarter
    pid = plan_id(council)
    with connect(council.url("duty1")) as duty:
        with pytest.raises(CouncilError, match="not overdue yet"):
            desk_data.close(duty, pid, "safe", "she said she'd be fine")
        with pytest.raises(psycopg.errors.CheckViolation, match="not overdue yet"):
            duty.execute(
                "INSERT INTO council.actions(plan_id, kind, outcome, detail) VALUES (%s, 'closed', 'safe', 'x')", (pid,)
            )
        with pytest.raises(CouncilError, match="not overdue yet"):
            desk_data.record(duty, pid, "reached-safe", "rang her")
    publish(council, view(finish=datetime.now(timezone.utc) - timedelta(hours=1)), key="late")
    with psycopg.connect(council.admin) as admin:
        (late,) = admin.execute("SELECT id FROM council.plans WHERE plan_key = 'late'").fetchone() or (0,)
    with connect(council.url("duty1")) as duty:
        with pytest.raises(CouncilError, match="needs a reason"):
            desk_data.close(duty, late, "safe", "  ")
        assert desk_data.close(duty, late, "safe", "rang her: home safe")


# -- 2. the server decides what is true -----------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"finish": "infinity"}, "not a real date"),
        ({"finish": "0001-01-01T12:00:00+00:00", "start": "0001-01-01T11:00:00+00:00"}, "400 days"),
        ({"start": "-infinity"}, "not a real date"),
        ({"contacts": [{"name": f"n{i}", "phone": "1"} for i in range(60_000)]}, "50 contacts"),
        ({"contacts": [{"name": "x" * 300, "phone": "1"}]}, "200 characters"),
        ({"contacts": ["not an object"]}, "200 characters"),
        ({"title": "t" * 300}, "check constraint"),
    ],
)
def test_values_that_would_blind_or_crash_the_desk_are_refused(
    council: Council, change: dict[str, object], why: str
) -> None:
    body = view() | change
    with pytest.raises(RefusedPublication, match=why):
        publish(council, body)
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT count(*) FROM council.plans").fetchone() == (0,)


def test_finish_after_start_and_a_visit_no_longer_than_the_councils_limit(council: Council) -> None:
    now = datetime.now(timezone.utc)
    with pytest.raises(RefusedPublication, match="not after the start"):
        publish(council, view(start=now + timedelta(hours=2), finish=now + timedelta(hours=1)))
    with pytest.raises(RefusedPublication, match="longer than 24 hours"):
        publish(council, view(start=now, finish=now + timedelta(hours=30)))
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute("UPDATE council.settings SET value = '48' WHERE key = 'max_visit_hours'")
    assert publish(council, view(start=now, finish=now + timedelta(hours=30))) == "applied"


def test_a_councillor_cannot_write_past_the_rules_directly(council: Council) -> None:
    with psycopg.connect(council.url("alice"), autocommit=True) as alice:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute(
                "INSERT INTO council.plans(plan_key, sequence, status, finish_at, grace_minutes, due_at) "
                "VALUES ('x', 1, 'in-progress', 'infinity', 0, 'infinity')"
            )


def test_a_laptop_clock_two_hours_fast_does_not_delay_the_alarm(council: Council) -> None:
    server_now = datetime.now(timezone.utc)
    laptop_now = server_now + timedelta(hours=2)
    # Started "now" for an hour, on the laptop's clock: the visit really ends an hour from the server's now.
    publish(council, view(start=laptop_now, finish=laptop_now + timedelta(hours=1)), sent_at=laptop_now)
    with psycopg.connect(council.admin) as admin:
        skew, due = admin.execute("SELECT clock_skew_seconds, due_at FROM council.plans").fetchone() or (0, None)
    assert abs(skew - 7200) <= 5
    assert due is not None
    assert abs((due - (server_now + timedelta(minutes=75))).total_seconds()) <= 5
    with connect(council.url("duty1")) as duty:
        (shown,) = duty.execute("SELECT clock_skew_seconds FROM council.plans").fetchone() or (0,)
    assert shown == skew  # the desk reads it, to show it


# -- 4. notifications ---------------------------------------------------------------------------------
def test_notifications_tell_a_councillor_nothing_and_a_spoofed_one_only_causes_a_re_read(council: Council) -> None:
    with connect(council.url("duty1")) as duty:
        channel = desk_channel(duty)
    assert channel.startswith("desk_") and len(channel) > 20
    with psycopg.connect(council.url("bob"), autocommit=True) as bob:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT value FROM council.settings")
        bob.execute("LISTEN council_desk")  # the old, well-known channel now carries nothing
        with connect(council.url("duty1")) as listener:
            listener.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(channel)))
            publish(council, view())
            heard = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
            assert heard == [""]  # an empty payload: "read again", nothing more
            bob.execute(
                psycopg.sql.SQL("NOTIFY {}, 'plan 1 overdue: ring 999'").format(psycopg.sql.Identifier(channel))
            )
            spoofed = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
        assert [n.payload for n in bob.notifies(timeout=0.5, stop_after=1)] == []
    # The desk treats any notification as "read the board again": a spoofed text changes no row.
    assert spoofed == ["plan 1 overdue: ring 999"]
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT count(*) FROM council.actions").fetchone() == (0,)


def test_a_repeated_publication_key_is_still_applied_once(council: Council) -> None:
    key = str(uuid.uuid4())
    with connect(council.url("alice")) as conn:
        first = send(conn, Publication(plan_key="p", sequence=1, view=view(), key=key))
        again = send(conn, Publication(plan_key="p", sequence=1, view=view(), key=key))
    assert (first, again) == ("applied", "duplicate")


async def test_the_desk_shows_a_councillors_clock_two_hours_fast_and_a_spoofed_notify_changes_nothing(
    council: Council,
) -> None:
    import time

    from safety_tui.ui.desk.app import DeskApp
    from tests.helpers import flat_text

    server_now = datetime.now(timezone.utc)
    laptop_now = server_now + timedelta(hours=2)
    publish(council, view(start=laptop_now, finish=laptop_now + timedelta(hours=1)), sent_at=laptop_now)
    app = DeskApp(council.url("duty1"), heartbeat=0.3, stale_after=3.0, retry=0.3)
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 30  # only stops a hung test
        while "Their clock is 2h 00m fast" not in flat_text(app):  # type: ignore[arg-type]
            assert time.monotonic() < deadline, "the desk never showed the councillor's clock"
            await pilot.pause(0.05)
        with connect(council.url("duty2")) as other:
            channel = desk_channel(other)
            other.execute(psycopg.sql.SQL("NOTIFY {}, 'plan 1 closed: safe'").format(psycopg.sql.Identifier(channel)))
        await pilot.pause(1.0)  # the desk reads the board again; nothing in the payload is believed
        assert "closed" not in flat_text(app) and "1 plan(s) on the desk" in flat_text(app)  # type: ignore[arg-type]
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT count(*) FROM council.actions WHERE kind = 'closed'").fetchone() == (0,)


def test_upgrading_a_database_that_already_holds_a_poisoned_row_still_migrates(
    pg_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safety_tui.council import migrations
    from tests.pg_server import PgServer

    assert isinstance(pg_server, PgServer)
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS council_upgrade WITH (FORCE)")
        conn.execute("CREATE DATABASE council_upgrade")
    with psycopg.connect(pg_server.admin_conninfo("council_upgrade"), autocommit=True) as admin:
        monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)
        assert migrations.migrate(admin) == 1
        admin.execute(
            "INSERT INTO council.plans(owner, plan_key, sequence, status, finish_at, grace_minutes, due_at) "
            "VALUES ('alice', 'old', 1, 'in-progress', 'infinity', 0, 'infinity')"
        )
        monkeypatch.undo()
        assert migrations.migrate(admin) == migrations.SCHEMA_VERSION
        with pytest.raises(psycopg.errors.CheckViolation):  # new writes are checked, old rows stay readable
            admin.execute("UPDATE council.plans SET sequence = 2")
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute("DROP DATABASE council_upgrade WITH (FORCE)")


def test_an_administrator_with_createrole_only_can_migrate_and_set_up_people(pg_server: object) -> None:
    """What the README asks of the council's administrator: CREATEROLE, not a superuser."""
    from tests.pg_server import PASSWORD, PgServer

    assert isinstance(pg_server, PgServer)
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS council_plain WITH (FORCE)")
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'council_admin'").fetchone() is None:
            conn.execute("CREATE ROLE council_admin LOGIN CREATEROLE")
        conn.execute("CREATE DATABASE council_plain OWNER council_admin")
    from safety_tui.council import migrations

    plain = f"host={pg_server.socket_dir} port={pg_server.port} user=council_admin dbname=council_plain"
    with psycopg.connect(plain, autocommit=True) as admin:
        assert migrations.migrate(admin) == migrations.SCHEMA_VERSION
        roles.add_councillor(admin, "erin", password=PASSWORD)
        roles.add_duty_officer(admin, "fred", password=PASSWORD)
    with connect(pg_server.url("erin", "council_plain")) as erin:
        assert send(erin, Publication(plan_key="p", sequence=1, view=view())) == "applied"
    with connect(pg_server.url("fred", "council_plain")) as fred:
        (pid,) = fred.execute("SELECT id FROM council.plans").fetchone() or (0,)
        assert desk_data.reveal_code_word(fred, pid) == "purple folder"
    with psycopg.connect(plain, autocommit=True) as admin:
        roles.remove(admin, "erin")
        roles.remove(admin, "fred")
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute("DROP DATABASE council_plain WITH (FORCE)")
