package service

import (
	"context"
	"fmt"

	"grantplan/store"
)

// The deleted scenarios are an administrator's (ActionDeleted): a delete
// only hides a scenario, and an administrator can list what was deleted,
// read its history and make it live again as it was (in the audit log).

// Deleted lists the deleted scenarios that opts choose, ordered by id,
// with the time each was deleted, and the number of all that match.
func (s *Service) Deleted(ctx context.Context, opts ListOptions) ([]store.Scenario, int, error) {
	st, err := s.allowedStore(ctx, ActionDeleted, "")
	if err != nil {
		return nil, 0, err
	}
	return st.ListDeleted(ctx, store.ListOptions{Query: opts.Query, Offset: opts.Offset, Limit: opts.Limit})
}

// DeletedRevisions lists the revisions of the deleted scenario id, oldest
// first.
func (s *Service) DeletedRevisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	st, err := s.allowedStore(ctx, ActionDeleted, id)
	if err != nil {
		return nil, err
	}
	return st.DeletedRevisions(ctx, id)
}

// DeletedRevision returns one revision of the deleted scenario id.
func (s *Service) DeletedRevision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	st, err := s.allowedStore(ctx, ActionDeleted, id)
	if err != nil {
		return store.Scenario{}, err
	}
	if revision < 1 {
		return store.Scenario{}, noRevision(id, revision)
	}
	return st.DeletedRevision(ctx, id, revision)
}

// Undelete makes the deleted scenario id live again at the revision it
// had; its ETag is what it was.
func (s *Service) Undelete(ctx context.Context, id string) (store.Scenario, error) {
	st, err := s.allowedStore(ctx, ActionDeleted, id)
	if err != nil {
		return store.Scenario{}, err
	}
	unlock, err := s.locks.lock(ctx, id)
	if err != nil {
		return store.Scenario{}, err
	}
	defer unlock()
	sc, err := st.Undelete(ctx, id)
	if err == nil {
		s.record(ctx, "scenario.undelete", id, fmt.Sprintf("at revision %d", sc.Revision))
	}
	return sc, err
}
