package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"grantplan/planner"
	"grantplan/store"
)

// wrap adds context to an unexpected error. A *planner.Error goes back as it
// is: its message is written for the user, and its kind picks the status.
// When the context ended, the error wraps the context's error too, also
// where PostgreSQL reports only that the statement was cancelled.
//
// PostgreSQL's failures that pass, or that an administrator fixes, become
// the contract's errors, so that no request answers a server error for
// them: a lock, serialization or connection limit that a write could not
// get past in time is store.Busy, a database that cannot be reached or
// whose connection was lost store.Unavailable, a full disk store.Full, a
// database that takes no writes store.ReadOnly.
func wrap(ctx context.Context, op, id string, err error) error {
	var domainErr *planner.Error
	if errors.As(err, &domainErr) {
		return err
	}
	if id != "" {
		op += " " + id
	}
	if ctx.Err() == nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch pgErr.Code {
			case "40001", "40P01", "55P03", "57014", "53300":
				// serialization failure, deadlock, lock timeout,
				// statement timeout, too many connections
				return store.BusyBecause(op, pgErr.Message)
			case "53100":
				return store.Full("the database server's disk is full")
			case "25006":
				return store.ReadOnly("the database takes no writes")
			}
		}
		if why, lost := unreachable(err); lost {
			return store.Unavailable(op, why)
		}
	}
	return fmt.Errorf("store: %s: %w", op, withContext(ctx, err))
}

// unreachable reports whether err says that the database could not be
// reached or that the connection to it was lost, and why in a few words:
// the server is down, restarting, shutting down or failing over, or the
// network between is broken. Such a failure passes when the database is
// back; database/sql then opens new connections by itself. The words
// name no host or user, since a client reads them.
func unreachable(err error) (string, bool) {
	var (
		pgErr      *pgconn.PgError
		connectErr *pgconn.ConnectError
		errno      syscall.Errno
		netErr     net.Error
	)
	switch {
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", pgErr.Code == "57P05",
			len(pgErr.Code) == 5 && pgErr.Code[:2] == "08":
			// admin shutdown (a stopping server, pg_terminate_backend),
			// crash shutdown, cannot connect now (starting, in recovery),
			// idle session timeout, and the class of connection
			// exceptions
			return pgErr.Message, true
		}
		return "", false
	case errors.As(err, &errno) && (errno == syscall.ECONNREFUSED || errno == syscall.ECONNRESET ||
		errno == syscall.EPIPE || errno == syscall.ECONNABORTED || errno == syscall.EHOSTUNREACH ||
		errno == syscall.ENETUNREACH || errno == syscall.ETIMEDOUT):
		return errno.Error(), true
	case errors.As(err, &connectErr):
		return "cannot connect", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, driver.ErrBadConn):
		return "the connection was closed", true
	case errors.As(err, &netErr):
		if netErr.Timeout() {
			return "the network timed out", true
		}
		return "a network error", true
	}
	return "", false
}

// withContext returns err, wrapping also the context's error if the
// context has ended: PostgreSQL reports a statement stopped by the cancel
// request that a canceled context sends as "canceling statement due to
// user request", which does not say why.
func withContext(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w: %w", ctxErr, err)
	}
	return err
}
