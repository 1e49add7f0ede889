package sqlite

import (
	"context"
	"database/sql"
	"time"

	"grantplan/store"
)

// PutFigures stores f as the key figures of the given revision of the
// scenario id, replacing those of the same version (store.Scenarios).
func (s *Store) PutFigures(ctx context.Context, id string, revision int, f store.Figures) error {
	if err := store.CheckFigures(id, f); err != nil {
		return err
	}
	return s.write(ctx, "store figures of", id, func(tx *sql.Tx) error {
		head, err := liveHead(ctx, tx, id)
		if err != nil {
			return err
		}
		if revision < 1 || revision > head.revision {
			return store.RevisionNotFound(id, revision)
		}
		return putFigures(ctx, tx, id, revision, f, s.now())
	})
}

func putFigures(ctx context.Context, tx *sql.Tx, id string, revision int, f store.Figures, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO figures (scenario_id, revision, version, body, created) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scenario_id, revision, version) DO UPDATE SET body = excluded.body, created = excluded.created`,
		id, revision, f.Version, []byte(f.Body), formatTime(now))
	return err
}
