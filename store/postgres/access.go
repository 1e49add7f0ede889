package postgres

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// The access records (store.Access): users, sessions, API tokens, share
// links, the audit log, the login throttle and the server's secrets, in the
// tables of migration 0002. Most methods are one statement; a statement's
// row locks order concurrent writers, as for the scenarios.

// PostgreSQL's error codes that the access records tell apart.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// pgCode returns PostgreSQL's error code of err, "" for another error.
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// checkText refuses text PostgreSQL cannot hold, naming what it is.
func checkText(what, s string) error {
	if !storable(s) {
		return planner.Errorf(planner.KindInvalid, "%s %q: the database takes no NUL byte or invalid UTF-8", what, s)
	}
	return nil
}

// nullText stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// userColumns are the columns scanUser reads, in its order.
const userColumns = "u.id, u.name, u.role, u.password_hash, u.issuer, u.subject, u.created"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (store.User, error) {
	var u store.User
	var issuer, subject sql.NullString
	dest := append([]any{&u.ID, &u.Name, &u.Role, &u.PasswordHash, &issuer, &subject, &u.Created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.User{}, err
	}
	u.Issuer, u.Subject, u.Created = issuer.String, subject.String, u.Created.UTC()
	return u, nil
}

// CreateUser stores u with a new id (store.Users).
func (s *Store) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if err := store.CheckUser(u); err != nil {
		return store.User{}, err
	}
	for what, text := range map[string]string{"user name": u.Name, "role": u.Role, "password hash": u.PasswordHash, "issuer": u.Issuer, "subject": u.Subject} {
		if err := checkText(what, text); err != nil {
			return store.User{}, err
		}
	}
	u.Created = timeOf(u.Created)
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO users (name, role, password_hash, issuer, subject, created) VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id`, u.Name, u.Role, u.PasswordHash, nullText(u.Issuer), nullText(u.Subject), u.Created).Scan(&u.ID)
	if pgCode(err) == uniqueViolation {
		return store.User{}, store.UserTaken(u.Name)
	}
	if err != nil {
		return store.User{}, wrap(ctx, "create user", u.Name, err)
	}
	return u, nil
}

// User returns the user with the name.
func (s *Store) User(ctx context.Context, name string) (store.User, error) {
	if !storable(name) {
		return store.User{}, store.UserNotFound(strconv.Quote(name))
	}
	return s.oneUser(ctx, strconv.Quote(name), "u.name = $1", name)
}

// UserBySubject returns the user an OpenID provider knows as subject.
func (s *Store) UserBySubject(ctx context.Context, issuer, subject string) (store.User, error) {
	who := "of " + issuer + " " + strconv.Quote(subject)
	if !storable(issuer) || !storable(subject) {
		return store.User{}, store.UserNotFound(who)
	}
	return s.oneUser(ctx, who, "u.issuer = $1 AND u.subject = $2", issuer, subject)
}

func (s *Store) oneUser(ctx context.Context, who, where string, args ...any) (store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users AS u WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, store.UserNotFound(who)
	}
	if err != nil {
		return store.User{}, wrap(ctx, "get user", who, err)
	}
	return u, nil
}

// ListUsers returns every user, ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]store.User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+userColumns+" FROM users AS u ORDER BY u.name")
	if err != nil {
		return nil, wrap(ctx, "list users", "", err)
	}
	users, err := sqlstore.Collect(rows, scanUser)
	if err != nil {
		return nil, wrap(ctx, "list users", "", err)
	}
	return users, nil
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, wrap(ctx, "count users", "", err)
	}
	return n, nil
}

// SetPassword replaces the user's password hash and ends their sessions,
// in one statement.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	if err := checkText("password hash", hash); err != nil {
		return err
	}
	var changed int64
	err := s.db.QueryRowContext(ctx, `
		WITH changed AS (UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id),
		ended AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM changed))
		SELECT count(*) FROM changed`, id, hash).Scan(&changed)
	if err != nil {
		return wrap(ctx, "set password", strconv.FormatInt(id, 10), err)
	}
	if changed == 0 {
		return store.UserNotFound(strconv.FormatInt(id, 10))
	}
	return nil
}

// SetRole replaces the user's role; with keep, not the last of that role
// (store.Users).
func (s *Store) SetRole(ctx context.Context, id int64, role, keep string) error {
	if role == "" {
		return planner.Errorf(planner.KindInvalid, "user %d: empty role", id)
	}
	if err := checkText("role", role); err != nil {
		return err
	}
	if role == keep {
		keep = ""
	}
	return s.changeRoles(ctx, "set role", id, keep, "UPDATE users SET role = $2 WHERE id = $1", id, role)
}

// DeleteUser removes the user; the foreign keys remove their sessions and
// tokens with them. With keep, not the last of that role (store.Users).
func (s *Store) DeleteUser(ctx context.Context, id int64, keep string) error {
	return s.changeRoles(ctx, "delete user", id, keep, "DELETE FROM users WHERE id = $1", id)
}

// changeRoles runs a statement that changes or removes the user id, in a
// transaction that holds the advisory lock of the users' roles: every
// change of a role and every removal take turns, so that the check of
// keep (that the user is not the only one in that role) sees what the
// change before it did, on every instance. Not found if the statement
// changed no row.
func (s *Store) changeRoles(ctx context.Context, op string, id int64, keep, query string, args ...any) error {
	if err := checkText("role", keep); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(ctx, op, "", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('grantplan roles', 0))"); err != nil {
		return wrap(ctx, op, "", err)
	}
	if keep != "" {
		// Read committed: this statement sees every change committed
		// before the lock was taken.
		var only bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = $2)
			AND NOT EXISTS (SELECT 1 FROM users WHERE id <> $1 AND role = $2)`, id, keep).Scan(&only)
		if err != nil {
			return wrap(ctx, op, "", err)
		}
		if only {
			return store.ErrLastOfRole
		}
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return wrap(ctx, op, "", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, op, "", err)
	}
	if n == 0 {
		return store.UserNotFound(strconv.FormatInt(id, 10))
	}
	if err := tx.Commit(); err != nil {
		return wrap(ctx, op, "", err)
	}
	return nil
}

// execOne runs a statement that changes one row, and returns missing if it
// changed none.
func (s *Store) execOne(ctx context.Context, op string, missing error, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return wrap(ctx, op, "", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, op, "", err)
	}
	if n == 0 {
		return missing
	}
	return nil
}

// CreateSession stores a session of an existing user.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := store.CheckHash("session", sess.Hash); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO sessions (hash, user_id, created, idle_expires, expires) VALUES ($1, $2, $3, $4, $5)",
		sess.Hash, sess.UserID, timeOf(sess.Created), timeOf(sess.IdleExpires), timeOf(sess.Expires))
	switch pgCode(err) {
	case foreignKeyViolation:
		return store.UserNotFound(strconv.FormatInt(sess.UserID, 10))
	case uniqueViolation:
		return duplicateHash("session")
	}
	if err != nil {
		return wrap(ctx, "create session", "", err)
	}
	return nil
}

// duplicateHash is the conflict of storing a secret's hash twice, which
// only a broken random source could make.
func duplicateHash(what string) error {
	return planner.Errorf(planner.KindConflict, "a %s with this hash exists", what)
}

// Session returns a session that has not ended at now, with its user.
func (s *Store) Session(ctx context.Context, hash []byte, now time.Time) (store.Session, store.User, error) {
	sess := store.Session{Hash: hash}
	u, err := scanUser(s.db.QueryRowContext(ctx, `
		SELECT `+userColumns+`, s.created, s.idle_expires, s.expires
		FROM sessions AS s JOIN users AS u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.idle_expires > $2 AND s.expires > $2`, hash, timeOf(now)),
		&sess.Created, &sess.IdleExpires, &sess.Expires)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Session{}, store.User{}, store.SessionNotFound()
	}
	if err != nil {
		return store.Session{}, store.User{}, wrap(ctx, "get session", "", err)
	}
	sess.UserID = u.ID
	sess.Created, sess.IdleExpires, sess.Expires = sess.Created.UTC(), sess.IdleExpires.UTC(), sess.Expires.UTC()
	return sess, u, nil
}

// TouchSession moves a session's idle expiry forward; the row lock orders
// concurrent touches, and the later time stays.
func (s *Store) TouchSession(ctx context.Context, hash []byte, idleExpires time.Time) error {
	return s.execOne(ctx, "touch session", store.SessionNotFound(),
		"UPDATE sessions SET idle_expires = greatest(idle_expires, $2) WHERE hash = $1", hash, timeOf(idleExpires))
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE hash = $1", hash); err != nil {
		return wrap(ctx, "delete session", "", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that have ended at now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE idle_expires <= $1 OR expires <= $1", timeOf(now))
	if err != nil {
		return 0, wrap(ctx, "delete expired sessions", "", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(ctx, "delete expired sessions", "", err)
	}
	return int(n), nil
}

// tokenColumns are the columns scanToken reads, in its order.
const tokenColumns = "t.id, t.user_id, u.name, t.label, t.hash, t.created, t.expires, t.last_used"

func scanToken(row interface{ Scan(...any) error }, extra ...any) (store.Token, error) {
	var t store.Token
	var lastUsed sql.NullTime
	dest := append([]any{&t.ID, &t.UserID, &t.User, &t.Label, &t.Hash, &t.Created, &t.Expires, &lastUsed}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.Token{}, err
	}
	t.Created, t.Expires = t.Created.UTC(), t.Expires.UTC()
	if lastUsed.Valid {
		t.LastUsed = lastUsed.Time.UTC()
	}
	return t, nil
}

// CreateToken stores an API token of an existing user.
func (s *Store) CreateToken(ctx context.Context, t store.Token) (store.Token, error) {
	if err := store.CheckHash("API token", t.Hash); err != nil {
		return store.Token{}, err
	}
	if err := checkText("label", t.Label); err != nil {
		return store.Token{}, err
	}
	t.Created, t.Expires = timeOf(t.Created), timeOf(t.Expires)
	var lastUsed any
	if !t.LastUsed.IsZero() {
		t.LastUsed = timeOf(t.LastUsed)
		lastUsed = t.LastUsed
	}
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO tokens (user_id, label, hash, created, expires, last_used) VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, (SELECT name FROM users WHERE id = $1)`,
		t.UserID, t.Label, t.Hash, t.Created, t.Expires, lastUsed).Scan(&t.ID, &t.User)
	switch pgCode(err) {
	case foreignKeyViolation:
		return store.Token{}, store.UserNotFound(strconv.FormatInt(t.UserID, 10))
	case uniqueViolation:
		return store.Token{}, duplicateHash("API token")
	}
	if err != nil {
		return store.Token{}, wrap(ctx, "create API token", "", err)
	}
	return t, nil
}

// TokenByHash returns an API token that has not expired at now, with its
// user.
func (s *Store) TokenByHash(ctx context.Context, hash []byte, now time.Time) (store.Token, store.User, error) {
	var u store.User
	var issuer, subject sql.NullString
	t, err := scanToken(s.db.QueryRowContext(ctx, `
		SELECT `+tokenColumns+`, `+userColumns+`
		FROM tokens AS t JOIN users AS u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.expires > $2`, hash, timeOf(now)),
		&u.ID, &u.Name, &u.Role, &u.PasswordHash, &issuer, &subject, &u.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Token{}, store.User{}, store.TokenNotFound("with this hash")
	}
	if err != nil {
		return store.Token{}, store.User{}, wrap(ctx, "get API token", "", err)
	}
	u.Issuer, u.Subject, u.Created = issuer.String, subject.String, u.Created.UTC()
	return t, u, nil
}

// ListTokens returns every token, ordered by id.
func (s *Store) ListTokens(ctx context.Context) ([]store.Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+tokenColumns+" FROM tokens AS t JOIN users AS u ON u.id = t.user_id ORDER BY t.id")
	if err != nil {
		return nil, wrap(ctx, "list API tokens", "", err)
	}
	tokens, err := sqlstore.Collect(rows, scanToken)
	if err != nil {
		return nil, wrap(ctx, "list API tokens", "", err)
	}
	return tokens, nil
}

// TouchToken records a use of the token; the time only moves forward.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.execOne(ctx, "touch API token", store.TokenNotFound(strconv.FormatInt(id, 10)),
		"UPDATE tokens SET last_used = greatest(last_used, $2) WHERE id = $1", id, timeOf(at))
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	return s.execOne(ctx, "revoke API token", store.TokenNotFound(strconv.FormatInt(id, 10)),
		"DELETE FROM tokens WHERE id = $1", id)
}

// shareColumns are the columns scanShare reads, in its order.
const shareColumns = "sh.id, sh.scenario_id, sh.revision, sh.hash, sh.created_by, sh.created, sh.expires"

func scanShare(row interface{ Scan(...any) error }) (store.Share, error) {
	var sh store.Share
	if err := row.Scan(&sh.ID, &sh.ScenarioID, &sh.Revision, &sh.Hash, &sh.CreatedBy, &sh.Created, &sh.Expires); err != nil {
		return store.Share{}, err
	}
	sh.Created, sh.Expires = sh.Created.UTC(), sh.Expires.UTC()
	return sh, nil
}

// CreateShare stores a link to a live scenario (and an existing revision,
// if it names one), in one statement that finds the scenario live.
func (s *Store) CreateShare(ctx context.Context, sh store.Share) (store.Share, error) {
	if err := store.CheckHash("share link", sh.Hash); err != nil {
		return store.Share{}, err
	}
	if err := store.CheckID(sh.ScenarioID); err != nil {
		return store.Share{}, err
	}
	if err := checkText("user name", sh.CreatedBy); err != nil {
		return store.Share{}, err
	}
	if !storable(sh.ScenarioID) {
		return store.Share{}, store.NotFound(sh.ScenarioID)
	}
	sh.Created, sh.Expires = timeOf(sh.Created), timeOf(sh.Expires)
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO shares (scenario_id, revision, hash, created_by, created, expires)
		SELECT id, $2, $3, $4, $5, $6 FROM scenarios WHERE id = $1 AND deleted_at IS NULL AND revision >= $2 AND $2 >= 0
		RETURNING id`, sh.ScenarioID, int4(sh.Revision), sh.Hash, sh.CreatedBy, sh.Created, sh.Expires).Scan(&sh.ID)
	if pgCode(err) == uniqueViolation {
		return store.Share{}, duplicateHash("share link")
	}
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.live(ctx, sh.ScenarioID); err != nil {
			return store.Share{}, err
		}
		return store.Share{}, store.RevisionNotFound(sh.ScenarioID, sh.Revision)
	}
	if err != nil {
		return store.Share{}, wrap(ctx, "create share link", sh.ScenarioID, err)
	}
	return sh, nil
}

// live returns not found unless the scenario id is stored and not
// deleted.
func (s *Store) live(ctx context.Context, id string) error {
	if !storable(id) {
		return store.NotFound(id)
	}
	var exists bool
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM scenarios WHERE id = $1 AND deleted_at IS NULL)", id).Scan(&exists)
	if err != nil {
		return wrap(ctx, "get scenario", id, err)
	}
	if !exists {
		return store.NotFound(id)
	}
	return nil
}

// ShareByHash returns a link that has not expired, to a live scenario.
func (s *Store) ShareByHash(ctx context.Context, hash []byte, now time.Time) (store.Share, error) {
	sh, err := scanShare(s.db.QueryRowContext(ctx, `
		SELECT `+shareColumns+` FROM shares AS sh JOIN scenarios AS s ON s.id = sh.scenario_id
		WHERE sh.hash = $1 AND sh.expires > $2 AND s.deleted_at IS NULL`, hash, timeOf(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Share{}, store.ShareNotFound("with this secret")
	}
	if err != nil {
		return store.Share{}, wrap(ctx, "get share link", "", err)
	}
	return sh, nil
}

// ListShares returns the unexpired links to a live scenario. The links and
// whether the scenario is live come from one statement.
func (s *Store) ListShares(ctx context.Context, scenarioID string, now time.Time) ([]store.Share, error) {
	if !storable(scenarioID) {
		return nil, store.NotFound(scenarioID)
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+shareColumns+`
		FROM scenarios AS s LEFT JOIN shares AS sh ON sh.scenario_id = s.id AND sh.expires > $2
		WHERE s.id = $1 AND s.deleted_at IS NULL
		ORDER BY sh.id`, scenarioID, timeOf(now))
	if err != nil {
		return nil, wrap(ctx, "list share links of", scenarioID, err)
	}
	defer rows.Close()
	shares := []store.Share{}
	found := false
	for rows.Next() {
		found = true
		var (
			id, revision     sql.NullInt64
			scenario, by     sql.NullString
			hash             []byte
			created, expires sql.NullTime
		)
		if err := rows.Scan(&id, &scenario, &revision, &hash, &by, &created, &expires); err != nil {
			return nil, wrap(ctx, "list share links of", scenarioID, err)
		}
		if !id.Valid {
			continue // the scenario, without links
		}
		shares = append(shares, store.Share{ID: id.Int64, ScenarioID: scenario.String, Revision: int(revision.Int64),
			Hash: hash, CreatedBy: by.String, Created: created.Time.UTC(), Expires: expires.Time.UTC()})
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "list share links of", scenarioID, err)
	}
	if !found {
		return nil, store.NotFound(scenarioID)
	}
	return shares, nil
}

// DeleteShare revokes a link to the scenario.
func (s *Store) DeleteShare(ctx context.Context, scenarioID string, id int64) error {
	if !storable(scenarioID) {
		return store.ShareNotFound(strconv.FormatInt(id, 10))
	}
	return s.execOne(ctx, "revoke share link", store.ShareNotFound(strconv.FormatInt(id, 10)),
		"DELETE FROM shares WHERE id = $1 AND scenario_id = $2", id, scenarioID)
}

// AppendAudit adds an entry to the audit log.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	for what, text := range map[string]string{"actor": e.Actor, "action": e.Action, "target": e.Target, "detail": e.Detail, "address": e.Address} {
		if err := checkText(what, text); err != nil {
			return err
		}
	}
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO audit (at, actor, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6)",
		timeOf(e.Time), e.Actor, e.Action, e.Target, e.Detail, e.Address)
	if err != nil {
		return wrap(ctx, "append to the audit log", "", err)
	}
	return nil
}

// ListAudit returns a page of the audit log, newest first, and its length,
// from one statement: the lateral join gives one row with the total and
// no entry when the page is empty.
func (s *Store) ListAudit(ctx context.Context, opts store.AuditOptions) ([]store.AuditEntry, int, error) {
	if err := store.CheckAudit(opts); err != nil {
		return nil, 0, err
	}
	var limit any // NULL is no limit
	if opts.Limit > 0 {
		limit = opts.Limit
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT p.id, p.at, p.actor, p.action, p.target, p.detail, p.address, t.total
		FROM (SELECT count(*) AS total FROM audit) AS t
		LEFT JOIN LATERAL (SELECT * FROM audit ORDER BY id DESC LIMIT $1 OFFSET $2) AS p ON true
		ORDER BY p.id DESC`, limit, opts.Offset)
	if err != nil {
		return nil, 0, wrap(ctx, "read the audit log", "", err)
	}
	defer rows.Close()
	entries := []store.AuditEntry{}
	total := 0
	for rows.Next() {
		var (
			id                                     sql.NullInt64
			at                                     sql.NullTime
			actor, action, target, detail, address sql.NullString
		)
		if err := rows.Scan(&id, &at, &actor, &action, &target, &detail, &address, &total); err != nil {
			return nil, 0, wrap(ctx, "read the audit log", "", err)
		}
		if !id.Valid {
			continue
		}
		entries = append(entries, store.AuditEntry{ID: id.Int64, Time: at.Time.UTC(), Actor: actor.String, Action: action.String,
			Target: target.String, Detail: detail.String, Address: address.String})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(ctx, "read the audit log", "", err)
	}
	return entries, total, nil
}

// TakeLoginAttempt counts the recent failures of keys and, if none has
// reached limit, records the attempt as a failure of each, in one
// transaction that holds an advisory lock of each key (taken in key
// order, so that two attempts sharing keys cannot deadlock): concurrent
// attempts on a key are counted one after the other.
func (s *Store) TakeLoginAttempt(ctx context.Context, keys []string, now time.Time, window time.Duration, limit int) (time.Time, error) {
	for _, key := range keys {
		if err := checkText("login throttle key", key); err != nil {
			return time.Time{}, err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return time.Time{}, wrap(ctx, "take a login attempt", "", err)
	}
	defer tx.Rollback()
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	now = timeOf(now)
	since := now.Add(-window)
	var retryAt time.Time
	for _, key := range slices.Compact(sorted) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('grantplan login ' || $1, 0))", key); err != nil {
			return time.Time{}, wrap(ctx, "take a login attempt", "", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = $1 AND at <= $2", key, since); err != nil {
			return time.Time{}, wrap(ctx, "take a login attempt", "", err)
		}
		// The limit-th newest failure in the window, if there are that
		// many: the attempt may be made again once it leaves the window.
		var oldest time.Time
		err := tx.QueryRowContext(ctx,
			"SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
			key, since, limit-1).Scan(&oldest)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return time.Time{}, wrap(ctx, "take a login attempt", "", err)
		}
		if until := oldest.UTC().Add(window); until.After(retryAt) {
			retryAt = until
		}
	}
	if !retryAt.IsZero() {
		return retryAt, nil // nothing written: the rollback releases the locks
	}
	for _, key := range keys {
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES ($1, $2)", key, now); err != nil {
			return time.Time{}, wrap(ctx, "take a login attempt", "", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, wrap(ctx, "take a login attempt", "", err)
	}
	return time.Time{}, nil
}

// ClearLoginFailures forgets the failures of keys.
func (s *Store) ClearLoginFailures(ctx context.Context, keys []string) error {
	var storableKeys []string
	for _, key := range keys {
		if storable(key) {
			storableKeys = append(storableKeys, key)
		}
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ANY($1)", storableKeys); err != nil {
		return wrap(ctx, "clear login failures", "", err)
	}
	return nil
}

// DeleteLoginFailures removes the failures, of every key, at or before
// the time.
func (s *Store) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM login_failures WHERE at <= $1", timeOf(before))
	if err != nil {
		return 0, wrap(ctx, "delete old login failures", "", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(ctx, "delete old login failures", "", err)
	}
	return int(n), nil
}

// Secret returns the secret stored under name, storing fresh first if
// there is none: of instances racing, the first insert wins and the
// others, waiting for it, insert nothing and then read what it stored.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if len(fresh) == 0 {
		return nil, store.CheckHash("secret "+name, fresh)
	}
	if err := checkText("secret name", name); err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
		return nil, wrap(ctx, "store secret", name, err)
	}
	var value []byte
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM secrets WHERE name = $1", name).Scan(&value); err != nil {
		return nil, wrap(ctx, "read secret", name, err)
	}
	return value, nil
}
