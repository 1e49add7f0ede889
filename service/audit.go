package service

import (
	"context"
	"log/slog"
	"time"

	"grantplan/store"
)

// The audit log records who did what, when and from where: sign-ins
// (also failed and refused ones) and sign-outs, changes to users and API
// tokens, scenarios created, saved, restored and deleted, and share links
// made and revoked (docs/api.md, Audit log). An entry never holds a
// secret: no password, token, session id or share link's secret, and a
// name typed at the login that no user has is not written either, as it
// may be a password typed into the wrong field.

// MaxAuditPage is the most entries one page of the audit log holds.
const MaxAuditPage = 500

// Audit returns a page of the audit log, newest first, and how many
// entries there are. A Limit of 0 or over MaxAuditPage is MaxAuditPage.
func (s *Service) Audit(ctx context.Context, opts store.AuditOptions) ([]store.AuditEntry, int, error) {
	st, err := s.allowedStore(ctx, ActionAudit, "")
	if err != nil {
		return nil, 0, err
	}
	if opts.Limit <= 0 || opts.Limit > MaxAuditPage {
		opts.Limit = MaxAuditPage
	}
	return st.ListAudit(ctx, opts)
}

// record appends an entry for the caller in ctx to the audit log. The
// change it records has been made by then, and stays made if the entry
// cannot be stored: that is logged as an error instead.
func (s *Service) record(ctx context.Context, action, target, detail string) {
	if s.store == nil {
		return
	}
	appendAudit(ctx, s.store, s.log, s.now(), ActorOf(ctx), action, target, detail)
}

// appendAudit stores one entry of the audit log by actor, logging a
// failure.
func appendAudit(ctx context.Context, st store.Audit, log *slog.Logger, now time.Time, actor Actor, action, target, detail string) {
	e := store.AuditEntry{Time: now, Actor: actor.String(), Action: action, Target: target, Detail: detail, Address: actor.Address}
	// The change is made: the entry is written even if the caller has
	// gone in the meantime.
	if err := st.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		log.LogAttrs(ctx, slog.LevelError, "audit entry not stored",
			slog.String("actor", e.Actor), slog.String("action", action), slog.String("target", target),
			slog.String("error", err.Error()))
	}
}
