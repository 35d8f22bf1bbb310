"""Council schema version 2: the server decides what is true. Core: no Textual.

- Every published value is checked by the server, however it was written: finite
  times within 400 days of the server's ``now()`` (after correcting the laptop's
  clock), a finish after the start, a visit no longer than the council's
  ``max_visit_hours`` setting (24 by default), bounded text and at most
  :data:`MAX_CONTACTS` contacts. Rows written before this version are not
  re-checked (``NOT VALID``), so the migration never fails on old data.
- Councillors publish only through ``council.publish`` (no direct writes, no read
  of the code word column, even for a login that is also on the duty desk). A
  publication carries the laptop's clock: the server stores the skew and computes
  the due time on its own clock.
- A code word leaves the server only after a committed request:
  ``council.request_reveal(plan)`` records the reveal (it must be committed), then
  ``council.reveal_code_word(plan)`` returns the word when a committed request by
  the same login exists from the last minute. Rolling back, or a savepoint, cannot
  unrecord it.
- Duty actions follow the ladder: closing an alert and "reached and safe" need a
  reason and are refused before the plan is due (only the councillor's own
  check-in ends a plan that is not yet overdue).
- Notifications go to a channel whose name only the duty role can read, with an
  empty payload: a listener learns nothing, a spoofed one only causes a re-read.
"""

from __future__ import annotations

MAX_CONTACTS = 50
SKEW_SHOWN_SECONDS = 120  # a laptop clock further off than this is shown to the councillor and on the desk

V2 = r"""
INSERT INTO council.settings(key, value) VALUES ('max_visit_hours', '24') ON CONFLICT (key) DO NOTHING;
INSERT INTO council.settings(key, value)
    VALUES ('desk_channel', 'desk_' || replace(gen_random_uuid()::text, '-', '')) ON CONFLICT (key) DO NOTHING;

ALTER TABLE council.plans ADD COLUMN clock_skew_seconds integer NOT NULL DEFAULT 0
    CHECK (abs(clock_skew_seconds) <= 400 * 86400);
ALTER TABLE council.plans
    ADD CONSTRAINT plans_finite_times CHECK (isfinite(finish_at) AND isfinite(due_at)
        AND (start_at IS NULL OR isfinite(start_at)) AND (ended_at IS NULL OR isfinite(ended_at))) NOT VALID,
    ADD CONSTRAINT plans_finish_after_start CHECK (start_at IS NULL OR finish_at > start_at) NOT VALID,
    ADD CONSTRAINT plans_few_contacts CHECK (CASE WHEN jsonb_typeof(contacts) = 'array'
        THEN jsonb_array_length(contacts) <= 50 AND length(contacts::text) <= 20000 ELSE false END) NOT VALID;

-- Every write of a plan, however it is made: the server's rules, then the server's stamps.
CREATE OR REPLACE FUNCTION council.stamp_plan() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    max_hours integer;
    skew interval := make_interval(secs => NEW.clock_skew_seconds);
    far interval := interval '400 days';
BEGIN
    IF NOT isfinite(NEW.finish_at) OR NOT coalesce(isfinite(NEW.start_at), true)
       OR NOT coalesce(isfinite(NEW.ended_at), true) THEN
        RAISE EXCEPTION 'a time in the plan is not a real date' USING ERRCODE = '23514';
    END IF;
    IF NEW.finish_at - skew NOT BETWEEN now() - far AND now() + far
       OR NEW.start_at - skew NOT BETWEEN now() - far AND now() + far
       OR NEW.ended_at - skew NOT BETWEEN now() - far AND now() + far THEN
        RAISE EXCEPTION 'a time in the plan is more than 400 days from the server''s time' USING ERRCODE = '23514';
    END IF;
    IF NEW.start_at IS NOT NULL AND NEW.finish_at <= NEW.start_at THEN
        RAISE EXCEPTION 'the expected finish is not after the start' USING ERRCODE = '23514';
    END IF;
    SELECT CASE WHEN s.value ~ '^[0-9]{1,5}$' THEN s.value::integer END INTO max_hours
        FROM council.settings s WHERE s.key = 'max_visit_hours';
    max_hours := coalesce(max_hours, 24);
    IF NEW.start_at IS NOT NULL AND NEW.finish_at - NEW.start_at > make_interval(hours => max_hours) THEN
        RAISE EXCEPTION 'the visit is longer than % hours, the council''s limit (setting max_visit_hours)', max_hours
            USING ERRCODE = '23514';
    END IF;
    IF jsonb_typeof(NEW.contacts) <> 'array' OR jsonb_array_length(NEW.contacts) > 50 THEN
        RAISE EXCEPTION 'at most 50 contacts are published' USING ERRCODE = '23514';
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.contacts) c
               WHERE jsonb_typeof(c) <> 'object' OR length(coalesce(c->>'name', '')) > 200
                  OR length(coalesce(c->>'phone', '')) > 200) THEN
        RAISE EXCEPTION 'a contact is a name and a phone number of at most 200 characters each' USING ERRCODE = '23514';
    END IF;
    NEW.published_at := now();
    NEW.due_at := NEW.finish_at - skew + make_interval(mins => NEW.grace_minutes);
    RETURN NEW;
END $$;

-- Publication: the only way a councillor writes. The laptop's clock comes with it (p_sent_at).
CREATE FUNCTION council.publish(p_key uuid, p_plan_key text, p_sequence bigint, p_view jsonb, p_sent_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    applied integer;
    me name := session_user;
    skew integer := 0;
BEGIN
    IF NOT pg_has_role(me, 'council_councillor', 'MEMBER') THEN
        RAISE EXCEPTION 'only a councillor publishes plans' USING ERRCODE = '42501';
    END IF;
    IF p_sent_at IS NOT NULL THEN
        IF NOT isfinite(p_sent_at) OR p_sent_at NOT BETWEEN now() - interval '400 days' AND now() + interval '400 days' THEN
            RAISE EXCEPTION 'the laptop''s clock is more than 400 days from the server''s time' USING ERRCODE = '23514';
        END IF;
        skew := round(extract(epoch FROM p_sent_at - now()))::integer;
    END IF;
    INSERT INTO council.receipts(owner, idempotency_key, plan_key, sequence, outcome)
        VALUES (me, p_key, p_plan_key, p_sequence, 'pending')
        ON CONFLICT (owner, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;
    INSERT INTO council.plans AS p (owner, plan_key, sequence, status, name, phone, title, place, start_at, finish_at,
                                    grace_minutes, due_at, contacts, escalation, code_word, code_meaning, ended_at,
                                    clock_skew_seconds)
    VALUES (me, p_plan_key, p_sequence, p_view->>'status', p_view->>'name', p_view->>'phone', p_view->>'title',
            p_view->>'place', (p_view->>'start')::timestamptz, (p_view->>'finish')::timestamptz,
            (p_view->>'grace_minutes')::integer, (p_view->>'finish')::timestamptz, coalesce(p_view->'contacts', '[]'),
            p_view->>'escalation', p_view->>'code_word', p_view->>'code_meaning', (p_view->>'ended')::timestamptz, skew)
    ON CONFLICT (owner, plan_key) DO UPDATE SET
        sequence = excluded.sequence, status = excluded.status, name = excluded.name, phone = excluded.phone,
        title = excluded.title, place = excluded.place, start_at = excluded.start_at, finish_at = excluded.finish_at,
        grace_minutes = excluded.grace_minutes, contacts = excluded.contacts, escalation = excluded.escalation,
        code_word = excluded.code_word, code_meaning = excluded.code_meaning, ended_at = excluded.ended_at,
        clock_skew_seconds = excluded.clock_skew_seconds
    WHERE p.sequence < excluded.sequence;
    GET DIAGNOSTICS applied = ROW_COUNT;
    UPDATE council.receipts SET outcome = CASE WHEN applied > 0 THEN 'applied' ELSE 'stale' END
        WHERE owner = me AND idempotency_key = p_key;
    RETURN CASE WHEN applied > 0 THEN 'applied' ELSE 'stale' END;
END $$;

-- Older clients: the same rules, with no clock to measure.
CREATE OR REPLACE FUNCTION council.publish(p_key uuid, p_plan_key text, p_sequence bigint, p_view jsonb) RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT council.publish(p_key, p_plan_key, p_sequence, p_view, NULL::timestamptz)
$$;

-- What a councillor's login may do directly: read its own rows, never the code word column.
REVOKE ALL ON council.plans FROM council_councillor;
REVOKE ALL ON council.receipts FROM council_councillor;
GRANT SELECT (id, owner, plan_key, sequence, status, name, phone, title, place, start_at, finish_at, grace_minutes,
              due_at, contacts, escalation, code_meaning, ended_at, published_at, clock_skew_seconds)
    ON council.plans TO council_councillor;
GRANT SELECT ON council.receipts TO council_councillor;
GRANT SELECT (clock_skew_seconds) ON council.plans TO council_duty;
REVOKE ALL ON FUNCTION council.publish(uuid, text, bigint, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION council.publish(uuid, text, bigint, jsonb, timestamptz) TO council_councillor;

-- Reveals: the record is committed before the word can leave the server.
CREATE TABLE council.reveal_requests(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id bigint NOT NULL REFERENCES council.plans(id) ON DELETE CASCADE,
    by_role name NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    xact xid8 NOT NULL DEFAULT pg_current_xact_id()
);
ALTER TABLE council.reveal_requests ENABLE ROW LEVEL SECURITY;  -- no policy: only these functions use it
REVOKE ALL ON council.reveal_requests FROM PUBLIC;

CREATE FUNCTION council.request_reveal(p_plan bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'council_duty', 'MEMBER') THEN
        RAISE EXCEPTION 'only the duty desk can reveal a code word' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM council.plans p WHERE p.id = p_plan AND council.on_desk(p.status, p.ended_at)) THEN
        RAISE EXCEPTION 'that plan is not on the duty desk' USING ERRCODE = 'P0002';
    END IF;
    DELETE FROM council.reveal_requests WHERE at < now() - interval '1 hour';
    INSERT INTO council.reveal_requests(plan_id, by_role) VALUES (p_plan, session_user);
    INSERT INTO council.actions(plan_id, kind) VALUES (p_plan, 'code-word-revealed');
END $$;

CREATE OR REPLACE FUNCTION council.reveal_code_word(p_plan bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    word text;
BEGIN
    IF NOT pg_has_role(session_user, 'council_duty', 'MEMBER') THEN
        RAISE EXCEPTION 'only the duty desk can reveal a code word' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM council.reveal_requests r
                   WHERE r.plan_id = p_plan AND r.by_role = session_user AND r.at > now() - interval '1 minute'
                     AND pg_xact_status(r.xact) = 'committed') THEN
        RAISE EXCEPTION 'the reveal is not recorded yet: call council.request_reveal(plan) and commit it first'
            USING ERRCODE = '42501';
    END IF;
    SELECT p.code_word INTO word FROM council.plans p WHERE p.id = p_plan AND council.on_desk(p.status, p.ended_at);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'that plan is not on the duty desk' USING ERRCODE = 'P0002';
    END IF;
    RETURN word;
END $$;
REVOKE ALL ON FUNCTION council.request_reveal(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION council.request_reveal(bigint) TO council_duty;

-- Duty actions follow the ladder.
CREATE OR REPLACE FUNCTION council.stamp_action() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    plan_due timestamptz;
BEGIN
    NEW.by_role := session_user;
    NEW.at := now();
    SELECT p.due_at INTO plan_due FROM council.plans p WHERE p.id = NEW.plan_id;
    NEW.due_at := plan_due;
    IF NEW.kind IN ('closed', 'reached-safe') THEN
        IF btrim(NEW.detail) = '' THEN
            RAISE EXCEPTION 'closing an alert, or "reached and safe", needs a reason' USING ERRCODE = '23514';
        END IF;
        IF plan_due > now() THEN
            RAISE EXCEPTION 'the plan is not overdue yet: only the councillor''s own check-in ends it before its due time'
                USING ERRCODE = '23514';
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- Notifications: a channel only the duty role can name, and nothing in the payload.
CREATE OR REPLACE FUNCTION council.notify_desk() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify(coalesce((SELECT s.value FROM council.settings s WHERE s.key = 'desk_channel'), 'council_desk'), '');
    RETURN NULL;
END $$;
"""
