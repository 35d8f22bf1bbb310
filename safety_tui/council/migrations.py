"""The council database's schema, versioned like the local store's. Core: no Textual.

Run by the council's database administrator (``safety-tui council migrate``), as
a role the app itself never uses: that role owns the tables, so row-level
security does not bind it, and the code-word function runs with its rights.

Who sees what is enforced here, by the database:

- ``council_councillor`` members write and read only their own plans
  (``owner = current_user``) and read the duty actions on them.
- ``council_duty`` members read only the plans on the desk (in progress, or ended
  less than a day ago), never the code word column, and append actions. They
  cannot write plans. The code word comes only from ``council.reveal_code_word``,
  which records who revealed it and when.
- Notifications carry ids only: channels are not covered by row-level security.

Version 2 (:mod:`safety_tui.council.schema_trust`) tightens all of this: see there.
"""

from __future__ import annotations

import psycopg

from safety_tui.common.errors import CouncilError
from safety_tui.council.checkin_schema import PHONE_CHECKIN
from safety_tui.council.db import Conn
from safety_tui.council.schema_hardening import HARDENING
from safety_tui.council.schema_trust import V2

LOCK_ID = 0x53465455  # advisory lock: two administrators never migrate at once

GROUP_ROLES = """
DO $roles$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'council_councillor') THEN
        CREATE ROLE council_councillor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'council_duty') THEN
        CREATE ROLE council_duty NOLOGIN;
    END IF;
END $roles$;
"""

V1 = r"""
CREATE TABLE council.settings(key text PRIMARY KEY, value text NOT NULL);
INSERT INTO council.settings(key, value) VALUES ('ladder',
  '[{"step": "Call the councillor", "ack_minutes": 5},
    {"step": "Call their contacts", "ack_minutes": 10},
    {"step": "Call the police (999) and give the place", "ack_minutes": 15}]');

CREATE TABLE council.plans(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    plan_key text NOT NULL CHECK (length(plan_key) BETWEEN 1 AND 100),
    sequence bigint NOT NULL CHECK (sequence >= 1),
    status text NOT NULL CHECK (status IN ('in-progress', 'finished', 'cancelled')),
    name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 200),
    title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    place text NOT NULL DEFAULT '' CHECK (length(place) <= 2000),
    start_at timestamptz,
    finish_at timestamptz NOT NULL,
    grace_minutes integer NOT NULL CHECK (grace_minutes BETWEEN 0 AND 1440),
    due_at timestamptz NOT NULL,
    contacts jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contacts) = 'array'),
    escalation text NOT NULL DEFAULT '' CHECK (length(escalation) <= 2000),
    code_word text NOT NULL DEFAULT '' CHECK (length(code_word) <= 200),
    code_meaning text NOT NULL DEFAULT '' CHECK (length(code_meaning) <= 2000),
    ended_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, plan_key)
);
CREATE INDEX plans_in_progress_by_due ON council.plans(due_at) WHERE status = 'in-progress';
CREATE INDEX plans_ended ON council.plans(ended_at) WHERE status <> 'in-progress';

-- One receipt per publication: a repeated send is recognised by its idempotency key.
CREATE TABLE council.receipts(
    owner name NOT NULL DEFAULT current_user,
    idempotency_key uuid NOT NULL,
    plan_key text NOT NULL,
    sequence bigint NOT NULL,
    outcome text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, idempotency_key)
);

CREATE TABLE council.actions(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id bigint NOT NULL REFERENCES council.plans(id) ON DELETE CASCADE,
    due_at timestamptz NOT NULL,  -- which alert: the plan's due time when the action was taken
    kind text NOT NULL CHECK (kind IN ('alert', 'acknowledged', 'called-councillor', 'called-contact',
        'escalated-police', 'reached-safe', 'note', 'closed', 'code-word-revealed')),
    outcome text CHECK (outcome IN ('safe', 'false-alarm', 'incident')),
    detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 2000),
    by_role name NOT NULL DEFAULT session_user,
    at timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'closed') = (outcome IS NOT NULL))
);
CREATE INDEX actions_by_plan ON council.actions(plan_id, id);
CREATE INDEX actions_by_time ON council.actions(at);
-- The first duty officer to acknowledge an alert claims it; an alert is raised and closed once.
CREATE UNIQUE INDEX one_claim_per_alert ON council.actions(plan_id, due_at) WHERE kind = 'acknowledged';
CREATE UNIQUE INDEX one_alert_per_due ON council.actions(plan_id, due_at) WHERE kind = 'alert';
CREATE UNIQUE INDEX one_close_per_alert ON council.actions(plan_id, due_at) WHERE kind = 'closed';

-- The one rule for what the duty desk may see, used by the policy and the reveal function.
CREATE FUNCTION council.on_desk(status text, ended_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT status = 'in-progress' OR (ended_at IS NOT NULL AND ended_at > now() - interval '1 day')
$$;

-- Who and when are the server's: an action cannot be back-dated or signed by someone else.
CREATE FUNCTION council.stamp_action() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.by_role := session_user;
    NEW.at := now();
    NEW.due_at := (SELECT p.due_at FROM council.plans p WHERE p.id = NEW.plan_id);
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT ON council.actions FOR EACH ROW EXECUTE FUNCTION council.stamp_action();

CREATE FUNCTION council.stamp_plan() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.published_at := now();
    NEW.due_at := NEW.finish_at + make_interval(mins => NEW.grace_minutes);
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON council.plans FOR EACH ROW EXECUTE FUNCTION council.stamp_plan();

-- Ids only: notification channels are visible to every role.
CREATE FUNCTION council.notify_desk() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'plans' THEN
        PERFORM pg_notify('council_desk', 'plan ' || NEW.id);
    ELSE
        PERFORM pg_notify('council_desk', 'action ' || NEW.plan_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON council.plans FOR EACH ROW EXECUTE FUNCTION council.notify_desk();
CREATE TRIGGER notify AFTER INSERT ON council.actions FOR EACH ROW EXECUTE FUNCTION council.notify_desk();

-- A councillor publishes through this (it runs with the councillor's own rights, so RLS applies).
-- Repeated keys are 'duplicate'; an older sequence than the stored one is 'stale' and changes nothing.
CREATE FUNCTION council.publish(p_key uuid, p_plan_key text, p_sequence bigint, p_view jsonb) RETURNS text
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    applied integer;
BEGIN
    INSERT INTO council.receipts(idempotency_key, plan_key, sequence, outcome)
        VALUES (p_key, p_plan_key, p_sequence, 'pending')
        ON CONFLICT (owner, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;
    INSERT INTO council.plans AS p (plan_key, sequence, status, name, phone, title, place, start_at, finish_at,
                                    grace_minutes, due_at, contacts, escalation, code_word, code_meaning, ended_at)
    VALUES (p_plan_key, p_sequence, p_view->>'status', p_view->>'name', p_view->>'phone', p_view->>'title',
            p_view->>'place', (p_view->>'start')::timestamptz, (p_view->>'finish')::timestamptz,
            (p_view->>'grace_minutes')::integer, (p_view->>'finish')::timestamptz, p_view->'contacts',
            p_view->>'escalation', p_view->>'code_word', p_view->>'code_meaning', (p_view->>'ended')::timestamptz)
    ON CONFLICT (owner, plan_key) DO UPDATE SET
        sequence = excluded.sequence, status = excluded.status, name = excluded.name, phone = excluded.phone,
        title = excluded.title, place = excluded.place, start_at = excluded.start_at, finish_at = excluded.finish_at,
        grace_minutes = excluded.grace_minutes, contacts = excluded.contacts, escalation = excluded.escalation,
        code_word = excluded.code_word, code_meaning = excluded.code_meaning, ended_at = excluded.ended_at
    WHERE p.sequence < excluded.sequence;
    GET DIAGNOSTICS applied = ROW_COUNT;
    UPDATE council.receipts SET outcome = CASE WHEN applied > 0 THEN 'applied' ELSE 'stale' END
        WHERE owner = current_user AND idempotency_key = p_key;
    RETURN CASE WHEN applied > 0 THEN 'applied' ELSE 'stale' END;
END $$;

-- The code word, for a duty officer, and a record of who asked and when.
CREATE FUNCTION council.reveal_code_word(p_plan bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    word text;
BEGIN
    IF NOT pg_has_role(session_user, 'council_duty', 'MEMBER') THEN
        RAISE EXCEPTION 'only the duty desk can reveal a code word' USING ERRCODE = '42501';
    END IF;
    SELECT p.code_word INTO word FROM council.plans p WHERE p.id = p_plan AND council.on_desk(p.status, p.ended_at);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'that plan is not on the duty desk' USING ERRCODE = 'P0002';
    END IF;
    INSERT INTO council.actions(plan_id, kind) VALUES (p_plan, 'code-word-revealed');
    RETURN word;
END $$;

ALTER TABLE council.plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE council.receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE council.actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE council.settings ENABLE ROW LEVEL SECURITY;

CREATE POLICY councillor_own_plans ON council.plans FOR ALL TO council_councillor
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY duty_reads_desk ON council.plans FOR SELECT TO council_duty
    USING (council.on_desk(status, ended_at));
CREATE POLICY councillor_own_receipts ON council.receipts FOR ALL TO council_councillor
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY councillor_reads_actions ON council.actions FOR SELECT TO council_councillor
    USING (EXISTS (SELECT 1 FROM council.plans p WHERE p.id = plan_id AND p.owner = current_user));
CREATE POLICY duty_reads_actions ON council.actions FOR SELECT TO council_duty USING (true);
CREATE POLICY duty_adds_actions ON council.actions FOR INSERT TO council_duty
    WITH CHECK (kind <> 'code-word-revealed' AND EXISTS (SELECT 1 FROM council.plans p WHERE p.id = plan_id));
CREATE POLICY duty_reads_settings ON council.settings FOR SELECT TO council_duty USING (true);

REVOKE ALL ON ALL TABLES IN SCHEMA council FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA council FROM PUBLIC;
GRANT USAGE ON SCHEMA council TO council_councillor, council_duty;
GRANT EXECUTE ON FUNCTION council.on_desk(text, timestamptz) TO council_councillor, council_duty;
GRANT EXECUTE ON FUNCTION council.stamp_action(), council.stamp_plan(), council.notify_desk()
    TO council_councillor, council_duty;
GRANT SELECT, INSERT, UPDATE ON council.plans TO council_councillor;
GRANT SELECT, INSERT ON council.receipts TO council_councillor;
GRANT UPDATE (outcome) ON council.receipts TO council_councillor;
GRANT SELECT ON council.actions TO council_councillor;
GRANT EXECUTE ON FUNCTION council.publish(uuid, text, bigint, jsonb) TO council_councillor;
-- Every column but the code word.
GRANT SELECT (id, owner, plan_key, sequence, status, name, phone, title, place, start_at, finish_at, grace_minutes,
              due_at, contacts, escalation, code_meaning, ended_at, published_at) ON council.plans TO council_duty;
GRANT SELECT, INSERT ON council.actions TO council_duty;
GRANT SELECT ON council.settings TO council_duty;
GRANT EXECUTE ON FUNCTION council.reveal_code_word(bigint) TO council_duty;
"""

# The incident log's anchors: (entries, chain head) with the server's time, append-only. Written
# against V1 alone: it needs nothing from any other migration.
INCIDENT_ANCHORS = r"""
CREATE TABLE council.incident_anchors(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner name NOT NULL DEFAULT current_user,
    entries bigint NOT NULL CHECK (entries >= 1),
    head text NOT NULL CHECK (head ~ '^[0-9a-f]{64}$'),
    local_at timestamptz NOT NULL,  -- the councillor's clock when it was sent: the log's own time scale
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_anchors_by_owner ON council.incident_anchors(owner, entries);

-- Who and when are the server's: an anchor cannot be back-dated or filed under someone else.
CREATE FUNCTION council.stamp_anchor() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.owner := session_user;
    NEW.at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT ON council.incident_anchors FOR EACH ROW EXECUTE FUNCTION council.stamp_anchor();

ALTER TABLE council.incident_anchors ENABLE ROW LEVEL SECURITY;
CREATE POLICY councillor_adds_anchors ON council.incident_anchors FOR INSERT TO council_councillor
    WITH CHECK (owner = current_user);
CREATE POLICY councillor_reads_anchors ON council.incident_anchors FOR SELECT TO council_councillor
    USING (owner = current_user);

REVOKE ALL ON council.incident_anchors FROM PUBLIC;
REVOKE ALL ON FUNCTION council.stamp_anchor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION council.stamp_anchor() TO council_councillor;
-- Insert and read only: no UPDATE, DELETE or TRUNCATE, so a councillor (or whoever has their
-- password) can add anchors but never change or remove one. The duty desk gets nothing.
GRANT SELECT, INSERT ON council.incident_anchors TO council_councillor;
"""

# MIGRATIONS[n] takes the council schema from version n to n + 1. V2 (the server decides what is
# true, recorded reveals, the ladder, roles that do not combine) is in schema_trust.py; the
# incident log's anchors above; the phone check-in in checkin_schema.py; the fixes of a hostile review in
# schema_hardening.py.
MIGRATIONS: dict[int, str] = {0: V1, 1: V2, 2: INCIDENT_ANCHORS, 3: PHONE_CHECKIN, 4: HARDENING}
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: Conn) -> int:
    row = conn.execute("SELECT to_regclass('council.schema_migrations') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    got = conn.execute("SELECT COALESCE(max(version), 0) FROM council.schema_migrations").fetchone()
    return int(str(got[0])) if got is not None else 0


def migrate(conn: Conn) -> int:
    """Bring the council schema up to date; each version in its own transaction. Returns the version."""
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
            conn.execute(GROUP_ROLES)
            conn.execute("CREATE SCHEMA IF NOT EXISTS council")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS council.schema_migrations("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            conn.execute("REVOKE ALL ON council.schema_migrations FROM PUBLIC")
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise CouncilError(
                f"the council database has schema version {version}; this safety-tui knows {SCHEMA_VERSION}. "
                "Upgrade safety-tui."
            )
        while version < SCHEMA_VERSION:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
                if schema_version(conn) != version:  # someone else migrated meanwhile
                    version = schema_version(conn)
                    continue
                conn.execute(MIGRATIONS[version].encode())
                version += 1
                conn.execute("INSERT INTO council.schema_migrations(version) VALUES (%s)", (version,))
        return version
    except psycopg.Error as exc:
        raise CouncilError(
            f"cannot migrate the council database: {exc.diag.message_primary or type(exc).__name__}"
        ) from None
