-- The audit log and the consent ledger are evidence: rows are added, never changed or removed.
-- The only exception is a person being deleted, whose rows go (or lose the actor) through the
-- foreign-key cascade; a cascade fires this trigger from inside another trigger (depth > 1).
CREATE OR REPLACE FUNCTION refuse_unless_cascade() RETURNS trigger AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
--> statement-breakpoint
-- Replaces 0003's unconditional UPDATE refusal: deleting a staff member who recorded a choice for
-- someone sets actor_id to null through the cascade, which must be allowed.
DROP TRIGGER consent_events_no_update ON consent_events;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
