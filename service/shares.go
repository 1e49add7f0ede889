package service

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// Share links let someone without an account (a council member) read one
// scenario: its plan page, read-only, and its workbook, for a limited
// time. A link names a revision, or none for whichever revision is
// current when it is opened. Its secret is in the link and only the
// secret's hash is stored, so the link is shown once, when it is made.

// DefaultShareValidity is how long a share link is valid unless its maker
// says otherwise; MaxShareValidity the longest it may be.
var (
	DefaultShareValidity = planner.Period{Days: 30}
	MaxShareValidity     = planner.Period{Years: 1}
)

// A NewShare is a share link just made. Secret is the link's secret: it
// is shown once and only its hash is stored.
type NewShare struct {
	store.Share
	Secret string
}

// CreateShare makes a read-only link to the stored scenario id: to the
// given revision, or with revision 0 to whichever is current when the
// link is opened; valid for the period (zero: DefaultShareValidity).
func (s *Service) CreateShare(ctx context.Context, id string, revision int, valid planner.Period) (NewShare, error) {
	st, err := s.allowedStore(ctx, ActionShare, id)
	if err != nil {
		return NewShare{}, err
	}
	if revision < 0 {
		return NewShare{}, invalid("revision", "give a revision number from 1, or none for the current revision")
	}
	now := s.now()
	if valid.IsZero() {
		valid = DefaultShareValidity
	}
	expires, err := expiresAfter(now, valid, MaxShareValidity, "expires")
	if err != nil {
		return NewShare{}, err
	}
	secret := randomSecret()
	sh, err := st.CreateShare(ctx, store.Share{ScenarioID: id, Revision: revision, Hash: hashSecret(secret),
		CreatedBy: ActorOf(ctx).String(), Created: now, Expires: expires})
	if err != nil {
		return NewShare{}, err
	}
	s.record(ctx, "share.create", id, fmt.Sprintf("link %d to %s, expires %s", sh.ID, revisionWords(sh.Revision), expires.Format(time.DateOnly)))
	return NewShare{Share: sh, Secret: secret}, nil
}

// revisionWords says which revision a link shows, for the audit log.
func revisionWords(revision int) string {
	if revision == 0 {
		return "the current revision"
	}
	return "revision " + strconv.Itoa(revision)
}

// Shares returns the links to the stored scenario id that have not
// expired.
func (s *Service) Shares(ctx context.Context, id string) ([]store.Share, error) {
	st, err := s.allowedStore(ctx, ActionShare, id)
	if err != nil {
		return nil, err
	}
	return st.ListShares(ctx, id, s.now())
}

// RevokeShare revokes the link shareID to the stored scenario id: it
// stops working at once.
func (s *Service) RevokeShare(ctx context.Context, id string, shareID int64) error {
	st, err := s.allowedStore(ctx, ActionShare, id)
	if err != nil {
		return err
	}
	if err := st.DeleteShare(ctx, id, shareID); err != nil {
		return err
	}
	s.record(ctx, "share.revoke", id, fmt.Sprintf("link %d", shareID))
	return nil
}
