package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// accessTests are the checks of the access records (store.Access) and of
// revision authors; Run runs them with the others.
var accessTests = []struct {
	name string
	test func(t *testing.T, s store.Store)
}{
	{"Authors", testAuthors},
	{"Users", testUsers},
	{"UserIDsNotReused", testUserIDsNotReused},
	{"ConcurrentCreateUser", testConcurrentCreateUser},
	{"Sessions", testSessions},
	{"SessionExpiry", testSessionExpiry},
	{"ConcurrentTouchSession", testConcurrentTouchSession},
	{"SetPasswordEndsSessions", testSetPasswordEndsSessions},
	{"Tokens", testTokens},
	{"DeleteUserCascades", testDeleteUserCascades},
	{"KeepRole", testKeepRole},
	{"ConcurrentKeepRole", testConcurrentKeepRole},
	{"Shares", testShares},
	{"SharesOfDeletedScenario", testSharesOfDeletedScenario},
	{"Audit", testAudit},
	{"LoginThrottle", testLoginThrottle},
	{"ConcurrentLoginAttempts", testConcurrentLoginAttempts},
	{"Secret", testSecret},
	{"ConcurrentSecret", testConcurrentSecret},
}

// t0 is the time the access tests start at: the store has no clock for
// access records, so the tests choose every time, to the microsecond
// that every backend keeps.
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)

// hash is the SHA-256 of a made-up secret, as the application stores it.
func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func mustCreateUser(t testing.TB, s store.Store, name, role string) store.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), store.User{Name: name, Role: role, PasswordHash: "$argon2id$" + name, Created: t0})
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

func mustCreateSession(t testing.TB, s store.Store, userID int64, secret string, idle, expires time.Time) {
	t.Helper()
	err := s.CreateSession(context.Background(), store.Session{Hash: hash(secret), UserID: userID, Created: t0, IdleExpires: idle, Expires: expires})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
}

// wantSession checks whether the session of secret is valid at now.
func wantSession(t testing.TB, s store.Store, secret string, now time.Time, valid bool) {
	t.Helper()
	_, _, err := s.Session(context.Background(), hash(secret), now)
	switch {
	case valid && err != nil:
		t.Errorf("Session(%s) at %v: %v, want it valid", secret, now, err)
	case !valid && planner.KindOf(err) != planner.KindNotFound:
		t.Errorf("Session(%s) at %v: got %v, want not found", secret, now, err)
	}
}

func testAuthors(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Create(ctx, "kim", "KIM", body("KIM")); err != nil {
		t.Fatal(err)
	}
	updated, err := s.Update(store.WithAuthor(ctx, "anna"), "kim", 1, "KIM", body("KIM 2"))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Author != "anna" {
		t.Errorf("Update: got author %q, want anna", updated.Author)
	}
	created, err := s.CreateUnique(store.WithAuthor(ctx, "bernd"), "kim", "KIM", body("KIM copy"))
	if err != nil {
		t.Fatal(err)
	}
	if created.Author != "bernd" || mustGet(t, s, created.ID).Author != "bernd" {
		t.Errorf("CreateUnique: got author %q, want bernd as created and as read", created.Author)
	}
	if got := mustGet(t, s, "kim"); got.Author != "anna" {
		t.Errorf("Get: got author %q, want anna", got.Author)
	}
	first, err := s.Revision(ctx, "kim", 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Author != "" {
		t.Errorf("Revision 1: got author %q, want none", first.Author)
	}
	infos, err := s.Revisions(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[0].Author != "" || infos[1].Author != "anna" {
		t.Errorf("Revisions: got %+v, want no author, then anna", infos)
	}
	if err := s.Delete(ctx, "kim", 2); err != nil {
		t.Fatal(err)
	}
	infos, err = s.DeletedRevisions(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[0].Author != "" || infos[1].Author != "anna" {
		t.Errorf("DeletedRevisions: got %+v, want no author, then anna", infos)
	}
	second, err := s.DeletedRevision(ctx, "kim", 2)
	if err != nil {
		t.Fatal(err)
	}
	if second.Author != "anna" {
		t.Errorf("DeletedRevision 2: got author %q, want anna", second.Author)
	}
}

func testUsers(t *testing.T, s store.Store) {
	ctx := context.Background()
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers of an empty store: got %d, %v", n, err)
	}
	zoe := mustCreateUser(t, s, "zoe", "viewer")
	anna := mustCreateUser(t, s, "anna", "admin")
	oidc, err := s.CreateUser(ctx, store.User{Name: "max", Role: "planner", Issuer: "https://id.example", Subject: "12345", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	if zoe.ID == anna.ID || zoe.ID == 0 || anna.ID == 0 {
		t.Errorf("got ids %d and %d, want two distinct ones", zoe.ID, anna.ID)
	}
	got, err := s.User(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	if got != anna || !got.Created.Equal(t0) || got.Created.Location() != time.UTC || got.PasswordHash != "$argon2id$anna" {
		t.Errorf("User: got %+v, want %+v", got, anna)
	}
	bySubject, err := s.UserBySubject(ctx, "https://id.example", "12345")
	if err != nil || bySubject.ID != oidc.ID || bySubject.Name != "max" {
		t.Errorf("UserBySubject: got %+v, %v, want max", bySubject, err)
	}
	_, err = s.UserBySubject(ctx, "https://other.example", "12345")
	wantKind(t, err, planner.KindNotFound)
	_, err = s.User(ctx, "Anna")
	wantKind(t, err, planner.KindNotFound)

	list, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Name)
	}
	if !slices.Equal(names, []string{"anna", "max", "zoe"}) {
		t.Errorf("ListUsers: got %v, want anna, max, zoe", names)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 3 {
		t.Errorf("CountUsers: got %d, %v, want 3", n, err)
	}

	t.Run("taken", func(t *testing.T) {
		_, err := s.CreateUser(ctx, store.User{Name: "anna", Role: "viewer", Created: t0})
		wantKind(t, err, planner.KindConflict)
		_, err = s.CreateUser(ctx, store.User{Name: "max2", Role: "viewer", Issuer: "https://id.example", Subject: "12345", Created: t0})
		wantKind(t, err, planner.KindConflict)
	})
	t.Run("invalid", func(t *testing.T) {
		for _, u := range []store.User{
			{Role: "viewer"},
			{Name: "x"},
			{Name: "x", Role: "viewer", Issuer: "https://id.example"},
		} {
			_, err := s.CreateUser(ctx, u)
			wantKind(t, err, planner.KindInvalid)
		}
	})
	t.Run("role and password", func(t *testing.T) {
		if err := s.SetRole(ctx, zoe.ID, "planner", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, zoe.ID, "$argon2id$new"); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "zoe")
		if err != nil || got.Role != "planner" || got.PasswordHash != "$argon2id$new" {
			t.Errorf("User after SetRole and SetPassword: got %+v, %v", got, err)
		}
		wantKind(t, s.SetRole(ctx, 9999, "viewer", ""), planner.KindNotFound)
		wantKind(t, s.SetPassword(ctx, 9999, "x"), planner.KindNotFound)
		wantKind(t, s.SetRole(ctx, zoe.ID, "", ""), planner.KindInvalid)
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.DeleteUser(ctx, zoe.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err := s.User(ctx, "zoe")
		wantKind(t, err, planner.KindNotFound)
		wantKind(t, s.DeleteUser(ctx, zoe.ID, ""), planner.KindNotFound)
	})
}

// testUserIDsNotReused: a removed user's id is never given to a new user,
// so that nothing left of the old one can come to belong to the new.
func testUserIDsNotReused(t *testing.T, s store.Store) {
	ctx := context.Background()
	first := mustCreateUser(t, s, "anna", "admin")
	if err := s.DeleteUser(ctx, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	again := mustCreateUser(t, s, "anna", "viewer")
	if again.ID == first.ID {
		t.Errorf("got id %d again for a new user", again.ID)
	}
}

func testConcurrentCreateUser(t *testing.T, s store.Store) {
	ctx := context.Background()
	errs := concurrently(10, func(i int) error {
		_, err := s.CreateUser(ctx, store.User{Name: "anna", Role: fmt.Sprint("role-", i), Created: t0})
		return err
	})
	winner := oneWinner(t, errs, planner.KindConflict)
	if u, err := s.User(ctx, "anna"); err != nil || u.Role != fmt.Sprint("role-", winner) {
		t.Errorf("User: got %+v, %v, want the winner's role-%d", u, err, winner)
	}
}

func testSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	idle, expires := t0.Add(time.Hour), t0.Add(24*time.Hour)
	mustCreateSession(t, s, anna.ID, "one", idle, expires)

	sess, u, err := s.Session(ctx, hash("one"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != anna.ID || u.Name != "anna" || u.Role != "planner" || sess.UserID != anna.ID ||
		!sess.Created.Equal(t0) || !sess.IdleExpires.Equal(idle) || !sess.Expires.Equal(expires) ||
		sess.Expires.Location() != time.UTC || string(sess.Hash) != string(hash("one")) {
		t.Errorf("Session: got %+v of %+v", sess, u)
	}
	wantSession(t, s, "two", t0, false)

	err = s.CreateSession(ctx, store.Session{Hash: hash("one"), UserID: anna.ID, Created: t0, IdleExpires: idle, Expires: expires})
	wantKind(t, err, planner.KindConflict)
	err = s.CreateSession(ctx, store.Session{Hash: hash("x"), UserID: 9999, Created: t0, IdleExpires: idle, Expires: expires})
	wantKind(t, err, planner.KindNotFound)
	err = s.CreateSession(ctx, store.Session{UserID: anna.ID, Created: t0, IdleExpires: idle, Expires: expires})
	wantKind(t, err, planner.KindInvalid)

	// A role changed while signed in counts at once.
	if err := s.SetRole(ctx, anna.ID, "viewer", ""); err != nil {
		t.Fatal(err)
	}
	if _, u, err := s.Session(ctx, hash("one"), t0); err != nil || u.Role != "viewer" {
		t.Errorf("Session after SetRole: got role %q, %v, want viewer", u.Role, err)
	}

	if err := s.DeleteSession(ctx, hash("one")); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "one", t0, false)
	if err := s.DeleteSession(ctx, hash("one")); err != nil {
		t.Errorf("DeleteSession of an ended session: %v, want nil", err)
	}
	wantKind(t, s.TouchSession(ctx, hash("one"), expires), planner.KindNotFound)
}

// testSessionExpiry: a session ends at its idle expiry, which a touch
// moves forward (never back), and at its absolute expiry, which nothing
// moves; DeleteExpiredSessions removes exactly the ended ones.
func testSessionExpiry(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	idle, expires := t0.Add(time.Hour), t0.Add(3*time.Hour)
	mustCreateSession(t, s, anna.ID, "s", idle, expires)

	wantSession(t, s, "s", idle.Add(-time.Microsecond), true)
	wantSession(t, s, "s", idle, false)

	if err := s.TouchSession(ctx, hash("s"), t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "s", idle, true)
	if err := s.TouchSession(ctx, hash("s"), t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "s", t0.Add(2*time.Hour).Add(-time.Microsecond), true)
	wantSession(t, s, "s", t0.Add(2*time.Hour), false)

	// Touched past the absolute expiry, it still ends there.
	if err := s.TouchSession(ctx, hash("s"), t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "s", expires.Add(-time.Microsecond), true)
	wantSession(t, s, "s", expires, false)

	mustCreateSession(t, s, anna.ID, "idle", t0.Add(time.Minute), expires)
	mustCreateSession(t, s, anna.ID, "long", t0.Add(10*time.Hour), t0.Add(20*time.Hour))
	n, err := s.DeleteExpiredSessions(ctx, t0.Add(4*time.Hour))
	if err != nil || n != 2 {
		t.Errorf("DeleteExpiredSessions: got %d, %v, want 2", n, err)
	}
	wantSession(t, s, "long", t0.Add(4*time.Hour), true)
	wantKind(t, s.TouchSession(ctx, hash("idle"), expires), planner.KindNotFound)
}

// testConcurrentTouchSession: of touches at once, the latest idle expiry
// wins whatever their order.
func testConcurrentTouchSession(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	mustCreateSession(t, s, anna.ID, "s", t0.Add(time.Minute), t0.Add(48*time.Hour))
	const touches = 16
	errs := concurrently(touches, func(i int) error {
		return s.TouchSession(ctx, hash("s"), t0.Add(time.Duration(i+1)*time.Hour))
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("touch %d: %v", i, err)
		}
	}
	sess, _, err := s.Session(ctx, hash("s"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(touches * time.Hour); !sess.IdleExpires.Equal(want) {
		t.Errorf("got idle expiry %v, want the latest, %v", sess.IdleExpires, want)
	}
}

// testSetPasswordEndsSessions: a new password ends every session of that
// user and no other user's.
func testSetPasswordEndsSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	bernd := mustCreateUser(t, s, "bernd", "planner")
	later := t0.Add(time.Hour)
	mustCreateSession(t, s, anna.ID, "anna-laptop", later, later)
	mustCreateSession(t, s, anna.ID, "anna-phone", later, later)
	mustCreateSession(t, s, bernd.ID, "bernd", later, later)
	if err := s.SetPassword(ctx, anna.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "anna-laptop", t0, false)
	wantSession(t, s, "anna-phone", t0, false)
	wantSession(t, s, "bernd", t0, true)
}

func testTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	expires := t0.Add(90 * 24 * time.Hour)
	tok, err := s.CreateToken(ctx, store.Token{UserID: anna.ID, Label: "CI", Hash: hash("gpt_1"), Created: t0, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == 0 || tok.User != "anna" || tok.Label != "CI" || !tok.LastUsed.IsZero() {
		t.Errorf("CreateToken: got %+v", tok)
	}
	second, err := s.CreateToken(ctx, store.Token{UserID: anna.ID, Hash: hash("gpt_2"), Created: t0, Expires: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	got, u, err := s.TokenByHash(ctx, hash("gpt_1"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tok.ID || u.Name != "anna" || u.Role != "planner" || !got.Expires.Equal(expires) ||
		got.Expires.Location() != time.UTC || string(got.Hash) != string(hash("gpt_1")) {
		t.Errorf("TokenByHash: got %+v of %+v", got, u)
	}
	_, _, err = s.TokenByHash(ctx, hash("gpt_3"), t0)
	wantKind(t, err, planner.KindNotFound)
	_, _, err = s.TokenByHash(ctx, hash("gpt_2"), t0.Add(time.Hour))
	wantKind(t, err, planner.KindNotFound)
	if _, _, err := s.TokenByHash(ctx, hash("gpt_2"), t0.Add(time.Hour-time.Microsecond)); err != nil {
		t.Errorf("TokenByHash just before expiry: %v", err)
	}

	used := t0.Add(time.Minute)
	if err := s.TouchToken(ctx, tok.ID, used); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchToken(ctx, tok.ID, t0); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != tok.ID || list[1].ID != second.ID || !list[0].LastUsed.Equal(used) ||
		!list[1].LastUsed.IsZero() || list[0].User != "anna" {
		t.Errorf("ListTokens: got %+v, want both, the first last used at %v", list, used)
	}

	_, err = s.CreateToken(ctx, store.Token{UserID: 9999, Hash: hash("gpt_x"), Created: t0, Expires: expires})
	wantKind(t, err, planner.KindNotFound)
	_, err = s.CreateToken(ctx, store.Token{UserID: anna.ID, Created: t0, Expires: expires})
	wantKind(t, err, planner.KindInvalid)
	_, err = s.CreateToken(ctx, store.Token{UserID: anna.ID, Hash: hash("gpt_1"), Created: t0, Expires: expires})
	wantKind(t, err, planner.KindConflict)

	if err := s.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.TokenByHash(ctx, hash("gpt_1"), t0)
	wantKind(t, err, planner.KindNotFound)
	wantKind(t, s.DeleteToken(ctx, tok.ID), planner.KindNotFound)
	wantKind(t, s.TouchToken(ctx, tok.ID, used), planner.KindNotFound)
}

// testDeleteUserCascades: a removed user's sessions and tokens stop
// working with it; the share links they made stay.
func testDeleteUserCascades(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	later := t0.Add(time.Hour)
	mustCreateSession(t, s, anna.ID, "s", later, later)
	if _, err := s.CreateToken(ctx, store.Token{UserID: anna.ID, Hash: hash("gpt"), Created: t0, Expires: later}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "kim", "KIM")
	if _, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim", Hash: hash("share"), CreatedBy: "anna", Created: t0, Expires: later}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, anna.ID, ""); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "s", t0, false)
	_, _, err := s.TokenByHash(ctx, hash("gpt"), t0)
	wantKind(t, err, planner.KindNotFound)
	if list, err := s.ListTokens(ctx); err != nil || len(list) != 0 {
		t.Errorf("ListTokens: got %v, %v, want none", list, err)
	}
	if sh, err := s.ShareByHash(ctx, hash("share"), t0); err != nil || sh.CreatedBy != "anna" {
		t.Errorf("ShareByHash: got %+v, %v, want anna's link", sh, err)
	}
}

// testKeepRole: SetRole and DeleteUser with a role to keep refuse to
// take it from its only user, and do so with two; without, they may.
func testKeepRole(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "admin")
	bernd := mustCreateUser(t, s, "bernd", "planner")
	if err := s.SetRole(ctx, anna.ID, "viewer", "admin"); !errors.Is(err, store.ErrLastOfRole) {
		t.Errorf("SetRole of the only admin: got %v, want ErrLastOfRole", err)
	}
	if err := s.DeleteUser(ctx, anna.ID, "admin"); !errors.Is(err, store.ErrLastOfRole) {
		t.Errorf("DeleteUser of the only admin: got %v, want ErrLastOfRole", err)
	}
	if err := s.SetRole(ctx, anna.ID, "admin", "admin"); err != nil {
		t.Errorf("SetRole of the only admin to admin: %v", err)
	}
	if err := s.SetRole(ctx, bernd.ID, "viewer", "admin"); err != nil {
		t.Errorf("SetRole of a planner: %v", err)
	}
	wantKind(t, s.SetRole(ctx, 9999, "viewer", "admin"), planner.KindNotFound)
	wantKind(t, s.DeleteUser(ctx, 9999, "admin"), planner.KindNotFound)
	if err := s.SetRole(ctx, bernd.ID, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, anna.ID, "viewer", "admin"); err != nil {
		t.Errorf("SetRole of one of two admins: %v", err)
	}
	if err := s.DeleteUser(ctx, bernd.ID, "admin"); !errors.Is(err, store.ErrLastOfRole) {
		t.Errorf("DeleteUser of the admin left: got %v, want ErrLastOfRole", err)
	}
	if err := s.DeleteUser(ctx, bernd.ID, ""); err != nil {
		t.Errorf("DeleteUser of the only admin without a role to keep: %v", err)
	}
}

// testConcurrentKeepRole: two admins demoted or removed at once, each
// keeping an admin, leave one: the other change is refused.
func testConcurrentKeepRole(t *testing.T, s store.Store) {
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "admin")
	bernd := mustCreateUser(t, s, "bernd", "admin")
	for round := range 20 {
		ids := []int64{anna.ID, bernd.ID}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, id := range ids {
			wg.Go(func() {
				<-start
				if round%2 == 0 {
					errs[i] = s.SetRole(ctx, id, "viewer", "admin")
				} else {
					errs[i] = s.DeleteUser(ctx, id, "admin")
				}
			})
		}
		close(start)
		wg.Wait()
		users, err := s.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var admins []store.User
		for _, u := range users {
			if u.Role == "admin" {
				admins = append(admins, u)
			}
		}
		refused := 0
		for _, err := range errs {
			if errors.Is(err, store.ErrLastOfRole) {
				refused++
			} else if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if len(admins) != 1 || refused != 1 {
			t.Fatalf("round %d: %d admins left, %d changes refused (%v); want 1 and 1", round, len(admins), refused, errs)
		}
		// The other one an admin again (or anew) for the next round.
		other := "anna"
		if admins[0].Name == "anna" {
			other = "bernd"
		}
		u, err := s.User(ctx, other)
		if planner.KindOf(err) == planner.KindNotFound {
			u = mustCreateUser(t, s, other, "admin")
		} else if err != nil {
			t.Fatal(err)
		} else if err := s.SetRole(ctx, u.ID, "admin", ""); err != nil {
			t.Fatal(err)
		}
		anna, bernd = admins[0], u
	}
}

func testShares(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	mustUpdate(t, s, "kim", 1, "KIM 2")
	mustCreate(t, s, "other", "Other")
	week := t0.Add(7 * 24 * time.Hour)

	current, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim", Hash: hash("a"), CreatedBy: "anna", Created: t0, Expires: week})
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim", Revision: 1, Hash: hash("b"), CreatedBy: "anna", Created: t0, Expires: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if current.ID == 0 || pinned.ID == current.ID {
		t.Errorf("got ids %d and %d, want two distinct ones", current.ID, pinned.ID)
	}
	got, err := s.ShareByHash(ctx, hash("b"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != pinned.ID || got.ScenarioID != "kim" || got.Revision != 1 || got.CreatedBy != "anna" ||
		!got.Created.Equal(t0) || got.Created.Location() != time.UTC || !got.Expires.Equal(t0.Add(time.Hour)) {
		t.Errorf("ShareByHash: got %+v, want %+v", got, pinned)
	}

	list, err := s.ListShares(ctx, "kim", t0)
	if err != nil || len(list) != 2 || list[0].ID != current.ID || list[1].ID != pinned.ID {
		t.Errorf("ListShares: got %+v, %v, want both links", list, err)
	}
	if list, err := s.ListShares(ctx, "kim", t0.Add(time.Hour)); err != nil || len(list) != 1 || list[0].ID != current.ID {
		t.Errorf("ListShares after the pinned link expired: got %+v, %v, want the other", list, err)
	}
	if list, err := s.ListShares(ctx, "other", t0); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListShares of a scenario without links: got %#v, %v, want empty", list, err)
	}
	_, err = s.ShareByHash(ctx, hash("b"), t0.Add(time.Hour))
	wantKind(t, err, planner.KindNotFound)
	_, err = s.ShareByHash(ctx, hash("c"), t0)
	wantKind(t, err, planner.KindNotFound)

	t.Run("create refused", func(t *testing.T) {
		for _, sh := range []store.Share{
			{ScenarioID: "nothing", Hash: hash("x"), Created: t0, Expires: week},
			{ScenarioID: "kim", Revision: 3, Hash: hash("x"), Created: t0, Expires: week},
		} {
			_, err := s.CreateShare(ctx, sh)
			wantKind(t, err, planner.KindNotFound)
		}
		_, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim", Created: t0, Expires: week})
		wantKind(t, err, planner.KindInvalid)
		_, err = s.CreateShare(ctx, store.Share{ScenarioID: "kim", Hash: hash("a"), Created: t0, Expires: week})
		wantKind(t, err, planner.KindConflict)
	})

	wantKind(t, s.DeleteShare(ctx, "other", current.ID), planner.KindNotFound)
	if err := s.DeleteShare(ctx, "kim", current.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ShareByHash(ctx, hash("a"), t0)
	wantKind(t, err, planner.KindNotFound)
	wantKind(t, s.DeleteShare(ctx, "kim", current.ID), planner.KindNotFound)
}

// testSharesOfDeletedScenario: a deleted scenario's links stop working and
// no new one can be made.
func testSharesOfDeletedScenario(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	week := t0.Add(7 * 24 * time.Hour)
	if _, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim", Hash: hash("a"), Created: t0, Expires: week}); err != nil {
		t.Fatal(err)
	}
	mustDelete(t, s, "kim", 1)
	_, err := s.ShareByHash(ctx, hash("a"), t0)
	wantKind(t, err, planner.KindNotFound)
	_, err = s.ListShares(ctx, "kim", t0)
	wantKind(t, err, planner.KindNotFound)
	_, err = s.CreateShare(ctx, store.Share{ScenarioID: "kim", Hash: hash("b"), Created: t0, Expires: week})
	wantKind(t, err, planner.KindNotFound)
}

func testAudit(t *testing.T, s store.Store) {
	ctx := context.Background()
	if list, total, err := s.ListAudit(ctx, store.AuditOptions{}); err != nil || total != 0 || list == nil || len(list) != 0 {
		t.Fatalf("ListAudit of an empty log: got %#v, %d, %v", list, total, err)
	}
	var appended []store.AuditEntry
	for i := range 5 {
		e := store.AuditEntry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "anna", Action: "scenario.update",
			Target: "kim", Detail: fmt.Sprint("revision ", i+2), Address: "192.0.2.1"}
		if i == 4 {
			e = store.AuditEntry{Time: t0, Actor: "cli", Action: "user.add", Target: "anna"}
		}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		appended = append(appended, e)
	}
	all, total, err := s.ListAudit(ctx, store.AuditOptions{})
	if err != nil || total != 5 || len(all) != 5 {
		t.Fatalf("ListAudit: got %d entries of %d, %v, want 5", len(all), total, err)
	}
	for i, got := range all {
		want := appended[4-i]
		if got.Actor != want.Actor || got.Action != want.Action || got.Target != want.Target || got.Detail != want.Detail ||
			got.Address != want.Address || !got.Time.Equal(want.Time) || got.Time.Location() != time.UTC {
			t.Errorf("entry %d: got %+v, want %+v (newest first)", i, got, want)
		}
		if i > 0 && got.ID >= all[i-1].ID {
			t.Errorf("entry %d: id %d, want less than the newer entry's %d", i, got.ID, all[i-1].ID)
		}
	}
	page, total, err := s.ListAudit(ctx, store.AuditOptions{Offset: 1, Limit: 2})
	if err != nil || total != 5 || len(page) != 2 || page[0].ID != all[1].ID || page[1].ID != all[2].ID {
		t.Errorf("ListAudit(offset 1, limit 2): got %+v, %d, %v", page, total, err)
	}
	_, _, err = s.ListAudit(ctx, store.AuditOptions{Offset: -1})
	wantKind(t, err, planner.KindInvalid)
}

func testLoginThrottle(t *testing.T, s store.Store) {
	ctx := context.Background()
	const window, limit = 15 * time.Minute, 5
	keys := []string{"name:anna", "addr:192.0.2.1"}
	take := func(keys []string, now time.Time) time.Time {
		t.Helper()
		retry, err := s.TakeLoginAttempt(ctx, keys, now, window, limit)
		if err != nil {
			t.Fatal(err)
		}
		return retry
	}
	for i := range limit {
		if retry := take(keys, t0.Add(time.Duration(i)*time.Minute)); !retry.IsZero() {
			t.Fatalf("attempt %d: refused until %v, want it let through", i+1, retry)
		}
	}
	// The sixth within the window is refused until the first failure
	// leaves it, and is not counted.
	now := t0.Add(10 * time.Minute)
	if retry := take(keys, now); !retry.Equal(t0.Add(window)) {
		t.Errorf("attempt 6: got retry at %v, want %v", retry, t0.Add(window))
	}
	if retry := take([]string{"addr:192.0.2.1", "name:bernd"}, now); !retry.Equal(t0.Add(window)) {
		t.Errorf("another name from the throttled address: got retry at %v, want %v", retry, t0.Add(window))
	}
	if retry := take([]string{"name:bernd", "addr:192.0.2.2"}, now); !retry.IsZero() {
		t.Errorf("another name and address: refused until %v", retry)
	}
	// Once the first failure is out of the window, one more attempt may be
	// made, and then the next failure's turn comes.
	if retry := take(keys, t0.Add(window)); !retry.IsZero() {
		t.Errorf("after the window: refused until %v", retry)
	}
	if retry := take(keys, t0.Add(window)); !retry.Equal(t0.Add(time.Minute + window)) {
		t.Errorf("again after the window: got retry at %v, want %v", retry, t0.Add(time.Minute+window))
	}
	// A success clears the count.
	if err := s.ClearLoginFailures(ctx, keys); err != nil {
		t.Fatal(err)
	}
	if retry := take(keys, t0.Add(window)); !retry.IsZero() {
		t.Errorf("after a success: refused until %v", retry)
	}
	// Failures at or before a time are removed, of every key; later ones
	// stay and count.
	take([]string{"name:tried-once", "addr:192.0.2.3"}, t0.Add(2*window))
	n, err := s.DeleteLoginFailures(ctx, t0.Add(window))
	if err != nil || n != 4 {
		t.Errorf("DeleteLoginFailures: got %d, %v, want the 4 failures of bernd, 192.0.2.2, anna and 192.0.2.1", n, err)
	}
	if n, err := s.DeleteLoginFailures(ctx, t0.Add(window)); err != nil || n != 0 {
		t.Errorf("DeleteLoginFailures again: got %d, %v, want 0", n, err)
	}
	for i := range limit - 1 {
		take([]string{"name:tried-once"}, t0.Add(2*window+time.Duration(i+1)*time.Second))
	}
	if retry := take([]string{"name:tried-once"}, t0.Add(2*window+time.Minute)); retry.IsZero() {
		t.Errorf("a key whose failures are in the window: let through, want refused")
	}
}

// testConcurrentLoginAttempts: of many attempts at once on one key, no
// more than the limit are let through.
func testConcurrentLoginAttempts(t *testing.T, s store.Store) {
	ctx := context.Background()
	const attempts, limit = 20, 5
	var allowed [attempts]bool
	errs := concurrently(attempts, func(i int) error {
		retry, err := s.TakeLoginAttempt(ctx, []string{"name:anna", fmt.Sprint("addr:192.0.2.", i)}, t0, 15*time.Minute, limit)
		allowed[i] = err == nil && retry.IsZero()
		return err
	})
	n := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("attempt %d: %v", i, err)
		}
		if allowed[i] {
			n++
		}
	}
	if n != limit {
		t.Errorf("%d of %d attempts at once were let through, want %d", n, attempts, limit)
	}
}

func testSecret(t *testing.T, s store.Store) {
	ctx := context.Background()
	first, err := s.Secret(ctx, "csrf", []byte("first secret"))
	if err != nil || string(first) != "first secret" {
		t.Fatalf("Secret: got %q, %v, want the fresh value", first, err)
	}
	again, err := s.Secret(ctx, "csrf", []byte("second secret"))
	if err != nil || string(again) != "first secret" {
		t.Errorf("Secret again: got %q, %v, want the stored value", again, err)
	}
	other, err := s.Secret(ctx, "other", []byte("other secret"))
	if err != nil || string(other) != "other secret" {
		t.Errorf("Secret of another name: got %q, %v", other, err)
	}
	_, err = s.Secret(ctx, "empty", nil)
	wantKind(t, err, planner.KindInvalid)
}

func testConcurrentSecret(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 10
	var got [n][]byte
	errs := concurrently(n, func(i int) error {
		var err error
		got[i], err = s.Secret(ctx, "csrf", []byte(fmt.Sprint("secret ", i)))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if string(got[i]) != string(got[0]) {
			t.Errorf("call %d got %q, call 0 %q: want one secret for all", i, got[i], got[0])
		}
	}
}
