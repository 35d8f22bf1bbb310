"""The duty action log as CSV, with monthly figures. Core: no Textual.

Two sections in one file: every action (who, when, what), then one line per month
with the number of alerts, the time from overdue to first acknowledgement
(average and worst), and the outcomes. Cells that a spreadsheet would run as a
formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

import psycopg

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, why

ACTIONS_SQL = """
SELECT a.at, a.plan_id, p.owner, a.due_at, a.kind, COALESCE(a.outcome, ''), a.by_role, a.detail
FROM council.actions a LEFT JOIN council.plans p ON p.id = a.plan_id
ORDER BY a.at, a.id
"""

MONTHLY_SQL = """
WITH alerts AS (
    SELECT plan_id, due_at,
           min(at) FILTER (WHERE kind = 'acknowledged') AS acknowledged_at,
           max(outcome) FILTER (WHERE kind = 'closed') AS outcome
    FROM council.actions
    GROUP BY plan_id, due_at
    HAVING bool_or(kind IN ('alert', 'acknowledged', 'closed'))
)
SELECT to_char(date_trunc('month', due_at), 'YYYY-MM') AS month,
       count(*) AS alerts,
       count(acknowledged_at) AS acknowledged,
       round(avg(extract(epoch FROM acknowledged_at - due_at) / 60)::numeric, 1) AS avg_minutes_to_ack,
       round(max(extract(epoch FROM acknowledged_at - due_at) / 60)::numeric, 1) AS worst_minutes_to_ack,
       count(*) FILTER (WHERE outcome = 'safe') AS safe,
       count(*) FILTER (WHERE outcome = 'false-alarm') AS false_alarm,
       count(*) FILTER (WHERE outcome = 'incident') AS incident,
       count(*) FILTER (WHERE outcome IS NULL) AS still_open
FROM alerts GROUP BY 1 ORDER BY 1
"""

ACTION_HEADER = ["at_utc", "plan_id", "councillor_role", "due_utc", "action", "outcome", "by", "detail"]
MONTHLY_HEADER = [
    "month",
    "alerts",
    "acknowledged",
    "avg_minutes_to_first_ack",
    "worst_minutes_to_first_ack",
    "safe",
    "false_alarm",
    "incident",
    "still_open",
]


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def action_log_csv(conn: Conn) -> str:
    """The whole CSV document (action log, a blank line, then the monthly figures)."""
    try:
        with conn.transaction():
            conn.execute("SET LOCAL TIME ZONE 'UTC'")
            actions = conn.execute(ACTIONS_SQL).fetchall()
            months = conn.execute(MONTHLY_SQL).fetchall()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot read the action log: {why(exc)}") from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACTION_HEADER)
    writer.writerows([_cell(v) for v in row] for row in actions)
    writer.writerow([])
    writer.writerow(MONTHLY_HEADER)
    writer.writerows([_cell(v) for v in row] for row in months)
    return out.getvalue()
