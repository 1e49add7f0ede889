-- A deleted scenario may be made live again by an administrator, as it
-- was: deleted_at is cleared and nothing else changes. Everything else the
-- trigger of 0001_init.sql refused it still refuses: a deleted scenario
-- does not change otherwise, and a live one only advances one revision at
-- a time or is deleted.
DROP TRIGGER scenarios_forward_only ON scenarios;
CREATE TRIGGER scenarios_forward_only BEFORE UPDATE ON scenarios
	FOR EACH ROW
	WHEN (NEW.id IS DISTINCT FROM OLD.id
		OR NEW.created IS DISTINCT FROM OLD.created
		OR (OLD.deleted_at IS NOT NULL AND (NEW.deleted_at IS NOT NULL OR NEW.revision IS DISTINCT FROM OLD.revision))
		OR NEW.revision NOT IN (OLD.revision, OLD.revision + 1))
	EXECUTE FUNCTION grantplan_refuse('a scenario only advances one revision or is deleted');
