-- Who stored a revision: the user's name as it was then (a removed user's
-- revisions keep it). Revisions stored before there were accounts have
-- none. Adding a column rewrites no revision and fires no trigger.
ALTER TABLE revisions ADD COLUMN author TEXT;

-- Accounts. AUTOINCREMENT: an id is never given out again, so that a
-- removed user's sessions and tokens can never come to belong to a new
-- one. A local user has a password hash (argon2id, written and read by
-- the application only); a user who signs in through OpenID Connect has
-- issuer and subject, unique together.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT    NOT NULL UNIQUE CHECK (name <> ''),
	role          TEXT    NOT NULL CHECK (role <> ''),
	password_hash TEXT    NOT NULL DEFAULT '',
	issuer        TEXT,
	subject       TEXT,
	created       TEXT    NOT NULL,
	UNIQUE (issuer, subject),
	CHECK ((issuer IS NULL) = (subject IS NULL))
) STRICT;

-- Sessions of the web pages, by the SHA-256 of the id in the cookie. A
-- session ends at expires or idle_expires, whichever comes first; both are
-- times in the fixed-width text format, which sorts in time order.
CREATE TABLE sessions (
	hash         BLOB    NOT NULL PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created      TEXT    NOT NULL,
	idle_expires TEXT    NOT NULL,
	expires      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens, by the SHA-256 of the token.
CREATE TABLE tokens (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	label     TEXT    NOT NULL,
	hash      BLOB    NOT NULL UNIQUE,
	created   TEXT    NOT NULL,
	expires   TEXT    NOT NULL,
	last_used TEXT
) STRICT;

CREATE INDEX tokens_user ON tokens (user_id);

-- Read-only links to one scenario, by the SHA-256 of the link's secret.
-- revision 0 is whichever revision is current when the link is opened.
-- A revoked link's row is removed; the audit log says who revoked it.
CREATE TABLE shares (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	scenario_id TEXT    NOT NULL REFERENCES scenarios (id),
	revision    INTEGER NOT NULL CHECK (revision >= 0),
	hash        BLOB    NOT NULL UNIQUE,
	created_by  TEXT    NOT NULL,
	created     TEXT    NOT NULL,
	expires     TEXT    NOT NULL
) STRICT;

CREATE INDEX shares_scenario ON shares (scenario_id);

-- The audit log: who did what, when, from where. Like revisions, it is
-- only ever appended to.
CREATE TABLE audit (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	at      TEXT    NOT NULL,
	actor   TEXT    NOT NULL,
	action  TEXT    NOT NULL,
	target  TEXT    NOT NULL,
	detail  TEXT    NOT NULL,
	address TEXT    NOT NULL
) STRICT;

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Recent failed logins per throttle key (a user name or a client
-- address). Rows older than the throttle's window are removed as the
-- throttle meets them; a successful login removes its keys' rows.
CREATE TABLE login_failures (
	id  INTEGER PRIMARY KEY,
	key TEXT    NOT NULL,
	at  TEXT    NOT NULL
) STRICT;

CREATE INDEX login_failures_key ON login_failures (key, at);

-- The server's secrets, shared by every instance on this file.
CREATE TABLE secrets (
	name  TEXT NOT NULL PRIMARY KEY,
	value BLOB NOT NULL CHECK (length(value) > 0)
) STRICT, WITHOUT ROWID;
