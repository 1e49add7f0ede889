package service

import (
	"context"
	"errors"
	"sync"
	"testing"

	"grantplan/planner"
	"grantplan/store"
)

// TestLastAdmin: a user may not remove the only admin or give them
// another role; with a second admin they may, and the command line
// always may.
func TestLastAdmin(t *testing.T) {
	f := newAccess(t)
	root := f.addUser(t, "root", RoleAdmin, "a long password")
	f.addUser(t, "anna", RolePlanner, "a long password")
	asRoot := WithActor(context.Background(), Actor{Name: root.Name, UserID: root.ID, Role: RoleAdmin, Via: ViaSession})
	if err := f.svc.SetRole(asRoot, "root", RolePlanner); !errors.Is(err, ErrLastAdmin) || planner.KindOf(err) != planner.KindConflict {
		t.Errorf("demoting the only admin: got %v", err)
	}
	if err := f.svc.RemoveUser(asRoot, "root"); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("removing the only admin: got %v", err)
	}
	if err := f.svc.SetRole(asRoot, "root", RoleAdmin); err != nil {
		t.Errorf("the only admin stays admin: got %v", err)
	}
	if err := f.svc.SetRole(asRoot, "anna", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetRole(asRoot, "root", RoleViewer); err != nil {
		t.Errorf("demoting one of two admins: got %v", err)
	}
	if err := f.svc.RemoveUser(asRoot, "anna"); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("removing the only admin left: got %v", err)
	}
	if err := f.svc.RemoveUser(f.admin, "anna"); err != nil {
		t.Errorf("the command line removing the only admin: got %v", err)
	}
}

// TestLastAdminRace: two admins who demote or remove each other at the
// same moment leave one admin; the other change is ErrLastAdmin.
func TestLastAdminRace(t *testing.T) {
	f := newAccess(t)
	anna := f.addUser(t, "anna", RoleAdmin, "a long password")
	bernd := f.addUser(t, "bernd", RoleAdmin, "a long password")
	as := func(u store.User) context.Context {
		return WithActor(context.Background(), Actor{Name: u.Name, UserID: u.ID, Role: RoleAdmin, Via: ViaSession})
	}
	changes := map[string]func(ctx context.Context, name string) error{
		"demote": func(ctx context.Context, name string) error { return f.svc.SetRole(ctx, name, RoleViewer) },
		"remove": func(ctx context.Context, name string) error { return f.svc.RemoveUser(ctx, name) },
	}
	for what, change := range changes {
		for round := range 20 {
			for _, u := range []store.User{anna, bernd} {
				if err := f.svc.SetRole(f.admin, u.Name, RoleAdmin); err != nil && planner.KindOf(err) == planner.KindNotFound {
					if _, err := f.svc.AddUser(f.admin, u.Name, RoleAdmin, "a long password"); err != nil {
						t.Fatal(err)
					}
				}
			}
			users, err := f.svc.Users(f.admin)
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]store.User{}
			for _, u := range users {
				byName[u.Name] = u
			}
			anna, bernd = byName["anna"], byName["bernd"]
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for i, pair := range [][2]store.User{{anna, bernd}, {bernd, anna}} {
				wg.Go(func() {
					<-start
					errs[i] = change(as(pair[0]), pair[1].Name)
				})
			}
			close(start)
			wg.Wait()
			users, err = f.svc.Users(f.admin)
			if err != nil {
				t.Fatal(err)
			}
			admins := 0
			for _, u := range users {
				if u.Role == string(RoleAdmin) {
					admins++
				}
			}
			refused := 0
			for _, err := range errs {
				if errors.Is(err, ErrLastAdmin) {
					refused++
				} else if err != nil {
					t.Fatalf("%s, round %d: %v", what, round, err)
				}
			}
			if admins != 1 || refused != 1 {
				t.Fatalf("%s, round %d: %d admins left, %d changes refused (%v); want 1 and 1", what, round, admins, refused, errs)
			}
		}
	}
}
