package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"grantplan/planner"
)

// TestChangePassword: a signed-in user changes their own password with
// the current one; every session of theirs ends and a new one begins; a
// wrong current password counts toward the login throttle.
func TestChangePassword(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RolePlanner, "the old password")
	ctx := context.Background()
	login, err := f.auth.Login(ctx, "anna", "the old password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.auth.Login(ctx, "anna", "the old password", "192.0.2.9")
	if err != nil {
		t.Fatal(err)
	}
	asAnna := WithActor(ctx, login.Actor)

	var v *planner.ValidationError
	if _, err := f.auth.ChangePassword(asAnna, "the old password", "short"); !errors.As(err, &v) || v.Problems[0].Path != "password" {
		t.Errorf("a short new password: got %v, want a problem at password", err)
	}
	if _, err := f.auth.ChangePassword(asAnna, "not the password", "a new long password"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("a wrong current password: got %v", err)
	}
	made, err := f.auth.ChangePassword(asAnna, "the old password", "a new long password")
	if err != nil {
		t.Fatal(err)
	}
	for what, id := range map[string]string{"this session": login.ID, "another session": other.ID} {
		if _, err := f.auth.Session(ctx, id, ""); !errors.Is(err, ErrNoSession) {
			t.Errorf("%s after the change: got %v, want it ended", what, err)
		}
	}
	if a, err := f.auth.Session(ctx, made.ID, ""); err != nil || a.Name != "anna" || a.Role != RolePlanner {
		t.Errorf("the new session: got %+v, %v", a, err)
	}
	if _, err := f.auth.Login(ctx, "anna", "the old password", ""); !errors.Is(err, ErrLoginFailed) {
		t.Errorf("login with the old password: got %v", err)
	}
	if _, err := f.auth.Login(ctx, "anna", "a new long password", ""); err != nil {
		t.Errorf("login with the new password: got %v", err)
	}
	audit := strings.Join(f.audit(t), "\n")
	for _, want := range []string{"anna|user.password.failed|anna|wrong current password|192.0.2.1",
		"anna|user.password|anna|own password, sessions ended|192.0.2.1",
		"anna|login|anna|password change|192.0.2.1"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, "the old password") || strings.Contains(audit, "a new long password") {
		t.Errorf("a password is in the audit log:\n%s", audit)
	}

	// Wrong guesses through the form are failed logins: after
	// LoginLimit of them the form and the login are refused alike.
	asAnna = WithActor(ctx, made.Actor)
	for i := range LoginLimit - 1 {
		if _, err := f.auth.ChangePassword(asAnna, "guess", "a third long password"); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("guess %d: got %v", i+1, err)
		}
	}
	if _, err := f.auth.Login(ctx, "anna", "another guess", "192.0.2.50"); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("the fifth failure, a login: got %v", err)
	}
	var throttled *ThrottledError
	if _, err := f.auth.ChangePassword(asAnna, "a new long password", "a third long password"); !errors.As(err, &throttled) {
		t.Errorf("the right password after five failures: got %v, want throttled", err)
	}
	if _, err := f.auth.Login(ctx, "anna", "a new long password", "192.0.2.51"); !errors.As(err, &throttled) {
		t.Errorf("a login after five failures: got %v, want throttled", err)
	}
}

// TestChangePasswordRefused: only a signed-in local user changes their
// own password.
func TestChangePasswordRefused(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RolePlanner, "the old password")
	ctx := context.Background()
	ext, err := f.auth.LoginExternal(ctx, ExternalLogin{Issuer: "https://id.kreis.example", Subject: "u-1", Name: "max", Role: RolePlanner}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.ChangePassword(WithActor(ctx, ext.Actor), "", "a new long password"); !errors.Is(err, ErrExternalUser) {
		t.Errorf("a provider's user: got %v", err)
	}
	if err := f.svc.SetPassword(f.admin, "max", "a new long password"); !errors.Is(err, ErrExternalUser) {
		t.Errorf("an admin setting a provider's user's password: got %v", err)
	}
	var denied *AccessError
	for what, actor := range map[string]Actor{
		"an API token":     {Name: "anna", UserID: 1, Role: RolePlanner, Via: ViaToken},
		"an anonymous one": {Role: RoleViewer, Via: ViaAnonymous},
		"the command line": CommandLine("root"),
	} {
		if _, err := f.auth.ChangePassword(WithActor(ctx, actor), "the old password", "a new long password"); !errors.As(err, &denied) {
			t.Errorf("%s: got %v, want refused", what, err)
		}
	}
}
