-- Key figures derived from a revision (for the list of scenarios), stored
-- beside it by the application so that a list need not plan every
-- scenario. body is the application's JSON, kept byte for byte; version is
-- its format, and figures of different versions of one revision are kept
-- apart, so that two program versions sharing the file do not overwrite
-- each other's. A row is replaced when the application stores figures of
-- the same version again; the revision itself is never touched.
CREATE TABLE figures (
	scenario_id TEXT    NOT NULL,
	revision    INTEGER NOT NULL,
	version     INTEGER NOT NULL CHECK (version >= 1),
	body        BLOB    NOT NULL CHECK (length(body) > 0),
	created     TEXT    NOT NULL,
	PRIMARY KEY (scenario_id, revision, version),
	FOREIGN KEY (scenario_id, revision) REFERENCES revisions (scenario_id, revision)
) STRICT, WITHOUT ROWID;
