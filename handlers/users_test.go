package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store"
)

// madePassword is the password a page shows once.
var madePassword = regexp.MustCompile(`id="made-password" class="share-url" value="([A-Za-z0-9]{22})"`)

// auditActions returns the audit log's newest entries as "actor action
// target" lines.
func auditActions(t *testing.T, pc *pageClient) string {
	t.Helper()
	entries, _, err := pc.store.ListAudit(context.Background(), store.AuditOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range entries {
		lines = append(lines, e.Actor+" "+e.Action+" "+e.Target)
	}
	return strings.Join(lines, "\n")
}

// TestUsersPage: the admin sees every user with their role and how they
// sign in, and the controls, labelled.
func TestUsersPage(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	addUser(t, pc.deps, "anna", service.RolePlanner)
	wantPage(t, "users", pc.get("/admin/users?lang=de"), http.StatusOK, "<h1>Benutzer und API-Tokens</h1>",
		"<td>anna</td><td>Planung</td>", "<td>root <small>(Sie)</small></td><td>Administration</td>",
		`<label for="role-anna" class="visually-hidden">Rolle von anna</label>`, `<option value="planner" selected>Planung</option>`,
		`action="/admin/users/anna/password"`, `href="/admin/users/anna/delete"`,
		`<label for="add-name">Benutzername</label>`, `<label for="add-role">Rolle</label>`, `name="csrf"`)
}

// TestAddUser: the form adds a user with a made password, shown once,
// with which they sign in; a bad or taken name or an unknown role comes
// back beside its field.
func TestAddUser(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	rec := pc.post("/admin/users", url.Values{"name": {"Bernd"}, "role": {"planner"}})
	wantPage(t, "add", rec, http.StatusCreated, "Added bernd", "<td>bernd</td><td>planner</td>")
	m := madePassword.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("the page shows no password:\n%s", truncate(rec.Body.String()))
	}
	login, err := pc.deps.Auth.Login(context.Background(), "bernd", m[1], "")
	if err != nil || login.Actor.Role != service.RolePlanner {
		t.Errorf("bernd's login with the password shown: got %+v, %v", login.Actor, err)
	}
	if strings.Contains(pc.get("/admin/users").Body.String(), m[1]) {
		t.Errorf("the password is shown again")
	}
	if a := auditActions(t, pc); !strings.Contains(a, "root user.add bernd") || strings.Contains(a, m[1]) {
		t.Errorf("the audit log:\n%s", a)
	}

	tests := []struct {
		name, user, role, want string
	}{
		{"taken", "BERND", "viewer", `<span class="field-error" id="add-name-error">A user of this name exists already.</span>`},
		{"bad name", "bernd meier", "viewer", `<span class="field-error" id="add-name-error">A user name has 1 to 64 characters`},
		{"empty name", "", "viewer", `id="add-name-error"`},
		{"bad role", "carla", "boss", `<span class="field-error" id="add-role-error">Choose a role`},
	}
	for _, tt := range tests {
		rec := pc.post("/admin/users", url.Values{"name": {tt.user}, "role": {tt.role}})
		wantPage(t, tt.name, rec, http.StatusUnprocessableEntity, tt.want, `value="`+tt.user+`"`)
	}
	wantPage(t, "German", pc.post("/admin/users?lang=de", url.Values{"name": {"a b"}, "role": {"viewer"}}), http.StatusUnprocessableEntity,
		"Ein Benutzername hat 1 bis 64 Zeichen")
}

// TestSetRoleAndResetPassword: the admin changes a role and makes a new
// password, which ends the user's sessions.
func TestSetRoleAndResetPassword(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	anna := sessionOf(t, pc.deps, "anna", service.RolePlanner)
	rec := pc.post("/admin/users/anna/role", url.Values{"role": {"viewer"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users?changed=anna" {
		t.Fatalf("role: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "after the role", pc.get(rec.Header().Get("Location")), http.StatusOK, "anna has a new role", "<td>anna</td><td>viewer</td>")
	if a, err := pc.deps.Auth.Session(context.Background(), anna, ""); err != nil || a.Role != service.RoleViewer {
		t.Errorf("anna's session after the role change: got %+v, %v", a, err)
	}
	wantPage(t, "unknown role", pc.post("/admin/users/anna/role", url.Values{"role": {"boss"}}), http.StatusUnprocessableEntity, "Choose a role")
	wantPage(t, "unknown user", pc.post("/admin/users/nobody/role", url.Values{"role": {"viewer"}}), http.StatusNotFound, "There is no such user.")

	rec = pc.post("/admin/users/anna/password", url.Values{})
	wantPage(t, "reset", rec, http.StatusOK, "New password of anna")
	m := madePassword.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("the page shows no password")
	}
	if _, err := pc.deps.Auth.Session(context.Background(), anna, ""); !errors.Is(err, service.ErrNoSession) {
		t.Errorf("anna's session after the reset: got %v, want it ended", err)
	}
	if _, err := pc.deps.Auth.Login(context.Background(), "anna", m[1], ""); err != nil {
		t.Errorf("anna's login with the new password: %v", err)
	}
	wantPage(t, "reset nobody", pc.post("/admin/users/nobody/password", url.Values{}), http.StatusNotFound)
	if a := auditActions(t, pc); !strings.Contains(a, "root user.role anna") || !strings.Contains(a, "root user.password anna") {
		t.Errorf("the audit log:\n%s", a)
	}

	// A provider's user has no password here to reset.
	if _, err := pc.deps.Auth.LoginExternal(context.Background(), service.ExternalLogin{Issuer: "https://id.kreis.example", Subject: "u-1",
		Name: "max", Role: service.RoleViewer}, ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pc.get("/admin/users").Body.String(), `action="/admin/users/max/password"`) {
		t.Errorf("a provider's user is offered a new password")
	}
	wantPage(t, "reset a provider's user", pc.post("/admin/users/max/password", url.Values{}), http.StatusUnprocessableEntity, "OpenID provider")
}

// TestRemoveUser: the question first, then the removal with the user's
// sessions.
func TestRemoveUser(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	anna := sessionOf(t, pc.deps, "anna", service.RolePlanner)
	wantPage(t, "question", pc.get("/admin/users/anna/delete"), http.StatusOK, "Remove anna?", `action="/admin/users/anna/delete"`,
		`<button type="submit" class="danger">Remove anna</button>`, `href="/admin/users"`)
	wantPage(t, "question of nobody", pc.get("/admin/users/nobody/delete"), http.StatusNotFound)
	rec := pc.post("/admin/users/anna/delete", url.Values{})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users?removed=anna" {
		t.Fatalf("remove: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	body := pc.get(rec.Header().Get("Location")).Body.String()
	if !strings.Contains(body, "Removed anna with their sessions and API tokens.") || strings.Contains(body, "<td>anna</td>") {
		t.Errorf("after the removal:\n%s", truncate(body))
	}
	if _, err := pc.deps.Auth.Session(context.Background(), anna, ""); !errors.Is(err, service.ErrNoSession) {
		t.Errorf("anna's session: got %v, want it ended", err)
	}
	wantPage(t, "again", pc.post("/admin/users/anna/delete", url.Values{}), http.StatusNotFound)
	if a := auditActions(t, pc); !strings.Contains(a, "root user.remove anna") {
		t.Errorf("the audit log:\n%s", a)
	}
}

// TestLastAdminPage: the only admin can neither demote nor remove
// themself; with a second admin they can.
func TestLastAdminPage(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	wantPage(t, "question", pc.get("/admin/users/root/delete"), http.StatusOK, "This is you: you will be signed out.")
	for path, form := range map[string]url.Values{"/admin/users/root/role": {"role": {"planner"}}, "/admin/users/root/delete": {}} {
		wantPage(t, path, pc.post(path, form), http.StatusConflict, `<p class="errors" role="alert">This is the only admin: make another user an admin first.</p>`)
	}
	if a, err := pc.deps.Auth.Session(context.Background(), pc.cookies[web.SessionCookie], ""); err != nil || a.Role != service.RoleAdmin {
		t.Fatalf("root after the refusals: got %+v, %v", a, err)
	}
	addUser(t, pc.deps, "anna", service.RoleAdmin)
	if rec := pc.post("/admin/users/root/role", url.Values{"role": {"planner"}}); rec.Code != http.StatusSeeOther {
		t.Errorf("demoting one of two admins: got %d", rec.Code)
	}
	wantPage(t, "root, now a planner", pc.get("/admin/users"), http.StatusForbidden)
}

// TestUsersRefused: viewers and planners get 403 for every form; a form
// without its CSRF token changes nothing.
func TestUsersRefused(t *testing.T) {
	for _, role := range []service.Role{service.RoleViewer, service.RolePlanner} {
		pc := newPageClientAs(t, "someone", role)
		addUser(t, pc.deps, "anna", service.RolePlanner)
		wantPage(t, string(role)+" page", pc.get("/admin/users"), http.StatusForbidden)
		for path, form := range map[string]url.Values{
			"/admin/users":               {"name": {"carla"}, "role": {"admin"}},
			"/admin/users/anna/role":     {"role": {"admin"}},
			"/admin/users/anna/password": {},
			"/admin/users/anna/delete":   {},
		} {
			wantPage(t, string(role)+" "+path, pc.post(path, form), http.StatusForbidden)
		}
		wantPage(t, string(role)+" question", pc.get("/admin/users/anna/delete"), http.StatusForbidden)
	}
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	addUser(t, pc.deps, "anna", service.RolePlanner)
	for path, form := range map[string]url.Values{
		"/admin/users":               {"name": {"carla"}, "role": {"admin"}},
		"/admin/users/anna/role":     {"role": {"admin"}},
		"/admin/users/anna/password": {},
		"/admin/users/anna/delete":   {},
	} {
		wantPage(t, "without CSRF "+path, pc.postRaw(path, form), http.StatusForbidden)
	}
	users, err := pc.deps.Service.Users(asCommandLine())
	if err != nil || len(users) != 2 || users[0].Name != "anna" || users[0].Role != "planner" {
		t.Errorf("after the refused forms: got %+v, %v", users, err)
	}
	if _, err := pc.deps.Auth.Login(context.Background(), "anna", userPassword, ""); err != nil {
		t.Errorf("anna's password after the refused forms: %v", err)
	}
}
