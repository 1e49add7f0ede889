-- A deleted scenario may be made live again by an administrator, as it
-- was: deleted_at is cleared and nothing else changes. Everything else the
-- trigger of 0001_init.sql refused it still refuses: a deleted scenario
-- does not change otherwise, and a live one only advances one revision at
-- a time or is deleted.
DROP TRIGGER scenarios_forward_only;
CREATE TRIGGER scenarios_forward_only BEFORE UPDATE ON scenarios
WHEN NEW.id IS NOT OLD.id
	OR NEW.created IS NOT OLD.created
	OR (OLD.deleted_at IS NOT NULL AND (NEW.deleted_at IS NOT NULL OR NEW.revision IS NOT OLD.revision))
	OR NEW.revision NOT IN (OLD.revision, OLD.revision + 1)
BEGIN
	SELECT RAISE(ABORT, 'a scenario only advances one revision or is deleted');
END;
