"""`make desk-demo`: a throwaway PostgreSQL server, the council roles, a few councillors' plans
(one overdue), and the duty desk on top. Everything is deleted when the desk closes."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402

from safety_tui.council import roles  # noqa: E402
from safety_tui.council.db import connect  # noqa: E402
from safety_tui.council.publication import Publication, send  # noqa: E402
from tests.pg_server import PASSWORD, throwaway_council  # noqa: E402

PLANS = [  # role, name, title, place, minutes from now to the expected finish, status
    ("alice", "Cllr Alice Moss", "Home visit: housing complaint", "14 Mill Lane", -40, "in-progress"),
    ("bob", "Cllr Bob Hart", "Ward surgery", "Library meeting room", 35, "in-progress"),
    ("carol", "Cllr Carol Diaz", "Residents' association", "Community centre", 120, "in-progress"),
    ("dev", "Cllr Dev Patel", "Site visit", "Old quarry car park", -90, "finished"),
]


def main() -> int:
    with throwaway_council(prefix="safety-tui-demo-") as server:
        with psycopg.connect(server.admin_conninfo("council"), autocommit=True) as conn:
            for role, *_ in PLANS:
                roles.add_councillor(conn, role, password=PASSWORD)
            roles.add_duty_officer(conn, "duty", password=PASSWORD)
        now = datetime.now(timezone.utc)
        for role, name, title, place, minutes, status in PLANS:
            finish = now + timedelta(minutes=minutes)
            view = {
                "status": status,
                "name": name,
                "phone": "07700 900" + str(100 + len(name)),
                "title": title,
                "place": place,
                "start": (finish - timedelta(hours=1)).isoformat(),
                "finish": finish.isoformat(),
                "grace_minutes": 15,
                "contacts": [{"name": "Sam (partner)", "phone": "07700 900456"}],
                "escalation": "Ring me. No answer? Ring 999 and give them this address.",
                "code_word": "the blue folder",
                "code_meaning": "I am not safe: call the police",
                "ended": now.isoformat() if status != "in-progress" else None,
            }
            with connect(server.url(role, "council")) as conn:
                send(conn, Publication(plan_key=f"demo-{role}", sequence=1, view=view))
        from safety_tui.ui.desk.app import DeskApp

        print(f"Desk as role 'duty' on 127.0.0.1:{server.port} (database 'council')")
        DeskApp(server.url("duty", "council")).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
