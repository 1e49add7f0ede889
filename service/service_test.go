package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/sqlite"
	"grantplan/whatif"
)

// newService returns a service on a new store in a temporary directory
// that holds the demo, and the store.
func newService(t *testing.T, opts Options) (*Service, *sqlite.Store) {
	t.Helper()
	st := openStore(t)
	if _, err := st.Create(context.Background(), data.DemoID, "KIM Kreis Siegen-Wittgenstein", data.Demo); err != nil {
		t.Fatal(err)
	}
	return New(st, opts), st
}

// openStore opens a new, empty store in a temporary directory.
func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "grantplan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// asPlanner is a context whose caller is a planner, signed in: the
// role that may do everything with scenarios.
func asPlanner() context.Context {
	return WithActor(context.Background(), Actor{Name: "anna", UserID: 1, Role: RolePlanner, Via: ViaSession, Address: "192.0.2.1"})
}

// demoWith returns the demo with its top-level members replaced.
func demoWith(t *testing.T, members map[string]any) []byte {
	t.Helper()
	var scenario map[string]any
	if err := json.Unmarshal(data.Demo, &scenario); err != nil {
		t.Fatal(err)
	}
	for key, value := range members {
		scenario[key] = value
	}
	body, err := json.Marshal(scenario)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// countingStore counts the calls that reach the store's scenarios; a
// call of its access records panics.
type countingStore struct {
	store.Access // nil
	inner        store.Scenarios
	calls        int
}

func (c *countingStore) List(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	c.calls++
	return c.inner.List(ctx, opts)
}

func (c *countingStore) Get(ctx context.Context, id string) (store.Scenario, error) {
	c.calls++
	return c.inner.Get(ctx, id)
}

func (c *countingStore) Create(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, error) {
	c.calls++
	return c.inner.Create(ctx, id, name, body)
}

func (c *countingStore) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error) {
	c.calls++
	return c.inner.CreateUnique(ctx, base, name, body)
}

func (c *countingStore) UniqueID(ctx context.Context, base string) (string, error) {
	c.calls++
	return c.inner.UniqueID(ctx, base)
}

func (c *countingStore) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error) {
	c.calls++
	return c.inner.Update(ctx, id, ifMatch, name, body)
}

func (c *countingStore) Delete(ctx context.Context, id string, ifMatch int) error {
	c.calls++
	return c.inner.Delete(ctx, id, ifMatch)
}

func (c *countingStore) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	c.calls++
	return c.inner.Revisions(ctx, id)
}

func (c *countingStore) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	c.calls++
	return c.inner.Revision(ctx, id, revision)
}

func (c *countingStore) PutFigures(ctx context.Context, id string, revision int, f store.Figures) error {
	c.calls++
	return c.inner.PutFigures(ctx, id, revision, f)
}

// TestAuthorizeEveryMethod: every exported method asks Authorize before
// it touches the store, and a refusal is its answer. The table must name
// every method, so that a new one without a rule fails here.
func TestAuthorizeEveryMethod(t *testing.T) {
	ctx := asPlanner()
	refused := errors.New("refused")
	var asked []string
	inner, _ := newService(t, Options{})
	counting := &countingStore{inner: inner.store}
	s := New(counting, Options{Authorize: func(_ context.Context, a Action, id string) error {
		asked = append(asked, a.String()+" "+id)
		return refused
	}})
	demo := Stored(data.DemoID, 0)
	variant := whatif.Variant{Name: "v", Merge: json.RawMessage(`{}`)}
	calls := map[string]func() error{
		"List":          func() error { _, err := s.List(ctx); return err },
		"Get":           func() error { _, err := s.Get(ctx, data.DemoID); return err },
		"Revision":      func() error { _, err := s.Revision(ctx, data.DemoID, 1); return err },
		"Revisions":     func() error { _, err := s.Revisions(ctx, data.DemoID); return err },
		"Create":        func() error { _, err := s.Create(ctx, data.Demo); return err },
		"CreateBlank":   func() error { _, err := s.CreateBlank(ctx, "x", locale.English); return err },
		"Duplicate":     func() error { _, err := s.Duplicate(ctx, data.DemoID, "%s (copy)"); return err },
		"Update":        func() error { _, err := s.Update(ctx, data.DemoID, IfRevision(1), data.Demo); return err },
		"Restore":       func() error { _, err := s.Restore(ctx, data.DemoID, 1, IfRevision(1)); return err },
		"Delete":        func() error { return s.Delete(ctx, data.DemoID, IfRevision(1)) },
		"Plan":          func() error { _, err := s.Plan(ctx, demo, PlanOptions{}); return err },
		"Risk":          func() error { _, err := s.Risk(ctx, demo, planner.DefaultRiskOptions()); return err },
		"WhatIf":        func() error { _, err := s.WhatIf(ctx, demo, []whatif.Variant{variant}); return err },
		"Compare":       func() error { _, err := s.Compare(ctx, demo, variant); return err },
		"CreateVariant": func() error { _, err := s.CreateVariant(ctx, demo, variant, "x", ""); return err },
		"Export":        func() error { _, err := s.Export(ctx, demo, ExportOptions{}); return err },
		"Report":        func() error { _, err := s.Report(ctx, demo, ExportOptions{}); return err },
		"Overviews":     func() error { _, _, err := s.Overviews(ctx, ListOptions{}); return err },
		"Import": func() error {
			_, err := s.Import(ctx, []byte("id\na\n"), ImportOptions{Format: PostsCSV, Base: demo})
			return err
		},
		"Template":    func() error { _, err := s.Template(ctx, locale.German); return err },
		"AddUser":     func() error { _, err := s.AddUser(ctx, "x", RoleViewer, "a long password"); return err },
		"Users":       func() error { _, err := s.Users(ctx); return err },
		"RemoveUser":  func() error { return s.RemoveUser(ctx, "x") },
		"SetPassword": func() error { return s.SetPassword(ctx, "x", "a long password") },
		"SetRole":     func() error { return s.SetRole(ctx, "x", RoleViewer) },
		"AddToken":    func() error { _, err := s.AddToken(ctx, "x", "", planner.Period{}); return err },
		"Tokens":      func() error { _, err := s.Tokens(ctx); return err },
		"RevokeToken": func() error { return s.RevokeToken(ctx, 1) },
		"CreateShare": func() error { _, err := s.CreateShare(ctx, data.DemoID, 0, planner.Period{}); return err },
		"Shares":      func() error { _, err := s.Shares(ctx, data.DemoID); return err },
		"RevokeShare": func() error { return s.RevokeShare(ctx, data.DemoID, 1) },
		"Audit":       func() error { _, _, err := s.Audit(ctx, store.AuditOptions{}); return err },
		"Check":       func() error { return s.Check(ctx, ActionUpdate, data.DemoID) },
	}
	methods := reflect.TypeFor[*Service]()
	for i := range methods.NumMethod() {
		name := methods.Method(i).Name
		call, ok := calls[name]
		if !ok {
			t.Errorf("method %s is not in this test: say which action it asks for", name)
			continue
		}
		asked = nil
		if err := call(); !errors.Is(err, refused) {
			t.Errorf("%s: got %v, want the refusal", name, err)
		}
		if len(asked) == 0 {
			t.Errorf("%s did not ask", name)
		}
	}
	if len(calls) != methods.NumMethod() {
		t.Errorf("the table has %d methods, the service %d", len(calls), methods.NumMethod())
	}
	if counting.calls > 0 {
		t.Errorf("refused calls reached the store %d times", counting.calls)
	}
}

// TestPlanTimeout: planning past the timeout is a *TimeoutError; a caller
// that gives up is not.
func TestPlanTimeout(t *testing.T) {
	s, _ := newService(t, Options{PlanTimeout: time.Nanosecond})
	slow := Posted(demoWith(t, map[string]any{"hr_capacity": 2}))
	_, err := s.Plan(asPlanner(), slow, PlanOptions{})
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || !errors.Is(err, context.DeadlineExceeded) || timeout.Limit != time.Nanosecond {
		t.Errorf("got %v, want a timeout of 1ns", err)
	}
	ctx, cancel := context.WithCancel(asPlanner())
	cancel()
	if _, err := s.Plan(ctx, slow, PlanOptions{}); errors.As(err, &timeout) || !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled caller: got %v, want context.Canceled", err)
	}
	if _, err := New(nil, Options{PlanTimeout: -1}).Plan(asPlanner(), slow, PlanOptions{}); err != nil {
		t.Errorf("no timeout: got %v", err)
	}
}

func TestPlanStoredRevision(t *testing.T) {
	s, _ := newService(t, Options{})
	ctx := asPlanner()
	renamed, err := Renamed(data.Demo, "Second")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, data.DemoID, IfRevision(1), renamed); err != nil {
		t.Fatal(err)
	}
	p, err := s.Plan(ctx, Stored(data.DemoID, 1), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Record.Revision != 1 || p.Current != 2 || p.Plan.Scenario != "KIM Kreis Siegen-Wittgenstein" {
		t.Errorf("got revision %d of %d, plan of %q", p.Record.Revision, p.Current, p.Plan.Scenario)
	}
	for _, revision := range []int{3, -1} {
		if _, err := s.Plan(ctx, Stored(data.DemoID, revision), PlanOptions{}); planner.KindOf(err) != planner.KindNotFound {
			t.Errorf("revision %d: got %v, want not found", revision, err)
		}
	}
}

func TestUpdatePreconditions(t *testing.T) {
	s, _ := newService(t, Options{})
	ctx := asPlanner()
	tests := []struct {
		name string
		pre  Precondition
		want planner.ErrorKind
	}{
		{"stale", IfRevision(7), planner.KindPrecondition},
		{"list without the current", Precondition{Revisions: []int{5, 6}}, planner.KindPrecondition},
		{"list with the current", Precondition{Revisions: []int{5, 1}}, planner.KindInternal},
		{"any", Precondition{Any: true}, planner.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current, err := s.Get(ctx, data.DemoID)
			if err != nil {
				t.Fatal(err)
			}
			if tt.pre.Revisions != nil && tt.pre.Revisions[len(tt.pre.Revisions)-1] == 1 {
				tt.pre.Revisions[len(tt.pre.Revisions)-1] = current.Revision
			}
			_, err = s.Update(ctx, data.DemoID, tt.pre, data.Demo)
			if got := planner.KindOf(err); got != tt.want || (tt.want == planner.KindInternal && err != nil) {
				t.Errorf("got %v (kind %d), want kind %d", err, got, tt.want)
			}
		})
	}
	if _, err := s.Update(ctx, data.DemoID, Precondition{Any: true}, []byte(`{"name":"x"}`)); planner.KindOf(err) != planner.KindInvalid {
		t.Errorf("an invalid body: got %v, want invalid", err)
	}
}

// TestCountyDay: the export date and a blank scenario's start are the
// day in Berlin, which at 23:30 UTC on New Year's Eve is already the new
// year.
func TestCountyDay(t *testing.T) {
	clock := func() time.Time { return time.Date(2024, time.December, 31, 23, 30, 0, 0, time.UTC) }
	s, _ := newService(t, Options{Now: clock})
	ctx := asPlanner()
	export, err := s.Export(ctx, Stored(data.DemoID, 0), ExportOptions{Lang: locale.German})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(export.FileName, "-2025-01-01.xlsx") || len(export.Data) == 0 {
		t.Errorf("got file %q of %d bytes, want one dated 2025-01-01", export.FileName, len(export.Data))
	}
	blank, err := s.CreateBlank(ctx, " Neue Förderung ", locale.English)
	if err != nil {
		t.Fatal(err)
	}
	if blank.ID != "neue-foerderung" || !strings.Contains(string(blank.Body), `"start":"2025-01-01"`) || blank.Name != "Neue Förderung" {
		t.Errorf("got %s %q: %s", blank.ID, blank.Name, blank.Body)
	}
	german, err := s.CreateBlank(ctx, "Leer", locale.German)
	if err != nil {
		t.Fatal(err)
	}
	if body := string(german.Body); !strings.Contains(body, `"id":"foerderung","name":"Förderung"`) || !strings.Contains(body, `"id":"stelle-1","title":"Stelle 1"`) {
		t.Errorf("a German blank scenario: %s", body)
	}
	if _, err := s.CreateBlank(ctx, strings.Repeat("x", MaxNameLength+1), locale.English); planner.KindOf(err) != planner.KindInvalid {
		t.Errorf("a long name: got %v, want invalid", err)
	}
}

// TestDocumentsOfRevisions: a workbook and a report are of the revision
// asked for (the current one for 0) and say which; one of a posted
// scenario is of none; --start plans from another decision date.
func TestDocumentsOfRevisions(t *testing.T) {
	s, st := newService(t, Options{})
	ctx := asPlanner()
	if _, err := st.Update(ctx, data.DemoID, 1, "KIM Kreis Siegen-Wittgenstein", demoWith(t, map[string]any{"hr_capacity": 3})); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		src  Source
		opts ExportOptions
		want int
	}{
		{"current", Stored(data.DemoID, 0), ExportOptions{}, 2},
		{"old", Stored(data.DemoID, 1), ExportOptions{Lang: locale.German}, 1},
		{"posted", Posted(data.Demo), ExportOptions{Start: planner.MustParseDate("2020-09-01")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			workbook, err := s.Export(ctx, tt.src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			report, err := s.Report(ctx, tt.src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if workbook.Revision != tt.want || report.Revision != tt.want {
				t.Errorf("got revisions %d and %d, want %d", workbook.Revision, report.Revision, tt.want)
			}
			if !strings.HasSuffix(report.FileName, ".pdf") || !strings.HasPrefix(string(report.Data), "%PDF-") {
				t.Errorf("got report %q starting %.8q", report.FileName, report.Data)
			}
		})
	}
	if _, err := s.Report(ctx, Stored(data.DemoID, 9), ExportOptions{}); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("revision 9: got %v, want not found", err)
	}
}

func TestDuplicate(t *testing.T) {
	s, _ := newService(t, Options{})
	ctx := asPlanner()
	long, err := Renamed(data.Demo, strings.Repeat("ä", MaxNameLength))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, data.DemoID, IfRevision(1), long); err != nil {
		t.Fatal(err)
	}
	copied, err := s.Duplicate(ctx, data.DemoID, "%s (copy)")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("ä", MaxNameLength-1) + "…"
	if copied.Name != want || !strings.Contains(string(copied.Body), `"name":"`+want+`"`) {
		t.Errorf("got name %q", copied.Name)
	}
	if copied.ID != strings.Repeat("ae", 32) {
		t.Errorf("got id %q", copied.ID)
	}
}

// TestCompare: a variant the planner refuses is the comparison's Invalid,
// with paths into the changed scenario, and the base is planned all the
// same; a valid one has its delta from whatif.Compare.
func TestCompare(t *testing.T) {
	s, _ := newService(t, Options{})
	ctx := asPlanner()
	tooEarly, err := whatif.Changes{Ends: map[int]date.Date{0: planner.MustParseDate("2019-01-01")}}.Variant("early", data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := s.Compare(ctx, Stored(data.DemoID, 0), tooEarly)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Variant != nil || cmp.Invalid == nil || cmp.Invalid.Problems[0].Path != "funding[0].end" || cmp.Base.Plan == nil {
		t.Fatalf("got %+v", cmp)
	}
	parallel, err := whatif.Changes{Parallel: true}.Variant("parallel", data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err = s.Compare(ctx, Stored(data.DemoID, 0), parallel)
	if err != nil {
		t.Fatal(err)
	}
	want := whatif.Compare(&cmp.Base.Plan.Summary, &cmp.Variant.Plan.Summary)
	if cmp.Invalid != nil || !reflect.DeepEqual(cmp.Delta, want) || cmp.Delta.Critical >= 0 {
		t.Errorf("got delta %+v, want %+v with fewer critical flags", cmp.Delta, want)
	}
	created, err := s.CreateVariant(ctx, Stored(data.DemoID, 1), parallel, "KIM parallel", "All posts at once.")
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "kim-parallel" || strings.Contains(string(created.Body), `"after"`) ||
		!strings.HasPrefix(string(created.Body), `{"name":"KIM parallel","description":"All posts at once.",`) {
		t.Errorf("got %s: %s", created.ID, created.Body)
	}
	if _, err := s.CreateVariant(ctx, Stored(data.DemoID, 1), tooEarly, "Early", ""); planner.KindOf(err) != planner.KindInvalid {
		t.Errorf("an invalid variant: got %v, want invalid", err)
	}
}

// TestOverviews: the list has the key figures of each stored scenario, or
// why it cannot be planned; they are computed once per revision and read
// from the store afterwards.
func TestOverviews(t *testing.T) {
	s, st := newService(t, Options{})
	ctx := asPlanner()
	// Stored behind the service's back, as by an earlier program: no
	// figures yet.
	if _, err := st.Create(ctx, "broken", "Broken", []byte(`{"name":"Broken"}`)); err != nil {
		t.Fatal(err)
	}
	list, total, err := s.Overviews(ctx, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(list) != 2 || list[0].ID != "broken" || list[0].Figures == nil || list[0].Figures.Invalid == nil || list[1].Figures == nil {
		t.Fatalf("got %d of %d: %+v", len(list), total, list)
	}
	if got := list[0].Figures.Invalid.Path; got != "start" {
		t.Errorf("got the problem at %q, want start", got)
	}
	f := list[1].Figures
	if f.Critical != 6 || f.Warnings != 1 || f.Utilization.String() != "0.1667" || f.Unclaimed.String() != "925833.33" {
		t.Errorf("got %+v", f)
	}

	// Both are stored now: the list reads them, and plans nothing.
	stored, _, err := st.List(ctx, store.ListOptions{FiguresVersion: figuresVersion})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range stored {
		if sc.Figures == nil {
			t.Errorf("%s: no figures stored", sc.ID)
		}
	}
	fake, _ := json.Marshal(figuresRecord{Critical: 99})
	if err := st.PutFigures(ctx, data.DemoID, 1, store.Figures{Version: figuresVersion, Body: fake}); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := s.Overviews(ctx, ListOptions{Query: "kim"}); len(list) != 1 || list[0].Figures.Critical != 99 {
		t.Errorf("got %+v, want the stored figures", list)
	}

	// Figures of another version are no use: computed anew.
	if err := st.PutFigures(ctx, "broken", 1, store.Figures{Version: figuresVersion + 1, Body: fake}); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := s.Overviews(ctx, ListOptions{Limit: 1}); len(list) != 1 || list[0].Figures.Invalid == nil {
		t.Errorf("got %+v, want broken's own figures", list)
	}

	// A revision the service stores has its figures at once.
	p, err := s.Create(ctx, demoWith(t, map[string]any{"name": "Later", "start": "2022-06-01"}))
	if err != nil {
		t.Fatal(err)
	}
	stored, _, err = st.List(ctx, store.ListOptions{Query: p.ID, FiguresVersion: figuresVersion})
	if err != nil || len(stored) != 1 {
		t.Fatal(err)
	}
	if got, ok := decodeFigures(stored[0].Figures); !ok || got.Critical <= 6 {
		t.Errorf("got %+v, want the figures of the later start stored with the revision", got)
	}
}

// TestEnglishMessages: every plan the service makes carries the English
// flag sentences of the plan document, whether posted or stored, planned
// alone, as a what-if's base or variant, or in a comparison; they are the
// planner's golden file's, byte for byte.
func TestEnglishMessages(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("..", "planner", "testdata", "kim-siegen-wittgenstein.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Flags []planner.Flag }
	if err := json.Unmarshal(golden, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range doc.Flags {
		want = append(want, f.Message)
	}
	if len(want) < 6 || want[0] == "" {
		t.Fatalf("the golden file has messages %q", want)
	}
	messages := func(flags []planner.Flag) []string {
		var got []string
		for _, f := range flags {
			got = append(got, f.Message)
		}
		return got
	}
	s, _ := newService(t, Options{})
	ctx := asPlanner()
	same := whatif.Variant{Name: "same", Merge: json.RawMessage(`{}`)}
	check := func(name string, got []string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got messages\n%q\nwant\n%q", name, got, want)
		}
	}
	for _, src := range []Source{Posted(data.Demo), Stored(data.DemoID, 0)} {
		planned, err := s.Plan(ctx, src, PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		check("plan of "+src.id, messages(planned.Plan.Flags))
		result, err := s.WhatIf(ctx, src, []whatif.Variant{same})
		if err != nil {
			t.Fatal(err)
		}
		check("what-if base", messages(result.Base.Flags))
		check("what-if variant", messages(result.Variants[0].Flags))
		cmp, err := s.Compare(ctx, src, same)
		if err != nil {
			t.Fatal(err)
		}
		check("comparison base", messages(cmp.Base.Plan.Flags))
		check("comparison variant", messages(cmp.Variant.Plan.Flags))
	}
}

// TestImport: a workbook the service exported imports as its scenario; a
// CSV replaces a stored scenario's posts; problems come in the language
// asked for; a template is a workbook that imports.
func TestImport(t *testing.T) {
	s, _ := newService(t, Options{Now: func() time.Time { return time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC) }})
	ctx := asPlanner()
	export, err := s.Export(ctx, Stored(data.DemoID, 0), ExportOptions{Lang: locale.German})
	if err != nil {
		t.Fatal(err)
	}
	if FormatOf(export.Data) != Workbook || FormatOf([]byte("id;title\n")) != PostsCSV {
		t.Error("FormatOf")
	}
	got, err := s.Import(ctx, export.Data, ImportOptions{Format: Workbook, Lang: locale.German})
	want, _ := planner.Canonical(data.Demo)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("the exported workbook imports as\n%s, %v\nwant\n%s", got, err, want)
	}
	got, err = s.Import(ctx, []byte("Kennung;Förderung\nneu;kim-b2\n"), ImportOptions{Format: PostsCSV, Base: Stored(data.DemoID, 0), Lang: locale.German})
	if err != nil || !strings.HasSuffix(string(got), `"positions":[{"id":"neu","funding":"kim-b2"}]}`) {
		t.Errorf("got %s, %v", got, err)
	}
	_, err = s.Import(ctx, []byte("Kennung;Förderung\nneu;kim-b9\n"), ImportOptions{Format: PostsCSV, Base: Stored(data.DemoID, 0), Lang: locale.German})
	var v *planner.ValidationError
	if !errors.As(err, &v) || v.Problems[0].String() != `Zeile 2, Spalte 2 (Förderung): unbekannte Förderquelle "kim-b9"` {
		t.Errorf("got %v", err)
	}
	if _, err := s.Import(ctx, []byte("id\na\n"), ImportOptions{Format: PostsCSV, Lang: locale.English}); !errors.As(err, &v) || v.Problems[0].Path != "base" {
		t.Errorf("a CSV without a base: got %v", err)
	}
	if _, err := s.Import(ctx, []byte("id\na\n"), ImportOptions{Format: PostsCSV, Base: Stored("nope", 0)}); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("a CSV on an unknown base: got %v", err)
	}
	template, err := s.Template(ctx, locale.German)
	if err != nil || template.FileName != "grantplan-vorlage.xlsx" || FormatOf(template.Data) != Workbook {
		t.Fatalf("got %v, %v", template, err)
	}
	if _, err := s.Import(ctx, template.Data, ImportOptions{Format: Workbook, Lang: locale.German}); !errors.As(err, &v) || v.Problems[0].Message != "fehlt, ist aber nötig" {
		t.Errorf("the blank template: got %v", err)
	}
}
