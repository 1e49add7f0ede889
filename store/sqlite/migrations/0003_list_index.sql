-- A list of scenarios reads the name and time of each current revision.
-- In the revisions table those sit beside the body, which takes a page or
-- more per row; this index holds them without it, so that a list reads a
-- few pages instead of one per scenario. List names it (INDEXED BY), since
-- SQLite's planner prefers a WITHOUT ROWID table's primary key.
CREATE INDEX revisions_listed ON revisions (scenario_id, revision, name, created);
