-- A scenario is a name for a chain of revisions. revision is the current
-- one (the ETag); created is when revision 1 was stored; deleted_at is set
-- by a delete, which hides the scenario but keeps its id and revisions.
--
-- The foreign key from (id, revision) to revisions is deferred so that a
-- transaction can insert the scenario before its first revision, and it
-- means no transaction can commit a scenario whose current revision is not
-- stored.
CREATE TABLE scenarios (
	id         TEXT    NOT NULL PRIMARY KEY,
	revision   INTEGER NOT NULL CHECK (revision >= 1),
	created    TEXT    NOT NULL,
	deleted_at TEXT,
	FOREIGN KEY (id, revision) REFERENCES revisions (scenario_id, revision)
		DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- A revision is the scenario JSON exactly as it was stored. body is a BLOB
-- so that the bytes come back as they went in.
CREATE TABLE revisions (
	scenario_id TEXT    NOT NULL REFERENCES scenarios (id),
	revision    INTEGER NOT NULL CHECK (revision >= 1),
	name        TEXT    NOT NULL,
	body        BLOB    NOT NULL,
	created     TEXT    NOT NULL,
	PRIMARY KEY (scenario_id, revision)
) STRICT, WITHOUT ROWID;

-- Revisions are the audit trail of decisions about public money: they are
-- only ever inserted. These triggers hold that line against a bug in the
-- store and against anyone editing the file with the sqlite3 shell.
CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
BEGIN
	SELECT RAISE(ABORT, 'revisions are append-only');
END;

CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
BEGIN
	SELECT RAISE(ABORT, 'revisions are append-only');
END;

-- A scenario is deleted by setting deleted_at, never by removing its row,
-- so that its id is never reused for a different scenario.
CREATE TRIGGER scenarios_soft_delete_only BEFORE DELETE ON scenarios
BEGIN
	SELECT RAISE(ABORT, 'scenarios are deleted by setting deleted_at');
END;

-- The current revision moves forward one step at a time, so the revisions
-- of a scenario are always 1..revision without gaps, and a deleted
-- scenario stays as it was when it was deleted.
CREATE TRIGGER scenarios_forward_only BEFORE UPDATE ON scenarios
WHEN OLD.deleted_at IS NOT NULL
	OR NEW.id IS NOT OLD.id
	OR NEW.created IS NOT OLD.created
	OR NEW.revision NOT IN (OLD.revision, OLD.revision + 1)
BEGIN
	SELECT RAISE(ABORT, 'a scenario only advances one revision or is deleted');
END;
