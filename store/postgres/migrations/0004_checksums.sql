-- Every revision gets a checksum, store.Checksum in Go: the SHA-256 of
-- its id, number, name, author and body, the texts each after its length
-- in bytes and the numbers as unsigned varints. The store writes it with
-- the revision and checks it whenever it reads the revision's body, so
-- that a body changed behind the database's back (damage on the disk, an
-- edit that went past the triggers) is reported as damage, never served
-- as other bytes. TestChecksumFunction compares grantplan_checksum with
-- store.Checksum.

-- grantplan_uvarint is Go's binary.AppendUvarint of a number of 0 or
-- more: seven bits a byte, the lowest first, the high bit set on every
-- byte but the last.
CREATE FUNCTION grantplan_uvarint(n bigint) RETURNS bytea
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	AS $uvarint$
DECLARE
	b bytea := ''::bytea;
BEGIN
	WHILE n >= 128 LOOP
		b := b || set_byte('\x00'::bytea, 0, (n % 128 + 128)::integer);
		n := n / 128;
	END LOOP;
	RETURN b || set_byte('\x00'::bytea, 0, n::integer);
END
$uvarint$;

-- The database is in UTF-8 (the store checks it when it opens), so
-- octet_length is the length in bytes and convert_to gives the bytes as
-- they are.
CREATE FUNCTION grantplan_checksum(id text, revision integer, name text, author text, body bytea) RETURNS bytea
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $checksum$ SELECT sha256(
		grantplan_uvarint(octet_length(id)) || convert_to(id, 'UTF8') ||
		grantplan_uvarint(revision) ||
		grantplan_uvarint(octet_length(name)) || convert_to(name, 'UTF8') ||
		grantplan_uvarint(octet_length(coalesce(author, ''))) || convert_to(coalesce(author, ''), 'UTF8') ||
		body) $checksum$;

-- The revisions stored so far get theirs here, the one time the
-- append-only trigger steps aside: within this migration's transaction,
-- which no other connection sees half done.
ALTER TABLE revisions ADD COLUMN checksum bytea;
ALTER TABLE revisions DISABLE TRIGGER revisions_append_only;
UPDATE revisions SET checksum = grantplan_checksum(scenario_id, revision, name, author, body);
ALTER TABLE revisions ENABLE TRIGGER revisions_append_only;
ALTER TABLE revisions ALTER COLUMN checksum SET NOT NULL;

-- A revision inserted without its checksum (by a grantplan from before
-- this migration, still running during a rolling update) gets it from
-- the database, before NOT NULL is checked.
CREATE FUNCTION grantplan_fill_checksum() RETURNS trigger
	LANGUAGE plpgsql
	AS $fill$
BEGIN
	IF NEW.checksum IS NULL THEN
		NEW.checksum := grantplan_checksum(NEW.scenario_id, NEW.revision, NEW.name, NEW.author, NEW.body);
	END IF;
	RETURN NEW;
END
$fill$;
CREATE TRIGGER revisions_checksum BEFORE INSERT ON revisions
	FOR EACH ROW EXECUTE FUNCTION grantplan_fill_checksum();
