package postgres

import (
	"context"
	"database/sql"
	"errors"
	"math"

	"grantplan/planner"
	"grantplan/store"
)

// PutFigures stores f as the key figures of the given revision of the
// scenario id, replacing those of the same version (store.Scenarios).
// One statement checks that the scenario is live and has the revision and
// stores the figures.
func (s *Store) PutFigures(ctx context.Context, id string, revision int, f store.Figures) error {
	if err := store.CheckFigures(id, f); err != nil {
		return err
	}
	if !storable(id) {
		return store.NotFound(id)
	}
	if int4(f.Version) != f.Version {
		return planner.Errorf(planner.KindInvalid, "figures of scenario %q: version %d, the database takes at most %d", id, f.Version, math.MaxInt32)
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO figures (scenario_id, revision, version, body, created)
		SELECT id, $2, $3, $4, clock_timestamp() FROM scenarios
		WHERE id = $1 AND deleted_at IS NULL AND $2 BETWEEN 1 AND revision
		ON CONFLICT (scenario_id, revision, version) DO UPDATE SET body = excluded.body, created = excluded.created`,
		id, int4(revision), f.Version, []byte(f.Body))
	if err != nil {
		return wrap(ctx, "store figures of", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, "store figures of", id, err)
	}
	if n == 1 {
		return nil
	}
	// Nothing stored: say whether the scenario or the revision is missing.
	var live bool
	err = s.db.QueryRowContext(ctx,
		"SELECT true FROM scenarios WHERE id = $1 AND deleted_at IS NULL", id).Scan(&live)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.NotFound(id)
	case err != nil:
		return wrap(ctx, "store figures of", id, err)
	}
	return store.RevisionNotFound(id, revision)
}
