"""The council schema for checking in from a phone (one migration). Core: no Textual.

- ``council.checkin_links`` holds, per plan, the SHA-256 of the plan's check-in token
  (hex). The token itself never reaches the server's tables: it stays on the
  councillor's laptop and in the link. A councillor writes only their own plans' rows.
- ``council.checkins`` is the record of every action taken from a phone, stamped with
  the server's time; the councillor's app pulls it into the plan's audit trail and the
  desk reads it (a ``help`` row puts the plan at the top as HELP).
- ``council.checkin(token_hash, action)`` is the one thing a check-in server's role
  (a member of ``council_checkin``) can do. It runs with the owner's rights, answers
  ``unknown`` for a wrong, finished or expired token (12 hours after the due time), and
  ``status`` only reads.
- The council's public base URL for the links is the ``checkin_url`` setting; every
  councillor may read that one setting.
"""

from __future__ import annotations

PHONE_CHECKIN = r"""
DO $roles$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'council_checkin') THEN
        CREATE ROLE council_checkin NOLOGIN;
    END IF;
END $roles$;

CREATE TABLE council.checkin_links(
    plan_id bigint PRIMARY KEY REFERENCES council.plans(id) ON DELETE CASCADE,
    owner name NOT NULL DEFAULT current_user,
    token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$')
);

CREATE TABLE council.checkins(
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id bigint NOT NULL REFERENCES council.plans(id) ON DELETE CASCADE,
    action text NOT NULL CHECK (action IN ('safe', 'extend-15', 'extend-30', 'extend-60', 'help')),
    extended_minutes integer NOT NULL DEFAULT 0 CHECK (extended_minutes BETWEEN 0 AND 1440),
    finish_at timestamptz NOT NULL,  -- the plan's expected finish once the action was applied
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkins_by_plan ON council.checkins(plan_id, id);

-- A councillor attaches the hash of a plan's token to their own published plan (RLS applies).
CREATE FUNCTION council.publish_checkin(p_plan_key text, p_hash text) RETURNS boolean
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    plan_row bigint;
BEGIN
    SELECT p.id INTO plan_row FROM council.plans p WHERE p.owner = current_user AND p.plan_key = p_plan_key;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO council.checkin_links AS l (plan_id, token_hash) VALUES (plan_row, p_hash)
        ON CONFLICT (plan_id) DO UPDATE SET token_hash = excluded.token_hash WHERE l.owner = current_user;
    RETURN true;
END $$;

-- The check-in server's one call. 'status' reads the due time and changes nothing.
-- 'safe' finishes the plan; 'extend-N' and 'help' move the finish to N (help: 15) minutes from
-- now, never earlier than it was, in whole minutes (so the laptop can apply the same extension).
CREATE FUNCTION council.checkin(p_hash text, p_action text) RETURNS TABLE(outcome text, due timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_plan bigint;
    plan_finish timestamptz;
    plan_due timestamptz;
    minutes integer;
    added integer := 0;
BEGIN
    IF p_action IS NULL OR p_action NOT IN ('status', 'safe', 'extend-15', 'extend-30', 'extend-60', 'help') THEN
        RAISE EXCEPTION 'not a check-in action' USING ERRCODE = '22023';
    END IF;
    IF p_action = 'status' THEN
        SELECT p.due_at INTO plan_due FROM council.plans p JOIN council.checkin_links l ON l.plan_id = p.id
            WHERE l.token_hash = p_hash AND p.status = 'in-progress' AND now() <= p.due_at + interval '12 hours';
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'unknown'::text, NULL::timestamptz;
        ELSE
            RETURN QUERY SELECT 'open'::text, plan_due;
        END IF;
        RETURN;
    END IF;
    SELECT p.id, p.finish_at INTO v_plan, plan_finish FROM council.plans p
        JOIN council.checkin_links l ON l.plan_id = p.id
        WHERE l.token_hash = p_hash AND p.status = 'in-progress' AND now() <= p.due_at + interval '12 hours'
        FOR UPDATE OF p;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown'::text, NULL::timestamptz;
        RETURN;
    END IF;
    IF p_action = 'safe' THEN
        UPDATE council.plans p SET status = 'finished', ended_at = now() WHERE p.id = v_plan
            RETURNING p.finish_at, p.due_at INTO plan_finish, plan_due;
    ELSE
        minutes := CASE p_action WHEN 'extend-30' THEN 30 WHEN 'extend-60' THEN 60 ELSE 15 END;
        added := greatest(0, ceil(extract(epoch FROM (now() + make_interval(mins => minutes) - plan_finish)) / 60))::integer;
        UPDATE council.plans p SET finish_at = p.finish_at + make_interval(mins => added) WHERE p.id = v_plan
            RETURNING p.finish_at, p.due_at INTO plan_finish, plan_due;
    END IF;
    INSERT INTO council.checkins(plan_id, action, extended_minutes, finish_at)
        VALUES (v_plan, p_action, added, plan_finish);
    -- the desk's own channel, nothing in the payload (see the trust migration's notify_desk)
    PERFORM pg_notify(coalesce((SELECT s.value FROM council.settings s WHERE s.key = 'desk_channel'), 'council_desk'), '');
    RETURN QUERY SELECT CASE WHEN p_action = 'safe' THEN 'finished' ELSE 'extended' END, plan_due;
END $$;

-- A silent call for help can be closed by the desk before the plan's due time. Such a close is
-- filed against the moment it was made, not the plan's due time, so it never silences a later
-- overdue alert: only the councillor's own check-in ends a plan before it is due.
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
            IF NEW.kind = 'closed' AND EXISTS (
                    SELECT 1 FROM council.checkins c WHERE c.plan_id = NEW.plan_id AND c.action = 'help') THEN
                NEW.due_at := NEW.at;  -- closes the call for help, never the plan's own alert
            ELSE
                RAISE EXCEPTION 'the plan is not overdue yet: only the councillor''s own check-in ends it before its due time'
                    USING ERRCODE = '23514';
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE council.checkin_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE council.checkins ENABLE ROW LEVEL SECURITY;
CREATE POLICY councillor_own_links ON council.checkin_links FOR ALL TO council_councillor
    USING (owner = current_user)
    WITH CHECK (owner = current_user AND EXISTS (SELECT 1 FROM council.plans p WHERE p.id = plan_id AND p.owner = current_user));
CREATE POLICY councillor_reads_checkins ON council.checkins FOR SELECT TO council_councillor
    USING (EXISTS (SELECT 1 FROM council.plans p WHERE p.id = plan_id AND p.owner = current_user));
CREATE POLICY duty_reads_checkins ON council.checkins FOR SELECT TO council_duty USING (true);
-- The councillor's app reads the council's check-in address and nothing else of the settings
-- (they hold the desk's private notification channel).
CREATE FUNCTION council.checkin_url() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.value FROM council.settings s WHERE s.key = 'checkin_url'
$$;
REVOKE ALL ON FUNCTION council.checkin_url() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION council.checkin_url() TO council_councillor;

REVOKE ALL ON council.checkin_links, council.checkins FROM PUBLIC;
REVOKE ALL ON FUNCTION council.publish_checkin(text, text), council.checkin(text, text) FROM PUBLIC;
GRANT SELECT, INSERT ON council.checkin_links TO council_councillor;
GRANT UPDATE (token_hash) ON council.checkin_links TO council_councillor;
GRANT SELECT ON council.checkins TO council_councillor, council_duty;
GRANT EXECUTE ON FUNCTION council.publish_checkin(text, text) TO council_councillor;
GRANT USAGE ON SCHEMA council TO council_checkin;
GRANT EXECUTE ON FUNCTION council.checkin(text, text) TO council_checkin;
"""
