package service

import (
	"context"
	"testing"
)

// BenchmarkLogin is a login with the password parameters of a real server
// (DefaultPasswordParams): the argon2id hash is most of it, and by design
// it takes 50–500 ms (docs/deployment.md, Passwords).
func BenchmarkLogin(b *testing.B) {
	st := openStore(b)
	opts := Options{}
	svc, auth := New(st, opts), NewAuth(st, opts)
	admin := WithActor(context.Background(), CommandLine(""))
	if _, err := svc.AddUser(admin, "anna", RolePlanner, "the right password"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := auth.Login(context.Background(), "anna", "the right password", "192.0.2.1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToken is the recognition of an API token on a request: a hash
// and a lookup in the cache, no query and no password hash.
func BenchmarkToken(b *testing.B) {
	st := openStore(b)
	opts := Options{Password: cheapPasswords}
	svc, auth := New(st, opts), NewAuth(st, opts)
	admin := WithActor(context.Background(), CommandLine(""))
	if _, err := svc.AddUser(admin, "ci", RoleViewer, "a long password"); err != nil {
		b.Fatal(err)
	}
	tok, err := svc.AddToken(admin, "ci", "", DefaultTokenValidity)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := auth.Token(context.Background(), tok.Secret, "192.0.2.1"); err != nil {
			b.Fatal(err)
		}
	}
}
