package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// The access records (store.Access): users, sessions, API tokens, share
// links, the audit log, the login throttle and the server's secrets, in the
// tables of migration 0004.

// inTx runs fn in a transaction and commits it: a read-only one that takes
// no write lock, or a write transaction on the writer's connection, in
// turn with the scenarios' writes (Store.write). Errors are wrapped with
// op unless they are the contract's own (*planner.Error); a busy, full or
// read-only file gives the contract's errors for it.
func (s *Store) inTx(ctx context.Context, op string, write bool, fn func(tx *sql.Tx) error) error {
	if write {
		return s.write(ctx, op, "", fn)
	}
	return s.read(ctx, op, "", fn)
}

// isUniqueViolation reports whether err is SQLite refusing a duplicate in
// a UNIQUE or PRIMARY KEY column.
func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// userColumns are the columns scanUser reads, in its order.
const userColumns = "u.id, u.name, u.role, u.password_hash, u.issuer, u.subject, u.created"

// scanUser reads the userColumns of a row.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (store.User, error) {
	var u store.User
	var issuer, subject sql.NullString
	var created string
	dest := append([]any{&u.ID, &u.Name, &u.Role, &u.PasswordHash, &issuer, &subject, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.User{}, err
	}
	u.Issuer, u.Subject = issuer.String, subject.String
	var err error
	u.Created, err = parseTime(created)
	return u, err
}

// CreateUser stores u with a new id (store.Users).
func (s *Store) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if err := store.CheckUser(u); err != nil {
		return store.User{}, err
	}
	err := s.inTx(ctx, "create user", true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			"INSERT INTO users (name, role, password_hash, issuer, subject, created) VALUES (?, ?, ?, ?, ?, ?)",
			u.Name, u.Role, u.PasswordHash, nullString(u.Issuer), nullString(u.Subject), formatTime(u.Created))
		if isUniqueViolation(err) {
			return store.UserTaken(u.Name)
		}
		if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return store.User{}, err
	}
	u.Created = u.Created.UTC()
	return u, nil
}

// User returns the user with the name.
func (s *Store) User(ctx context.Context, name string) (store.User, error) {
	return s.oneUser(ctx, "get user", "u.name = ?", strconv.Quote(name), name)
}

// UserBySubject returns the user an OpenID provider knows as subject.
func (s *Store) UserBySubject(ctx context.Context, issuer, subject string) (store.User, error) {
	return s.oneUser(ctx, "get user", "u.issuer = ? AND u.subject = ?", "of "+issuer+" "+strconv.Quote(subject), issuer, subject)
}

func (s *Store) oneUser(ctx context.Context, op, where, who string, args ...any) (store.User, error) {
	var u store.User
	err := s.inTx(ctx, op, false, func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users AS u WHERE "+where, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return store.UserNotFound(who)
		}
		return err
	})
	return u, err
}

// ListUsers returns every user, ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]store.User, error) {
	var users []store.User
	err := s.inTx(ctx, "list users", false, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+userColumns+" FROM users AS u ORDER BY u.name")
		if err != nil {
			return err
		}
		users, err = sqlstore.Collect(rows, scanUser)
		return err
	})
	return users, err
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "count users", false, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n)
	})
	return n, err
}

// SetPassword replaces the user's password hash and ends their sessions in
// one transaction.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	return s.inTx(ctx, "set password", true, func(tx *sql.Tx) error {
		if err := updateUser(ctx, tx, id, "password_hash = ?", hash); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id)
		return err
	})
}

// SetRole replaces the user's role; with keep, not the last of that role
// (store.Users).
func (s *Store) SetRole(ctx context.Context, id int64, role, keep string) error {
	if role == "" {
		return planner.Errorf(planner.KindInvalid, "user %d: empty role", id)
	}
	return s.inTx(ctx, "set role", true, func(tx *sql.Tx) error {
		if role != keep {
			if err := keepOne(ctx, tx, id, keep); err != nil {
				return err
			}
		}
		return updateUser(ctx, tx, id, "role = ?", role)
	})
}

// keepOne returns store.ErrLastOfRole if keep is not empty and the user
// id is the only one in the role keep. In the transaction of the change
// (SQLite's writers take turns), nothing changes between the check and
// the change.
func keepOne(ctx context.Context, tx *sql.Tx, id int64, keep string) error {
	if keep == "" {
		return nil
	}
	var only bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND role = ?)
		AND NOT EXISTS (SELECT 1 FROM users WHERE id <> ? AND role = ?)`, id, keep, id, keep).Scan(&only)
	if err != nil {
		return err
	}
	if only {
		return store.ErrLastOfRole
	}
	return nil
}

// updateUser sets columns of the user id; an unknown id is not found.
func updateUser(ctx context.Context, tx *sql.Tx, id int64, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, "UPDATE users SET "+set+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return err
	}
	return oneRow(res, store.UserNotFound(strconv.FormatInt(id, 10)))
}

// oneRow returns missing unless the statement changed a row.
func oneRow(res sql.Result, missing error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return missing
	}
	return nil
}

// DeleteUser removes the user; the foreign keys remove their sessions and
// tokens with them. With keep, not the last of that role (store.Users).
func (s *Store) DeleteUser(ctx context.Context, id int64, keep string) error {
	return s.inTx(ctx, "delete user", true, func(tx *sql.Tx) error {
		if err := keepOne(ctx, tx, id, keep); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id)
		if err != nil {
			return err
		}
		return oneRow(res, store.UserNotFound(strconv.FormatInt(id, 10)))
	})
}

// CreateSession stores a session of an existing user.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := store.CheckHash("session", sess.Hash); err != nil {
		return err
	}
	return s.inTx(ctx, "create session", true, func(tx *sql.Tx) error {
		if err := userExists(ctx, tx, sess.UserID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			"INSERT INTO sessions (hash, user_id, created, idle_expires, expires) VALUES (?, ?, ?, ?, ?)",
			sess.Hash, sess.UserID, formatTime(sess.Created), formatTime(sess.IdleExpires), formatTime(sess.Expires))
		if isUniqueViolation(err) {
			return duplicateHash("session")
		}
		return err
	})
}

// duplicateHash is the conflict of storing a secret's hash twice, which
// only a broken random source could make.
func duplicateHash(what string) error {
	return planner.Errorf(planner.KindConflict, "a %s with this hash exists", what)
}

func userExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)", id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return store.UserNotFound(strconv.FormatInt(id, 10))
	}
	return nil
}

// Session returns a session that has not ended at now, with its user.
func (s *Store) Session(ctx context.Context, hash []byte, now time.Time) (store.Session, store.User, error) {
	var sess store.Session
	var u store.User
	err := s.inTx(ctx, "get session", false, func(tx *sql.Tx) error {
		var created, idle, expires string
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `
			SELECT `+userColumns+`, s.created, s.idle_expires, s.expires
			FROM sessions AS s JOIN users AS u ON u.id = s.user_id
			WHERE s.hash = ? AND s.idle_expires > ? AND s.expires > ?`,
			hash, formatTime(now), formatTime(now)), &created, &idle, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return store.SessionNotFound()
		}
		if err != nil {
			return err
		}
		sess = store.Session{Hash: hash, UserID: u.ID}
		if sess.Created, err = parseTime(created); err != nil {
			return err
		}
		if sess.IdleExpires, err = parseTime(idle); err != nil {
			return err
		}
		sess.Expires, err = parseTime(expires)
		return err
	})
	if err != nil {
		return store.Session{}, store.User{}, err
	}
	return sess, u, nil
}

// TouchSession moves a session's idle expiry forward.
func (s *Store) TouchSession(ctx context.Context, hash []byte, idleExpires time.Time) error {
	return s.inTx(ctx, "touch session", true, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sessions WHERE hash = ?)", hash).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return store.SessionNotFound()
		}
		// The text times sort in time order, so max() keeps the later.
		_, err := tx.ExecContext(ctx, "UPDATE sessions SET idle_expires = max(idle_expires, ?) WHERE hash = ?",
			formatTime(idleExpires), hash)
		return err
	})
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	return s.inTx(ctx, "delete session", true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
		return err
	})
}

// DeleteExpiredSessions removes the sessions that have ended at now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, "delete expired sessions", true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE idle_expires <= ?1 OR expires <= ?1", formatTime(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// tokenColumns are the columns scanToken reads, in its order.
const tokenColumns = "t.id, t.user_id, u.name, t.label, t.hash, t.created, t.expires, t.last_used"

func scanToken(row interface{ Scan(...any) error }, extra ...any) (store.Token, error) {
	var t store.Token
	var created, expires string
	var lastUsed sql.NullString
	dest := append([]any{&t.ID, &t.UserID, &t.User, &t.Label, &t.Hash, &created, &expires, &lastUsed}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.Token{}, err
	}
	var err error
	if t.Created, err = parseTime(created); err != nil {
		return store.Token{}, err
	}
	if t.Expires, err = parseTime(expires); err != nil {
		return store.Token{}, err
	}
	if lastUsed.Valid {
		if t.LastUsed, err = parseTime(lastUsed.String); err != nil {
			return store.Token{}, err
		}
	}
	return t, nil
}

// CreateToken stores an API token of an existing user.
func (s *Store) CreateToken(ctx context.Context, t store.Token) (store.Token, error) {
	if err := store.CheckHash("API token", t.Hash); err != nil {
		return store.Token{}, err
	}
	err := s.inTx(ctx, "create API token", true, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", t.UserID).Scan(&t.User); errors.Is(err, sql.ErrNoRows) {
			return store.UserNotFound(strconv.FormatInt(t.UserID, 10))
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			"INSERT INTO tokens (user_id, label, hash, created, expires, last_used) VALUES (?, ?, ?, ?, ?, ?)",
			t.UserID, t.Label, t.Hash, formatTime(t.Created), formatTime(t.Expires), nullTime(t.LastUsed))
		if isUniqueViolation(err) {
			return duplicateHash("API token")
		}
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return store.Token{}, err
	}
	t.Created, t.Expires = t.Created.UTC(), t.Expires.UTC()
	if !t.LastUsed.IsZero() {
		t.LastUsed = t.LastUsed.UTC()
	}
	return t, nil
}

// TokenByHash returns an API token that has not expired at now, with its
// user.
func (s *Store) TokenByHash(ctx context.Context, hash []byte, now time.Time) (store.Token, store.User, error) {
	var t store.Token
	var u store.User
	err := s.inTx(ctx, "get API token", false, func(tx *sql.Tx) error {
		var err error
		row := tx.QueryRowContext(ctx, `
			SELECT `+tokenColumns+`, `+userColumns+`
			FROM tokens AS t JOIN users AS u ON u.id = t.user_id
			WHERE t.hash = ? AND t.expires > ?`, hash, formatTime(now))
		var issuer, subject sql.NullString
		var userCreated string
		t, err = scanToken(row, &u.ID, &u.Name, &u.Role, &u.PasswordHash, &issuer, &subject, &userCreated)
		if errors.Is(err, sql.ErrNoRows) {
			return store.TokenNotFound("with this hash")
		}
		if err != nil {
			return err
		}
		u.Issuer, u.Subject = issuer.String, subject.String
		u.Created, err = parseTime(userCreated)
		return err
	})
	if err != nil {
		return store.Token{}, store.User{}, err
	}
	return t, u, nil
}

// ListTokens returns every token, ordered by id.
func (s *Store) ListTokens(ctx context.Context) ([]store.Token, error) {
	var tokens []store.Token
	err := s.inTx(ctx, "list API tokens", false, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+tokenColumns+" FROM tokens AS t JOIN users AS u ON u.id = t.user_id ORDER BY t.id")
		if err != nil {
			return err
		}
		tokens, err = sqlstore.Collect(rows, scanToken)
		return err
	})
	return tokens, err
}

// TouchToken records a use of the token; the time only moves forward.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.inTx(ctx, "touch API token", true, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM tokens WHERE id = ?)", id).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return store.TokenNotFound(strconv.FormatInt(id, 10))
		}
		_, err := tx.ExecContext(ctx, "UPDATE tokens SET last_used = ?1 WHERE id = ?2 AND (last_used IS NULL OR last_used < ?1)",
			formatTime(at), id)
		return err
	})
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	return s.inTx(ctx, "revoke API token", true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM tokens WHERE id = ?", id)
		if err != nil {
			return err
		}
		return oneRow(res, store.TokenNotFound(strconv.FormatInt(id, 10)))
	})
}

// shareColumns are the columns scanShare reads, in its order.
const shareColumns = "sh.id, sh.scenario_id, sh.revision, sh.hash, sh.created_by, sh.created, sh.expires"

func scanShare(row interface{ Scan(...any) error }) (store.Share, error) {
	var sh store.Share
	var created, expires string
	if err := row.Scan(&sh.ID, &sh.ScenarioID, &sh.Revision, &sh.Hash, &sh.CreatedBy, &created, &expires); err != nil {
		return store.Share{}, err
	}
	var err error
	if sh.Created, err = parseTime(created); err != nil {
		return store.Share{}, err
	}
	sh.Expires, err = parseTime(expires)
	return sh, err
}

// CreateShare stores a link to a live scenario (and an existing revision,
// if it names one).
func (s *Store) CreateShare(ctx context.Context, sh store.Share) (store.Share, error) {
	if err := store.CheckHash("share link", sh.Hash); err != nil {
		return store.Share{}, err
	}
	if err := store.CheckID(sh.ScenarioID); err != nil {
		return store.Share{}, err
	}
	err := s.inTx(ctx, "create share link", true, func(tx *sql.Tx) error {
		head, err := liveHead(ctx, tx, sh.ScenarioID)
		if err != nil {
			return err
		}
		if sh.Revision < 0 || sh.Revision > head.revision {
			return store.RevisionNotFound(sh.ScenarioID, sh.Revision)
		}
		res, err := tx.ExecContext(ctx,
			"INSERT INTO shares (scenario_id, revision, hash, created_by, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
			sh.ScenarioID, sh.Revision, sh.Hash, sh.CreatedBy, formatTime(sh.Created), formatTime(sh.Expires))
		if isUniqueViolation(err) {
			return duplicateHash("share link")
		}
		if err != nil {
			return err
		}
		sh.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return store.Share{}, err
	}
	sh.Created, sh.Expires = sh.Created.UTC(), sh.Expires.UTC()
	return sh, nil
}

// ShareByHash returns a link that has not expired, to a live scenario.
func (s *Store) ShareByHash(ctx context.Context, hash []byte, now time.Time) (store.Share, error) {
	var sh store.Share
	err := s.inTx(ctx, "get share link", false, func(tx *sql.Tx) error {
		var err error
		sh, err = scanShare(tx.QueryRowContext(ctx, `
			SELECT `+shareColumns+` FROM shares AS sh JOIN scenarios AS s ON s.id = sh.scenario_id
			WHERE sh.hash = ? AND sh.expires > ? AND s.deleted_at IS NULL`, hash, formatTime(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return store.ShareNotFound("with this secret")
		}
		return err
	})
	return sh, err
}

// ListShares returns the unexpired links to a live scenario.
func (s *Store) ListShares(ctx context.Context, scenarioID string, now time.Time) ([]store.Share, error) {
	shares := []store.Share{}
	err := s.inTx(ctx, "list share links", false, func(tx *sql.Tx) error {
		if _, err := liveHead(ctx, tx, scenarioID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+shareColumns+" FROM shares AS sh WHERE sh.scenario_id = ? AND sh.expires > ? ORDER BY sh.id",
			scenarioID, formatTime(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sh, err := scanShare(rows)
			if err != nil {
				return err
			}
			shares = append(shares, sh)
		}
		return rows.Err()
	})
	return shares, err
}

// DeleteShare revokes a link to the scenario.
func (s *Store) DeleteShare(ctx context.Context, scenarioID string, id int64) error {
	return s.inTx(ctx, "revoke share link", true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM shares WHERE id = ? AND scenario_id = ?", id, scenarioID)
		if err != nil {
			return err
		}
		return oneRow(res, store.ShareNotFound(strconv.FormatInt(id, 10)))
	})
}

// AppendAudit adds an entry to the audit log.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	return s.inTx(ctx, "append to the audit log", true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			"INSERT INTO audit (at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)",
			formatTime(e.Time), e.Actor, e.Action, e.Target, e.Detail, e.Address)
		return err
	})
}

// ListAudit returns a page of the audit log, newest first, and its length.
func (s *Store) ListAudit(ctx context.Context, opts store.AuditOptions) ([]store.AuditEntry, int, error) {
	if err := store.CheckAudit(opts); err != nil {
		return nil, 0, err
	}
	entries := []store.AuditEntry{}
	var total int
	err := s.inTx(ctx, "read the audit log", false, func(tx *sql.Tx) error {
		limit := opts.Limit
		if limit == 0 {
			limit = -1
		}
		rows, err := tx.QueryContext(ctx,
			"SELECT id, at, actor, action, target, detail, address FROM audit ORDER BY id DESC LIMIT ? OFFSET ?", limit, opts.Offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.AuditEntry
			var at string
			if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Address); err != nil {
				return err
			}
			if e.Time, err = parseTime(at); err != nil {
				return err
			}
			entries = append(entries, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM audit").Scan(&total)
	})
	if err != nil {
		return nil, 0, err
	}
	return entries, total, nil
}

// TakeLoginAttempt counts the recent failures of keys and, if none has
// reached limit, records the attempt as a failure of each, all in one write
// transaction: concurrent attempts are counted one after the other.
func (s *Store) TakeLoginAttempt(ctx context.Context, keys []string, now time.Time, window time.Duration, limit int) (time.Time, error) {
	var retryAt time.Time
	err := s.inTx(ctx, "take a login attempt", true, func(tx *sql.Tx) error {
		since := formatTime(now.Add(-window))
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ? AND at <= ?", key, since); err != nil {
				return err
			}
			// The limit-th newest failure in the window, if there are that
			// many: the attempt may be made again once it leaves the window.
			var oldest string
			err := tx.QueryRowContext(ctx,
				"SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
				key, since, limit-1).Scan(&oldest)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			at, err := parseTime(oldest)
			if err != nil {
				return err
			}
			if until := at.Add(window); until.After(retryAt) {
				retryAt = until
			}
		}
		if !retryAt.IsZero() {
			return nil
		}
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", key, formatTime(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	return retryAt, nil
}

// ClearLoginFailures forgets the failures of keys.
func (s *Store) ClearLoginFailures(ctx context.Context, keys []string) error {
	return s.inTx(ctx, "clear login failures", true, func(tx *sql.Tx) error {
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ?", key); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteLoginFailures removes the failures, of every key, at or before
// the time.
func (s *Store) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, "delete old login failures", true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at <= ?", formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Secret returns the secret stored under name, storing fresh first if
// there is none.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if len(fresh) == 0 {
		return nil, store.CheckHash("secret "+name, fresh)
	}
	var value []byte
	err := s.inTx(ctx, "read secret", true, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&value)
	})
	return value, err
}
