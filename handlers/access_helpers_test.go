package handlers

import (
	"context"
	"net/http"
	"testing"

	"grantplan/handlers/api"
	"grantplan/planner"
	"grantplan/service"
)

// testPasswords make password hashes cheap in the tests; the parameters
// of a real server are benchmarked in package service.
var testPasswords = service.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// testStore is a store the router's tests run on: the service's records
// and the health check.
type testStore interface {
	service.Store
	api.HealthChecker
}

// testDeps returns the router's dependencies on st: the service with
// opts, and the authentication on the same store.
func testDeps(t testing.TB, st testStore, opts service.Options) Deps {
	t.Helper()
	opts.Password = testPasswords
	auth := service.NewAuth(st, opts)
	opts.Auth = auth
	return Deps{Service: service.New(st, opts), Auth: auth, Health: st}
}

// asCommandLine is the context of the command line, which may do
// everything: the tests make users and tokens with it.
func asCommandLine() context.Context {
	return service.WithActor(context.Background(), service.CommandLine("test"))
}

// userPassword is the password of every user the tests make.
const userPassword = "a password for tests"

// addUser makes the user name with role, unless there is one.
func addUser(t testing.TB, deps Deps, name string, role service.Role) {
	t.Helper()
	_, err := deps.Service.AddUser(asCommandLine(), name, role, userPassword)
	if err != nil && planner.KindOf(err) != planner.KindConflict {
		t.Fatalf("add user %s: %v", name, err)
	}
}

// tokenOf returns a new API token of the user name with role, made first
// if need be.
func tokenOf(t testing.TB, deps Deps, name string, role service.Role) string {
	t.Helper()
	addUser(t, deps, name, role)
	tok, err := deps.Service.AddToken(asCommandLine(), name, "test", planner.Period{})
	if err != nil {
		t.Fatalf("token of %s: %v", name, err)
	}
	return tok.Secret
}

// bearer is the Authorization header of a token.
func bearer(token string) header { return header{"Authorization", "Bearer " + token} }

// sessionOf signs the user name with role in (made first if need be) and
// returns the session cookie's value.
func sessionOf(t testing.TB, deps Deps, name string, role service.Role) string {
	t.Helper()
	addUser(t, deps, name, role)
	login, err := deps.Auth.Login(context.Background(), name, userPassword, "192.0.2.1")
	if err != nil {
		t.Fatalf("sign %s in: %v", name, err)
	}
	return login.ID
}

// csrfOf is the CSRF token of a form in a browser whose session cookie
// has the value.
func csrfOf(t testing.TB, deps Deps, cookie string) string {
	t.Helper()
	token, err := deps.Auth.MAC(context.Background(), "csrf", cookie)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// withCookie adds the session cookie to a request.
func withCookie(req *http.Request, value string) *http.Request {
	req.AddCookie(&http.Cookie{Name: "grantplan_session", Value: value})
	return req
}

// tokenIDOf returns the number of a new API token of the user name, a
// viewer made first if need be.
func tokenIDOf(t testing.TB, deps Deps, name string) int64 {
	t.Helper()
	addUser(t, deps, name, service.RoleViewer)
	tok, err := deps.Service.AddToken(asCommandLine(), name, "test", planner.Period{})
	if err != nil {
		t.Fatalf("token of %s: %v", name, err)
	}
	return tok.ID
}
