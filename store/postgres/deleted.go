package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"grantplan/store"
)

// ListDeleted returns a page of the deleted scenarios that match
// opts.Query, ordered by id, with the time of their deletion, and how many
// match (store.Scenarios.ListDeleted), from one statement.
func (s *Store) ListDeleted(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	if err := store.CheckList(opts); err != nil {
		return nil, 0, err
	}
	where := deleted
	args := []any{}
	if opts.Query != "" {
		where += ` AND (strpos(s.id_folded, $1) > 0 OR strpos(r.name_folded, $1) > 0)`
		args = append(args, store.Fold(opts.Query))
	}
	var limit any // NULL is no limit
	if opts.Limit > 0 {
		limit = opts.Limit
	}
	n := len(args)
	args = append(args, limit, opts.Offset)
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`
		SELECT p.id, p.revision, p.created, p.name, p.updated, p.deleted_at, t.total
		FROM (SELECT count(*) AS total %s) AS t
		LEFT JOIN LATERAL (
			SELECT s.id, s.revision, s.created, r.name, r.created AS updated, s.deleted_at %s
			ORDER BY s.id LIMIT $%d OFFSET $%d
		) AS p ON true
		ORDER BY p.id`, fromCurrent+where, fromCurrent+where, n+1, n+2), args...)
	if err != nil {
		return nil, 0, wrap(ctx, "list deleted scenarios", "", err)
	}
	defer rows.Close()
	page := []store.Scenario{}
	total := 0
	for rows.Next() {
		var (
			id, name                  sql.NullString
			revision                  sql.NullInt64
			created, updated, deleted sql.NullTime
		)
		if err := rows.Scan(&id, &revision, &created, &name, &updated, &deleted, &total); err != nil {
			return nil, 0, wrap(ctx, "list deleted scenarios", "", err)
		}
		if !id.Valid {
			continue // the row of an empty page
		}
		page = append(page, store.Scenario{
			ID: id.String, Name: name.String, Revision: int(revision.Int64),
			Created: created.Time.UTC(), Updated: updated.Time.UTC(), Deleted: deleted.Time.UTC(),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(ctx, "list deleted scenarios", "", err)
	}
	return page, total, nil
}

// DeletedRevisions lists the revisions of the deleted scenario id, oldest
// first.
func (s *Store) DeletedRevisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	return s.revisions(ctx, "list revisions of deleted", id, deleted, store.NotDeleted)
}

// DeletedRevision returns the given revision of the deleted scenario id.
func (s *Store) DeletedRevision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	return s.revision(ctx, "get revision of deleted", id, revision, deleted, store.NotDeleted)
}

// Undelete makes the deleted scenario id live again, at the revision it
// had, in one statement that clears deleted_at only if it is set.
func (s *Store) Undelete(ctx context.Context, id string) (store.Scenario, error) {
	if !storable(id) {
		return store.Scenario{}, store.NotDeleted(id)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE scenarios SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL`, id)
	if err != nil {
		return store.Scenario{}, wrap(ctx, "undelete scenario", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return store.Scenario{}, wrap(ctx, "undelete scenario", id, err)
	}
	if n == 0 {
		return store.Scenario{}, store.NotDeleted(id)
	}
	return s.Get(ctx, id)
}
