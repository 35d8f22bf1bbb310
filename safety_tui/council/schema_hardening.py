"""Council schema: fixes from a hostile review of versions 2-4. Core: no Textual.

- A phone check-in always reaches the desk. The server's own write of a plan (a check-in
  from the phone moves the finish or ends the plan; it never changes the plan's
  ``sequence``) is not held to the rules for what a laptop publishes: the council's
  visit limit (``max_visit_hours``) or a rule added after the plan was published
  could otherwise refuse a silent call for help. An extension of more than a day
  (a plan with a long grace, long overdue) is recorded too.
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

-- A help or an extension from the phone reaches now + its minutes from wherever the finish was: with a
-- grace of up to a day and check-ins accepted 12 hours after the due time, up to 37 hours and 15 minutes.
ALTER TABLE council.checkins DROP CONSTRAINT IF EXISTS checkins_extended_minutes_check;
ALTER TABLE council.checkins ADD CONSTRAINT checkins_extended_minutes_check CHECK (extended_minutes BETWEEN 0 AND 2880);
"""
