-- Each revision gets a checksum, verified on every read, so that damage to
-- the file inside a body is reported as damage instead of being served or
-- read as the user's mistake; and bodies may be stored compressed.
--
-- checksum is the SHA-256 of the revision's id, number, name, author and
-- body (as given, uncompressed; sqlite/body.go says how they are joined). Revisions
-- stored before this migration get theirs when the store is next opened
-- for writing; until then it is NULL and they are read unchecked.
--
-- encoding says how body is stored: 0 as given, 1 compressed with deflate
-- (RFC 1951). Revisions stored before this migration are 0.
ALTER TABLE revisions ADD COLUMN checksum BLOB CHECK (checksum IS NULL OR length(checksum) = 32);
ALTER TABLE revisions ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0 CHECK (encoding IN (0, 1));

-- Revisions stay append-only: the only change allowed is giving a revision
-- stored without a checksum its checksum, all else unchanged.
DROP TRIGGER revisions_append_only_update;
CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
WHEN NOT (
	OLD.checksum IS NULL AND NEW.checksum IS NOT NULL
	AND NEW.scenario_id IS OLD.scenario_id AND NEW.revision IS OLD.revision
	AND NEW.name IS OLD.name AND NEW.body IS OLD.body
	AND NEW.created IS OLD.created AND NEW.encoding IS OLD.encoding
	AND NEW.author IS OLD.author
)
BEGIN
	SELECT RAISE(ABORT, 'revisions are append-only');
END;
