"""A hostile pass over the council's roles and the phone check-in's one-function role, on a real PostgreSQL.

The check-in server faces the internet: its login must be able to call ``council.checkin`` and
nothing else. These attacks try to give it more, by the app's own commands and by hand.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import psycopg.sql
import pytest

from safety_tui.cli.main import main
from safety_tui.common.errors import CouncilError
from safety_tui.council import desk_data, hook, roles
from safety_tui.council.checkin_link import (
    check_checkin_role,
    is_token,
    new_token,
    plan_link,
    token_hash,
    valid_base_url,
)
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.desk_data import load_board
from safety_tui.council.publication import Publication, RefusedPublication, send
from safety_tui.wiring import open_store
from tests.pg_server import PASSWORD

if TYPE_CHECKING:
    from tests.pg_server import Council, PgServer

pytest_plugins = ["tests.pg_server"]
pytestmark = pytest.mark.slow  # a real server


@pytest.fixture
def phone(council: Council) -> Iterator[str]:
    """A check-in server's login made by the app (login roles belong to the whole server: dropped afterwards)."""
    name = f"phone_hostile_{council.dbname}"
    with psycopg.connect(council.admin, autocommit=True) as admin:
        roles.add_checkin_server(admin, name, password=PASSWORD)
    yield name
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(name)))


def members_of(council: Council, name: str) -> set[str]:
    with psycopg.connect(council.admin) as admin:
        rows = admin.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
            (name,),
        ).fetchall()
    return {str(r[0]) for r in rows}


def test_the_check_in_servers_login_cannot_be_made_a_duty_officer_or_councillor(council: Council, phone: str) -> None:
    with psycopg.connect(council.admin, autocommit=True) as admin:
        for add in (roles.add_duty_officer, roles.add_councillor):
            with pytest.raises(CouncilError, match="check-in server"):
                add(admin, phone)
            with pytest.raises(CouncilError, match="check-in server"):
                add(admin, phone, both=True)  # --both is for councillor and duty only
        with pytest.raises(CouncilError, match="already"):
            roles.add_checkin_server(admin, "duty1")
    assert members_of(council, phone) == {"council_checkin"}
    assert members_of(council, "duty1") == {"council_duty"}


def test_the_check_in_servers_login_can_be_removed(council: Council, phone: str) -> None:
    with psycopg.connect(council.admin, autocommit=True) as admin:
        assert roles.remove(admin, phone) == {"council_checkin"}
        assert admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (phone,)).fetchone() is None


@pytest.mark.parametrize("group", ["council_duty", "council_councillor"])
def test_the_check_in_server_refuses_a_login_that_can_also_read_plans(council: Council, phone: str, group: str) -> None:
    """An administrator grants a group to the check-in login by hand: it records check-ins, and reads plans
    (a duty officer reads them through column grants, which a table-wide privilege check does not see)."""
    with connect(council.url(phone)) as conn:
        check_checkin_role(conn)  # the role as made: accepted
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute(
            psycopg.sql.SQL("GRANT {} TO {}").format(psycopg.sql.Identifier(group), psycopg.sql.Identifier(phone))
        )
    with connect(council.url(phone)) as conn:
        with pytest.raises(CouncilError, match="can read the council's plans"):
            check_checkin_role(conn)


def overdue_plan(council: Council, token: str, *, finish_ago: timedelta, length: timedelta, grace: int) -> None:
    """alice's plan, published with its check-in link, its finish ``finish_ago`` in the past."""
    finish = datetime.now(timezone.utc) - finish_ago
    view = {
        "status": "in-progress",
        "name": "Cllr Test",
        "phone": "07700 900123",
        "title": "Surgery",
        "place": "Hall",
        "start": (finish - length).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": grace,
        "contacts": [],
        "escalation": "",
        "code_word": "purple folder",
        "code_meaning": "call the police",
        "ended": None,
        "checkin_hash": token_hash(token),
    }
    with connect(council.url("alice")) as conn:
        assert send(conn, Publication(plan_key="p", sequence=1, view=view)) == "applied"


@pytest.mark.parametrize(
    ("action", "limit", "finish_ago", "length", "grace"),
    [
        ("help", "3", timedelta(minutes=20), timedelta(hours=2, minutes=50), 5),  # help would take it past the limit
        ("extend-30", "3", timedelta(minutes=20), timedelta(hours=2, minutes=50), 5),
        ("help", "24", timedelta(hours=30), timedelta(hours=1), 1440),  # more than a day's extension to reach now + 15
    ],
)
def test_a_call_for_help_or_an_extension_from_the_phone_is_always_recorded(
    council: Council, phone: str, action: str, limit: str, finish_ago: timedelta, length: timedelta, grace: int
) -> None:
    """The council's visit limit is for what a laptop publishes; it must never refuse a phone's call for help."""
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute("UPDATE council.settings SET value = %s WHERE key = 'max_visit_hours'", (limit,))
    token = new_token()
    overdue_plan(council, token, finish_ago=finish_ago, length=length, grace=grace)
    with connect(council.url(phone)) as conn:
        outcome, due = conn.execute(
            "SELECT * FROM council.checkin(%s, %s)", (token_hash(token), action)
        ).fetchone() or ("", None)
    assert outcome == "extended" and due is not None
    with connect(council.url("duty1")) as duty:
        board = load_board(duty)
    (row,) = board.plans
    assert due > datetime.now(timezone.utc)  # the plan's due time moved past now
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT action FROM council.checkins").fetchall() == [(action,)]
    assert (row.help_at is not None) == (action == "help")  # the desk shows the call for help


@pytest.mark.parametrize("change", [{"title": "t" * 300}, {"finish": None}, {"status": "lost"}])
def test_a_refused_publication_never_writes_the_code_word_into_the_servers_log(
    council: Council, pg_server: PgServer, change: dict[str, object]
) -> None:
    """PostgreSQL logs a failing row whole ('Failing row contains ...'): a refusal must say why, never the row."""
    word = f"heliotrope-{uuid.uuid4().hex}"
    finish = datetime.now(timezone.utc) + timedelta(hours=1)
    view = {
        "status": "in-progress",
        "name": "Cllr Test",
        "phone": "07700 900123",
        "title": "Surgery",
        "place": "Hall",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": [],
        "escalation": "",
        "code_word": word,
        "code_meaning": "call the police",
        "ended": None,
    }
    with connect(council.url("alice")) as conn:
        with pytest.raises(RefusedPublication):
            send(conn, Publication(plan_key="p", sequence=1, view=view | change))
        conn.execute("SELECT 1")  # the refusal is logged before the next statement is answered
    assert word not in (pg_server.base / "server.log").read_text(errors="replace")


def test_a_councillor_cannot_check_in_for_anyone_nor_see_or_take_anothers_link(council: Council) -> None:
    token = new_token()
    overdue_plan(council, token, finish_ago=timedelta(minutes=-60), length=timedelta(hours=1), grace=15)
    with psycopg.connect(council.admin) as admin:
        (plan,) = admin.execute("SELECT id FROM council.plans").fetchone() or (0,)
    with connect(council.url("bob")) as bob:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT * FROM council.checkin(%s, 'safe')", (token_hash(token),))
        assert bob.execute("SELECT * FROM council.checkin_links").fetchall() == []
        assert bob.execute("SELECT * FROM council.checkins").fetchall() == []
        assert bob.execute("UPDATE council.checkin_links SET token_hash = %s", ("0" * 64,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security: not bob's plan
            bob.execute("INSERT INTO council.checkin_links(plan_id, token_hash) VALUES (%s, %s)", (plan, "1" * 64))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the desk's private channel's name
            bob.execute("SELECT * FROM council.settings")
    with connect(council.url("duty1")) as duty:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            duty.execute("SELECT * FROM council.checkin(%s, 'help')", (token_hash(token),))
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT token_hash FROM council.checkin_links").fetchall() == [(token_hash(token),)]
        assert admin.execute("SELECT count(*) FROM council.checkins").fetchone() == (0,)


def test_an_anchor_cannot_be_filed_under_another_councillor_nor_read_changed_or_removed(council: Council) -> None:
    with connect(council.url("alice")) as alice:
        alice.execute(
            "INSERT INTO council.incident_anchors(owner, entries, head, local_at, at) "
            "VALUES ('bob', 5, %s, now(), now() - interval '1 year')",
            ("a" * 64,),
        )
        for statement in (
            "UPDATE council.incident_anchors SET entries = 1",
            "DELETE FROM council.incident_anchors",
            "TRUNCATE council.incident_anchors",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
    with connect(council.url("bob")) as bob:
        assert bob.execute("SELECT * FROM council.incident_anchors").fetchall() == []
    with psycopg.connect(council.admin) as admin:
        owner, at = admin.execute("SELECT owner, at FROM council.incident_anchors").fetchone() or ("", None)
    assert owner == "alice" and at is not None and at > datetime.now(timezone.utc) - timedelta(hours=1)


def test_a_duty_officers_reason_cannot_forge_lines_in_the_councillors_audit_trail(
    council: Council, phone: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reason for closing is the desk's text in the councillor's own record: one line, shown as text."""
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    now = datetime.now(timezone.utc)
    with open_store() as store:
        plan = store.create_plan(
            "home-visit",
            title="Surgery",
            location="Hall",
            start=now - timedelta(minutes=5),
            finish=now + timedelta(hours=1),
            code_word="blue folder",
            code_meaning="call the police",
        )
        store.start(plan.ref)
        hook.wait_for_sends()
        link = plan_link(store, store.get_plan(plan.ref))
    assert link is not None
    with connect(council.url(phone)) as conn:
        conn.execute("SELECT * FROM council.checkin(%s, 'help')", (token_hash(link.rsplit("/", 1)[1]),))
    forged = "rang her\n- 09:00: checked in safe from the laptop\r\n\x1b]52;c;aGk=\x07\u202eevil"
    with connect(council.url("duty1")) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (0,)
        assert desk_data.close(duty, plan_id, "false-alarm", forged)
    capsys.readouterr()
    assert main(["show", plan.ref]) == 0
    shown = capsys.readouterr().out
    (line,) = [line for line in shown.splitlines() if "rang her" in line]
    assert "checked in safe from the laptop" in line  # on the desk's own line, not a line of its own
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    hook.wait_for_sends()


@pytest.mark.parametrize("name", ["mallory\n", "mallory\nx", "Mallory", "mallory;drop"])
def test_a_role_name_with_a_line_break_or_other_characters_is_refused_before_the_database(
    council: Council, name: str
) -> None:
    with psycopg.connect(council.admin, autocommit=True) as admin:
        with pytest.raises(CouncilError, match="a role name is"):
            roles.add_councillor(admin, name, password=PASSWORD)
        assert admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'mallory%'").fetchall() == []


def test_a_token_or_a_check_in_address_with_a_trailing_line_break_is_not_one() -> None:
    token = new_token()
    assert is_token(token) and not is_token(token + "\n")
    assert valid_base_url("https://checkin.council.example") and not valid_base_url("https://checkin.council.example\n")


def test_checking_in_safe_reaches_the_desk_even_when_the_visit_ran_past_the_councils_limit(council: Council) -> None:
    """The laptop extended past max_visit_hours (that publication is refused); 'I'm safe' must still get through,
    or the desk raises an alarm for a councillor who is home."""
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute("UPDATE council.settings SET value = '3' WHERE key = 'max_visit_hours'")
    now = datetime.now(timezone.utc)
    view = {
        "status": "in-progress",
        "name": "Cllr Test",
        "phone": "07700 900123",
        "title": "Surgery",
        "place": "Hall",
        "start": (now - timedelta(hours=2, minutes=50)).isoformat(),
        "finish": (now + timedelta(minutes=5)).isoformat(),
        "grace_minutes": 15,
        "contacts": [],
        "escalation": "",
        "code_word": "purple folder",
        "code_meaning": "call the police",
        "ended": None,
    }
    later = view | {"finish": (now + timedelta(minutes=40)).isoformat()}
    done = later | {"status": "finished", "ended": now.isoformat()}
    with connect(council.url("alice")) as conn:
        assert send(conn, Publication(plan_key="p", sequence=1, view=view)) == "applied"
        with pytest.raises(RefusedPublication, match="max_visit_hours"):
            send(conn, Publication(plan_key="p", sequence=2, view=later))
        assert send(conn, Publication(plan_key="p", sequence=3, view=done)) == "applied"
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT status FROM council.plans").fetchall() == [("finished",)]


def test_a_prepared_transaction_cannot_reveal_a_code_word_without_leaving_the_record(
    council: Council, pg_server: PgServer
) -> None:
    """PREPARE TRANSACTION keeps a request neither committed nor rolled back: it must not count as recorded."""
    with psycopg.connect(council.admin, autocommit=True) as admin:
        setting = admin.execute("SHOW max_prepared_transactions").fetchone()
        if setting is None or setting[0] == "0":
            admin.execute("ALTER SYSTEM SET max_prepared_transactions = 4")
            restart = True
        else:
            restart = False
    if restart:
        pg_server.stop()
        pg_server.start()
    finish = datetime.now(timezone.utc) + timedelta(hours=1)
    view = {
        "status": "in-progress",
        "name": "Cllr Test",
        "phone": "1",
        "title": "Surgery",
        "place": "Hall",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": [],
        "escalation": "",
        "code_word": "purple folder",
        "code_meaning": "call",
        "ended": None,
    }
    with connect(council.url("alice")) as conn:
        send(conn, Publication(plan_key="p", sequence=1, view=view))
    with psycopg.connect(council.admin) as admin:
        (plan,) = admin.execute("SELECT id FROM council.plans").fetchone() or (0,)
    with connect(council.url("duty1")) as duty:
        duty.execute("BEGIN")
        duty.execute("SELECT council.request_reveal(%s)", (plan,))
        with connect(council.url("duty1")) as other:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not recorded yet"):
                other.execute("SELECT council.reveal_code_word(%s)", (plan,))
        # the request's record notifies the desk, and a transaction that notified cannot be prepared
        with pytest.raises(psycopg.errors.FeatureNotSupported, match="NOTIFY"):
            duty.execute("PREPARE TRANSACTION 'hidden-reveal'")
        assert duty.execute("SELECT count(*) FROM pg_prepared_xacts").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not recorded yet"):
            duty.execute("SELECT council.reveal_code_word(%s)", (plan,))
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT count(*) FROM council.actions WHERE kind = 'code-word-revealed'").fetchone() == (
            0,
        )


def test_the_desk_reads_phone_check_ins_only_of_plans_on_the_desk(council: Council) -> None:
    """The duty role reads plans in progress or ended less than a day ago; a plan's check-ins go no further."""
    now = datetime.now(timezone.utc)
    old = {
        "status": "finished",
        "name": "Cllr Test",
        "phone": "1",
        "title": "Last week",
        "place": "Hall",
        "start": (now - timedelta(days=2, hours=1)).isoformat(),
        "finish": (now - timedelta(days=2)).isoformat(),
        "grace_minutes": 15,
        "contacts": [],
        "escalation": "",
        "code_word": "w",
        "code_meaning": "call",
        "ended": (now - timedelta(days=2)).isoformat(),
    }
    current = old | {
        "status": "in-progress",
        "title": "Today",
        "start": (now - timedelta(minutes=5)).isoformat(),
        "finish": (now + timedelta(hours=1)).isoformat(),
        "ended": None,
    }
    with connect(council.url("alice")) as conn:
        send(conn, Publication(plan_key="old", sequence=1, view=old))
        send(conn, Publication(plan_key="now", sequence=1, view=current))
    with psycopg.connect(council.admin) as admin:
        for key, action in (("old", "help"), ("now", "extend-15")):
            admin.execute(
                "INSERT INTO council.checkins(plan_id, action, finish_at) "
                "SELECT id, %s, finish_at FROM council.plans WHERE plan_key = %s",
                (action, key),
            )
    with connect(council.url("duty1")) as duty:
        assert duty.execute("SELECT action FROM council.checkins").fetchall() == [("extend-15",)]
    with connect(council.url("alice")) as alice:  # the councillor still reads all of their own
        assert sorted(alice.execute("SELECT action FROM council.checkins").fetchall()) == [("extend-15",), ("help",)]


@pytest.mark.parametrize(
    "command", [["council", "link", "{ref}"], ["council", "actions"], ["council", "export", "-o", "-"]]
)
def test_a_server_that_stops_answering_during_a_council_command_gets_an_honest_message(
    council: Council, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The connection is made, then the server gives up on the query (here: a lock it waits for, with a
    timeout): the command says the council database was lost, never 'internal error'."""
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    now = datetime.now(timezone.utc)
    with open_store() as store:
        plan = store.create_plan(
            "home-visit",
            title="Surgery",
            location="Hall",
            start=now - timedelta(minutes=5),
            finish=now + timedelta(hours=1),
            code_word="blue folder",
            code_meaning="call the police",
        )
        store.start(plan.ref)
        hook.wait_for_sends()
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=200")
    with psycopg.connect(council.admin) as admin:
        admin.execute("LOCK TABLE council.plans IN ACCESS EXCLUSIVE MODE")  # held until this block ends
        capsys.readouterr()
        code = main([part.format(ref=plan.ref) for part in command])
        admin.rollback()
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    assert "lost the council database" in err


def test_nobody_else_can_hold_an_officers_served_desk_by_taking_its_lock(council: Council) -> None:
    """Advisory locks are anyone's to take: another login holding the officer's lock must not keep the
    officer's served desk from starting; the officer's own second desk is still refused."""
    from safety_tui.council.officer import LOCK_NAMESPACE, SERVED_DESK_APPLICATION, claim_served_desk

    with connect(council.url("duty2")) as squatter, connect(council.url("alice")) as councillor:
        squat = "SELECT pg_try_advisory_lock(hashtext(%s || 'duty1'))"
        assert squatter.execute(squat, (LOCK_NAMESPACE,)).fetchone() == (True,)
        assert councillor.execute(squat, (LOCK_NAMESPACE,)).fetchone() == (False,)  # already taken by duty2
        with connect(council.url("duty1"), application_name=SERVED_DESK_APPLICATION) as first:
            assert claim_served_desk(first) == "duty1"
            with connect(council.url("duty1"), application_name=SERVED_DESK_APPLICATION) as second:
                with pytest.raises(CouncilError, match="already running"):
                    claim_served_desk(second)
