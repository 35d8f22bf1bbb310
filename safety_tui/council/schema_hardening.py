"""Council schema version 5: a phone check-in is always recorded; a refusal never logs the plan. Core: no Textual.

- A phone check-in always reaches the desk. The server's own write of a plan (a check-in
  from the phone moves the finish or ends the plan; it never changes the plan's
  ``sequence``) is not held to the rules for what a laptop publishes: the council's
  visit limit (``max_visit_hours``) or a rule added after the plan was published
  could otherwise refuse a silent call for help. An extension of more than a day
  (a plan with a long grace, long overdue) is recorded too.
- The visit limit holds only for a plan in progress: a plan that ran past it and is then
  checked in or cancelled reaches the desk as ended (refusing it would leave the desk
  alarming for a councillor who is home).
- The duty role reads the phone check-ins of the plans it may read (on the desk), not
  every check-in ever made.
- A refused publication never puts the plan in the server's log: PostgreSQL logs a row
  that breaks a constraint whole ("Failing row contains ..."), code word included.
  ``council.publish`` answers such a refusal with its reason only (same SQLSTATE and
  message, no detail), so the error the server logs holds no field of the plan.
"""

from __future__ import annotations

HARDENING = r"""
CREATE OR REPLACE FUNCTION council.stamp_plan() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    max_hours integer;
    skew interval := make_interval(secs => NEW.clock_skew_seconds);
    far interval := interval '400 days';
BEGIN
    -- A publication always raises the sequence (council.publish is the only way a councillor writes);
    -- the same sequence is the server's own write, a check-in from the phone: stamped, never refused.
    IF TG_OP = 'UPDATE' AND NEW.sequence = OLD.sequence THEN
        NEW.published_at := now();
        NEW.due_at := NEW.finish_at - skew + make_interval(mins => NEW.grace_minutes);
        RETURN NEW;
    END IF;
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
    -- the limit is for a visit the desk watches: an ended plan (checked in, cancelled) is always accepted
    IF NEW.status = 'in-progress' AND NEW.start_at IS NOT NULL
       AND NEW.finish_at - NEW.start_at > make_interval(hours => max_hours) THEN
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

-- A help or an extension from the phone reaches now + its minutes from wherever the finish was: with a
-- grace of up to a day and check-ins accepted 12 hours after the due time, up to 37 hours and 15 minutes.
ALTER TABLE council.checkins DROP CONSTRAINT IF EXISTS checkins_extended_minutes_check;
ALTER TABLE council.checkins ADD CONSTRAINT checkins_extended_minutes_check CHECK (extended_minutes BETWEEN 0 AND 2880);

-- Publication, as in version 2, with a refusal re-raised without its detail (the failing row).
CREATE OR REPLACE FUNCTION council.publish(p_key uuid, p_plan_key text, p_sequence bigint, p_view jsonb,
                                           p_sent_at timestamptz)
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
EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
    RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;  -- the reason, never the failing row
END $$;

-- The desk reads the check-ins of the plans it may read (row-level security on plans applies here too).
DROP POLICY IF EXISTS duty_reads_checkins ON council.checkins;
CREATE POLICY duty_reads_checkins ON council.checkins FOR SELECT TO council_duty
    USING (EXISTS (SELECT 1 FROM council.plans p WHERE p.id = plan_id));
"""
