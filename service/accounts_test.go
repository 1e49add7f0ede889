package service

import (
	"context"
	"errors"
	"testing"

	"grantplan/planner"
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
