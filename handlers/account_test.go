package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store"
)

// TestAccountPage: the header links to the account page, which names the
// user and their role and offers the form to change the password.
func TestAccountPage(t *testing.T) {
	pc := newPageClientAs(t, "anna", service.RolePlanner)
	wantPage(t, "header", pc.get("/?lang=de"), http.StatusOK, `<a class="user" href="/account" data-role="planner"`, "anna (Planung)")
	wantPage(t, "account", pc.get("/account"), http.StatusOK, "<h1>Ihr Konto</h1>", "<dd>anna</dd><dt>Rolle</dt><dd>Planung</dd>",
		`<label for="account-current">Aktuelles Passwort</label>`, `<label for="account-password">Neues Passwort</label>`,
		`<label for="account-repeat">Neues Passwort wiederholen</label>`, `action="/account/password"`, `name="csrf"`, "Mindestens 12 Zeichen")
}

// TestChangeOwnPassword: the form changes the password; the browser stays
// signed in with a new session, every other session ends, and the audit
// log records it.
func TestChangeOwnPassword(t *testing.T) {
	pc := newPageClientAs(t, "anna", service.RolePlanner)
	before := pc.cookies[web.SessionCookie]
	other := sessionOf(t, pc.deps, "anna", service.RolePlanner)
	rec := pc.post("/account/password", url.Values{"current": {userPassword}, "password": {"a brand new password"}, "repeat": {"a brand new password"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account?changed=1" {
		t.Fatalf("change: got %d to %q: %s", rec.Code, rec.Header().Get("Location"), truncate(rec.Body.String()))
	}
	after := pc.cookies[web.SessionCookie]
	if after == before || service.IsPreSession(after) {
		t.Fatalf("got session cookie %q after the change, want a new session", after)
	}
	ctx := context.Background()
	for what, id := range map[string]string{"the old session": before, "another browser's": other} {
		if _, err := pc.deps.Auth.Session(ctx, id, ""); !errors.Is(err, service.ErrNoSession) {
			t.Errorf("%s after the change: got %v, want it ended", what, err)
		}
	}
	wantPage(t, "confirmation", pc.get(rec.Header().Get("Location")), http.StatusOK, `<p class="flash" role="status">Your password is changed.`)
	if _, err := pc.deps.Auth.Login(ctx, "anna", "a brand new password", ""); err != nil {
		t.Errorf("login with the new password: got %v", err)
	}
	entries, _, err := pc.store.ListAudit(ctx, store.AuditOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Actor+" "+e.Action+" "+e.Target)
	}
	if !strings.Contains(strings.Join(actions, "\n"), "anna user.password anna") {
		t.Errorf("the audit log lacks the change:\n%s", strings.Join(actions, "\n"))
	}
}

// TestChangeOwnPasswordRefused: each wrong form comes back with its
// problem beside the field; wrong current passwords count toward the
// login throttle; a form without its CSRF token is refused.
func TestChangeOwnPasswordRefused(t *testing.T) {
	pc := newPageClientAs(t, "anna", service.RolePlanner)
	tests := []struct {
		name                      string
		current, password, repeat string
		status                    int
		want                      []string
	}{
		{"too short", userPassword, "short", "short", 422,
			[]string{`aria-describedby="account-password-hint account-password-error" aria-invalid="true"`, `<span class="field-error" id="account-password-error">A password needs at least 12 characters.</span>`}},
		{"mismatch", userPassword, "a brand new password", "a brand new passwort", 422,
			[]string{`<span class="field-error" id="account-repeat-error">The two new passwords differ.</span>`}},
		{"no current", "", "a brand new password", "a brand new password", 422,
			[]string{`<span class="field-error" id="account-current-error">Type your current password.</span>`}},
		{"wrong current", "not my password", "a brand new password", "a brand new password", 422,
			[]string{`<span class="field-error" id="account-current-error">This is not your current password.</span>`}},
	}
	for _, tt := range tests {
		rec := pc.post("/account/password", url.Values{"current": {tt.current}, "password": {tt.password}, "repeat": {tt.repeat}})
		wantPage(t, tt.name, rec, tt.status, tt.want...)
	}
	de := pc.post("/account/password?lang=de", url.Values{"current": {userPassword}, "password": {"kurz"}, "repeat": {"kurz"}})
	wantPage(t, "German", de, http.StatusUnprocessableEntity, "Ein Passwort braucht mindestens 12 Zeichen.")
	pc.get("/?lang=en")

	// A form without the CSRF token changes nothing.
	rec := pc.postRaw("/account/password", url.Values{"current": {userPassword}, "password": {"a brand new password"}, "repeat": {"a brand new password"}})
	wantPage(t, "without CSRF", rec, http.StatusForbidden)

	// One wrong current password is in; four more make the throttle
	// refuse the form, the right password too, and the login.
	for i := range service.LoginLimit - 1 {
		rec := pc.post("/account/password", url.Values{"current": {"guess " + strconv.Itoa(i)}, "password": {"a brand new password"}, "repeat": {"a brand new password"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: got %d", i+1, rec.Code)
		}
	}
	rec = pc.post("/account/password", url.Values{"current": {userPassword}, "password": {"a brand new password"}, "repeat": {"a brand new password"}})
	wantPage(t, "throttled", rec, http.StatusTooManyRequests, "Too many failed attempts. Try again in 15 minutes.")
	if retry, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || retry < 14*60 || retry > 15*60 {
		t.Errorf("got Retry-After %q, want about 900 seconds", rec.Header().Get("Retry-After"))
	}
	var throttled *service.ThrottledError
	if _, err := pc.deps.Auth.Login(context.Background(), "anna", userPassword, "198.51.100.1"); !errors.As(err, &throttled) {
		t.Errorf("a login after the guesses: got %v, want throttled", err)
	}
	if _, err := pc.deps.Auth.Login(context.Background(), "anna", "a brand new password", "198.51.100.2"); !errors.As(err, &throttled) {
		t.Errorf("the password is changed nonetheless: %v", err)
	}
}

// TestAccountExternal: a user who signs in through the provider sees
// their account without a password form, and cannot post one.
func TestAccountExternal(t *testing.T) {
	pc := newPageClientAs(t, "", "")
	login, err := pc.deps.Auth.LoginExternal(context.Background(), service.ExternalLogin{Issuer: "https://id.kreis.example", Subject: "u-1",
		Name: "max", Role: service.RoleViewer}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	pc.cookies[web.SessionCookie] = login.ID
	rec := pc.get("/account")
	wantPage(t, "account", rec, http.StatusOK, "<dd>max</dd>", "You sign in through https://id.kreis.example, which keeps your password")
	if strings.Contains(rec.Body.String(), `action="/account/password"`) {
		t.Errorf("a provider's user is offered the password form")
	}
	rec = pc.post("/account/password", url.Values{"current": {"x"}, "password": {"a brand new password"}, "repeat": {"a brand new password"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a provider's user posting the form: got %d, want 422", rec.Code)
	}
}
