package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"grantplan/planner"
	"grantplan/store"
)

// checksumsVersion is the schema version that added the checksums.
const checksumsVersion = 5

// checksumBatch is how many revisions one transaction of addChecksums
// gives their checksum.
const checksumBatch = 200

// addChecksums gives the revisions stored before checksums existed theirs
// (computed from the body as it is now, which the quick check has just
// read), in batches of small transactions. A file that cannot be written
// now (read-only, or locked by another process) keeps them for a later
// start; its old revisions are read unchecked until then.
func (s *Store) addChecksums(ctx context.Context) error {
	for {
		var missing bool
		if err := s.db.QueryRowContext(ctx,
			"SELECT EXISTS (SELECT 1 FROM revisions WHERE checksum IS NULL)").Scan(&missing); err != nil {
			return err
		}
		if !missing {
			return nil
		}
		err := s.write(ctx, "add checksums", "", func(tx *sql.Tx) error { return addChecksumBatch(ctx, tx) })
		if planner.KindOf(err) == planner.KindUnavailable {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// addChecksumBatch gives up to checksumBatch revisions their checksums.
func addChecksumBatch(ctx context.Context, tx *sql.Tx) error {
	type row struct {
		id       string
		revision int
		name     string
		author   sql.NullString
		body     storedBody
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT scenario_id, revision, name, author, body, encoding FROM revisions WHERE checksum IS NULL LIMIT ?", checksumBatch)
	if err != nil {
		return err
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.revision, &r.name, &r.author, &r.body.data, &r.body.encoding); err != nil {
			rows.Close()
			return err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) == 0 {
		return errors.New("no revision without a checksum")
	}
	for _, r := range batch {
		body, err := r.body.open(r.id, r.revision, r.name, r.author.String)
		if err != nil {
			return err
		}
		if err := execOne(ctx, tx, "UPDATE revisions SET checksum = ? WHERE scenario_id = ? AND revision = ? AND checksum IS NULL",
			store.Checksum(r.id, r.revision, r.name, r.author.String, body), r.id, r.revision); err != nil {
			return err
		}
	}
	return nil
}
