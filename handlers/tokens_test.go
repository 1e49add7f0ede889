package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// madeToken is the API token a page shows once.
var madeToken = regexp.MustCompile(`id="made-token" class="share-url" value="(gpt_[A-Za-z0-9_-]{43})"`)

// apiStatus is the status of an API request with the token.
func apiStatus(pc *pageClient, token string) int {
	pc.t.Helper()
	req, err := http.NewRequest(http.MethodGet, "/api/v1/scenarios", nil)
	if err != nil {
		pc.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return pc.send(req).Code
}

// tokenCount is the number of API tokens stored.
func tokenCount(t *testing.T, pc *pageClient) int {
	t.Helper()
	tokens, err := pc.deps.Service.Tokens(asCommandLine())
	if err != nil {
		t.Fatal(err)
	}
	return len(tokens)
}

// TestTokensTable: the users page lists every API token with its user,
// label, dates and last use, expired ones marked, each with a button to
// revoke it.
func TestTokensTable(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	wantPage(t, "none", pc.get("/admin/users"), http.StatusOK, "<h2 id=\"tokens-heading\">API tokens</h2>", "There are no API tokens.",
		`<select id="token-user" name="user">`, `<option value="root">root (admin)</option>`, `id="token-days" name="days" value="90"`)

	addUser(t, pc.deps, "anna", service.RolePlanner)
	used, err := pc.deps.Service.AddToken(asCommandLine(), "anna", "nightly export", planner.Period{Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	if code := apiStatus(pc, used.Secret); code != http.StatusOK {
		t.Fatalf("the token on the API: got %d", code)
	}
	unused, err := pc.deps.Service.AddToken(asCommandLine(), "root", "", planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	// An expired one, made in the past.
	anna, err := pc.store.User(context.Background(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().AddDate(0, 0, -10)
	expired, err := pc.store.CreateToken(context.Background(), store.Token{UserID: anna.ID, Label: "old", Hash: []byte("a hash of nothing"),
		Created: old, Expires: old.AddDate(0, 0, 5)})
	if err != nil {
		t.Fatal(err)
	}

	body := pc.get("/admin/users").Body.String()
	row := func(tok store.Token, user, label, expires, lastUsed string) string {
		return fmt.Sprintf(`<tr><td class="num">%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>`+"\n"+
			`<td class="actions"><form method="post" action="/admin/tokens/%[1]d/delete" class="inline"><input type="hidden" name="csrf" value="`,
			tok.ID, user, label, localTime(tok.Created), expires, lastUsed)
	}
	for _, want := range []string{
		row(used.Token, "anna", "nightly export", localTime(used.Expires), localTime(time.Now())),
		row(unused.Token, "root", "", localTime(unused.Expires), ""),
		row(expired, "anna", "old", localTime(expired.Expires)+" <strong>(expired)</strong>", ""),
		fmt.Sprintf(`Revoke<span class="visually-hidden"> API token %d</span>`, used.ID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks\n%s\nin\n%s", want, truncate(body[strings.Index(body, `id="tokens"`):]))
		}
	}
	if strings.Contains(body, used.Secret) || strings.Contains(body, unused.Secret) {
		t.Errorf("the page shows a token's secret")
	}
}

// localTime is a time as the English pages show it.
func localTime(t time.Time) string { return t.In(service.Zone).Format("2006-01-02 15:04") }

// TestAddToken: the form makes a token for the user chosen, whose secret
// the page shows once and which works on the API; a bad validity, label
// or user comes back beside its field, and nothing is made.
func TestAddToken(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	logs := &syncBuffer{}
	pc.deps.Logger = slog.New(slog.NewTextHandler(logs, nil))
	pc.handler = NewRouter(pc.deps)
	addUser(t, pc.deps, "anna", service.RoleViewer)

	rec := pc.post("/admin/tokens", url.Values{"user": {"Anna"}, "label": {"Power BI"}, "days": {"30"}})
	wantPage(t, "make", rec, http.StatusCreated, "API token 1 for anna", "It works until "+localTime(time.Now().AddDate(0, 0, 30))[:10],
		"shown only now", `<td class="num">1</td><td>anna</td><td>Power BI</td>`)
	m := madeToken.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("the page shows no token:\n%s", truncate(rec.Body.String()))
	}
	if loc := rec.Header().Get("Location"); loc != "" {
		t.Errorf("the answer sends the browser to %q", loc)
	}
	if code := apiStatus(pc, m[1]); code != http.StatusOK {
		t.Errorf("the token shown on the API: got %d", code)
	}
	if strings.Contains(pc.get("/admin/users").Body.String(), m[1]) {
		t.Errorf("the token is shown again")
	}
	if a := auditActions(t, pc); !strings.Contains(a, "root token.add 1") || strings.Contains(a, m[1]) {
		t.Errorf("the audit log:\n%s", a)
	}
	if strings.Contains(logs.String(), m[1]) || !strings.Contains(logs.String(), "/admin/tokens") {
		t.Errorf("the log holds the token, or not the request:\n%s", logs.String())
	}

	tests := []struct {
		name, user, label, days, want string
	}{
		{"too long", "anna", "", "1000", `<span class="field-error" id="token-days-error">Give a whole number of days from 1 to 73`},
		{"zero days", "anna", "", "0", `id="token-days-error"`},
		{"no number", "anna", "", "soon", `id="token-days-error"`},
		{"empty days", "anna", "", "", `id="token-days-error"`},
		{"unknown user", "nobody", "", "30", `<span class="field-error" id="token-user-error">There is no such user.</span>`},
		{"no user", "", "", "30", `id="token-user-error"`},
		{"a line break", "anna", "a\nb", "30", `<span class="field-error" id="token-label-error">A label has at most 100 characters`},
		{"long label", "anna", strings.Repeat("x", 101), "30", `id="token-label-error"`},
	}
	for _, tt := range tests {
		rec := pc.post("/admin/tokens", url.Values{"user": {tt.user}, "label": {tt.label}, "days": {tt.days}})
		wantPage(t, tt.name, rec, http.StatusUnprocessableEntity, tt.want, `id="token-days" name="days" value="`+tt.days+`"`)
		if madeToken.MatchString(rec.Body.String()) {
			t.Errorf("%s: the page shows a token", tt.name)
		}
	}
	if n := tokenCount(t, pc); n != 1 {
		t.Errorf("after the refused forms: %d tokens, want 1", n)
	}
	wantPage(t, "keeps the user", pc.post("/admin/tokens", url.Values{"user": {"anna"}, "days": {"9999"}}), http.StatusUnprocessableEntity,
		`<option value="anna" selected>anna (viewer)</option>`)
}

// TestRevokeToken: the button revokes the token, which the API refuses
// from then on, and the page says which it was.
func TestRevokeToken(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	addUser(t, pc.deps, "anna", service.RolePlanner)
	tok, err := pc.deps.Service.AddToken(asCommandLine(), "anna", "ci", planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	// Used first, so that the server has it in its cache.
	if code := apiStatus(pc, tok.Secret); code != http.StatusOK {
		t.Fatalf("before: got %d", code)
	}
	rec := pc.post(fmt.Sprintf("/admin/tokens/%d/delete", tok.ID), url.Values{})
	want := fmt.Sprintf("/admin/users?revoked=%d#tokens", tok.ID)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
		t.Fatalf("revoke: got %d to %q, want 303 to %q", rec.Code, rec.Header().Get("Location"), want)
	}
	wantPage(t, "after", pc.get(strings.TrimSuffix(want, "#tokens")), http.StatusOK,
		fmt.Sprintf(`<p class="flash" role="status">API token %d revoked: it no longer works.</p>`, tok.ID), "There are no API tokens.")
	if code := apiStatus(pc, tok.Secret); code != http.StatusUnauthorized {
		t.Errorf("the revoked token on the API: got %d, want 401", code)
	}
	if a := auditActions(t, pc); !strings.Contains(a, fmt.Sprintf("root token.revoke %d", tok.ID)) {
		t.Errorf("the audit log:\n%s", a)
	}
	wantPage(t, "again", pc.post(fmt.Sprintf("/admin/tokens/%d/delete", tok.ID), url.Values{}), http.StatusNotFound, "There is no such API token")
	wantPage(t, "no number", pc.post("/admin/tokens/x/delete", url.Values{}), http.StatusNotFound, "There is no such API token")
}

// TestTokensRefused: viewers and planners get 403 for the forms; a form
// without its CSRF token changes nothing.
func TestTokensRefused(t *testing.T) {
	for _, role := range []service.Role{service.RoleViewer, service.RolePlanner} {
		pc := newPageClientAs(t, "someone", role)
		id := tokenIDOf(t, pc.deps, "anna")
		wantPage(t, string(role)+" make", pc.post("/admin/tokens", url.Values{"user": {"someone"}, "days": {"30"}}), http.StatusForbidden)
		wantPage(t, string(role)+" revoke", pc.post(fmt.Sprintf("/admin/tokens/%d/delete", id), url.Values{}), http.StatusForbidden)
		if n := tokenCount(t, pc); n != 1 {
			t.Errorf("%s: %d tokens after the refused forms, want 1", role, n)
		}
	}
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	secret := tokenOf(t, pc.deps, "anna", service.RolePlanner)
	tokens, err := pc.deps.Service.Tokens(asCommandLine())
	if err != nil {
		t.Fatal(err)
	}
	wantPage(t, "make without CSRF", pc.postRaw("/admin/tokens", url.Values{"user": {"root"}, "days": {"30"}}), http.StatusForbidden)
	wantPage(t, "revoke without CSRF", pc.postRaw(fmt.Sprintf("/admin/tokens/%d/delete", tokens[0].ID), url.Values{}), http.StatusForbidden)
	if n := tokenCount(t, pc); n != 1 {
		t.Errorf("after the refused forms: %d tokens, want 1", n)
	}
	if code := apiStatus(pc, secret); code != http.StatusOK {
		t.Errorf("the token after the refused revocation: got %d", code)
	}
}

// TestTokensGerman: the section and its errors in German.
func TestTokensGerman(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	tokenIDOf(t, pc.deps, "anna")
	wantPage(t, "page", pc.get("/admin/users?lang=de"), http.StatusOK, `<h2 id="tokens-heading">API-Tokens</h2>`,
		`<th scope="col">Zuletzt benutzt</th>`, `Widerrufen<span class="visually-hidden"> API-Token 1</span>`,
		`<label for="token-days">Gültig für (Tage)</label>`, `<button type="submit" class="primary">Token erstellen</button>`)
	wantPage(t, "bad days", pc.post("/admin/tokens?lang=de", url.Values{"user": {"anna"}, "days": {"1000"}}), http.StatusUnprocessableEntity,
		"Geben Sie eine ganze Zahl von Tagen von 1 bis 73")
	wantPage(t, "unknown user", pc.post("/admin/tokens?lang=de", url.Values{"user": {"niemand"}, "days": {"30"}}), http.StatusUnprocessableEntity,
		`id="token-user-error">Diesen Benutzer gibt es nicht.`)
	rec := pc.post("/admin/tokens?lang=de", url.Values{"user": {"anna"}, "label": {"Berichte"}, "days": {"7"}})
	wantPage(t, "made", rec, http.StatusCreated, "API-Token 2 für anna", "nur jetzt angezeigt")
}

// TestUserChangeEndsCachedTokens: removing a user or changing their role
// on the users page counts at once for their API tokens on this server,
// as a revocation does, even while the server trusts them from its cache.
func TestUserChangeEndsCachedTokens(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	anna := tokenOf(t, pc.deps, "anna", service.RoleAdmin)
	bernd := tokenOf(t, pc.deps, "bernd", service.RolePlanner)
	deleted := func(token string) int {
		req, err := http.NewRequest(http.MethodGet, "/api/v1/admin/deleted", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		return pc.send(req).Code
	}
	// Used first, so that the server has them in its cache.
	if code := deleted(anna); code != http.StatusOK {
		t.Fatalf("anna, an admin, before: got %d", code)
	}
	if code := apiStatus(pc, bernd); code != http.StatusOK {
		t.Fatalf("bernd before: got %d", code)
	}

	if rec := pc.post("/admin/users/anna/role", url.Values{"role": {"viewer"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("demoting anna: got %d", rec.Code)
	}
	if code := deleted(anna); code != http.StatusForbidden {
		t.Errorf("anna's token after her demotion: got %d, want 403", code)
	}
	if rec := pc.post("/admin/users/bernd/delete", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("removing bernd: got %d", rec.Code)
	}
	if code := apiStatus(pc, bernd); code != http.StatusUnauthorized {
		t.Errorf("bernd's token after his removal: got %d, want 401", code)
	}
}
