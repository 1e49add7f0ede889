package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rickb777/date/v2"

	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/store"
)

// List returns the stored scenarios that are not deleted, ordered by id,
// without their bodies.
func (s *Service) List(ctx context.Context) ([]store.Scenario, error) {
	st, err := s.allowedStore(ctx, ActionRead, "")
	if err != nil {
		return nil, err
	}
	list, _, err := st.List(ctx, store.ListOptions{})
	return list, err
}

// Get returns the current revision of the stored scenario id.
func (s *Service) Get(ctx context.Context, id string) (store.Scenario, error) {
	st, err := s.allowedStore(ctx, ActionRead, id)
	if err != nil {
		return store.Scenario{}, err
	}
	return st.Get(ctx, id)
}

// Revision returns one revision of the stored scenario id; its Updated is
// when that revision was stored.
func (s *Service) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	st, err := s.allowedStore(ctx, ActionHistory, id)
	if err != nil {
		return store.Scenario{}, err
	}
	if revision < 1 {
		return store.Scenario{}, noRevision(id, revision)
	}
	return st.Revision(ctx, id, revision)
}

// Revisions lists the revisions of the stored scenario id, oldest first.
func (s *Service) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	st, err := s.allowedStore(ctx, ActionHistory, id)
	if err != nil {
		return nil, err
	}
	return st.Revisions(ctx, id)
}

func noRevision(id string, revision int) error {
	return planner.Errorf(planner.KindNotFound, "scenario %q has no revision %d: revisions are numbered from 1", id, revision)
}

// MaxNameLength is the most characters the name of a scenario made on the
// pages (blank, copied, saved from a what-if) may have.
const MaxNameLength = 200

// ValidName reports whether name, trimmed, is a name for a new scenario:
// 1 to MaxNameLength characters, none of them a bidirectional control
// character (planner.BidiControl).
func ValidName(name string) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	_, _, bidi := planner.BidiControl(name)
	return n >= 1 && n <= MaxNameLength && !bidi && utf8.ValidString(name)
}

func checkName(name string) error {
	if !ValidName(name) {
		return &planner.ValidationError{Problems: []planner.Problem{{Path: "name",
			Message: fmt.Sprintf("give the new scenario a name of 1 to %d characters, without invisible control characters", MaxNameLength)}}}
	}
	return nil
}

// checkText refuses a scenario body that is not UTF-8, naming the first
// bad byte: JSON is UTF-8, and bytes that are not would be stored and
// served back as JSON that is not.
func checkText(body []byte) error {
	if utf8.Valid(body) {
		return nil
	}
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			return &planner.ValidationError{Problems: []planner.Problem{{Path: "$",
				Message: fmt.Sprintf("byte offset %d (0x%02x) is not UTF-8: save the scenario as UTF-8", i, body[i])}}}
		}
		i += size
	}
	return nil
}

// Create validates body, a scenario, and stores it as revision 1 of a new
// scenario whose id is made from its name (ID).
func (s *Service) Create(ctx context.Context, body []byte) (store.Scenario, error) {
	if err := s.allow(ctx, ActionCreate, ""); err != nil {
		return store.Scenario{}, err
	}
	if err := checkText(body); err != nil {
		return store.Scenario{}, err
	}
	scenario, err := planner.Decode(body)
	if err != nil {
		return store.Scenario{}, err
	}
	return s.create(ctx, scenario.Name, body, scenario)
}

// create stores body (decoded already, when scenario is not nil) as a new
// scenario named name under the id rule, its author the caller, and its
// key figures. It is the one place that makes an id.
func (s *Service) create(ctx context.Context, name string, body []byte, scenario *planner.Scenario) (store.Scenario, error) {
	st, err := s.stored()
	if err != nil {
		return store.Scenario{}, err
	}
	if len(body) > s.maxRevision {
		return store.Scenario{}, store.TooLarge(name, len(body), s.maxRevision)
	}
	sc, err := st.CreateUnique(authored(ctx), ID(name), name, body)
	if err == nil {
		s.record(ctx, "scenario.create", sc.ID, "revision 1")
		s.saved(ctx, sc, body, scenario)
	}
	return sc, err
}

// authored returns ctx with the caller as the author of the revisions
// stored under it (store.WithAuthor).
func authored(ctx context.Context) context.Context {
	return store.WithAuthor(ctx, ActorOf(ctx).Name)
}

// maxIDLength bounds an id made from a name; the store may add "-2" and
// so on to make it unique.
const maxIDLength = 64

// ID makes a scenario id of a name: German umlauts and ß transliterated,
// other accents dropped ("é" → "e"), lower case, every run of characters
// other than a–z and 0–9 turned into one "-", no "-" at either end, at
// most 64 characters; "scenario" if nothing is left. The store makes it
// unique by adding "-2", "-3", … (docs/api.md, Stored scenarios).
func ID(name string) string {
	id := names.Clean(names.Fold(strings.ToLower(name)), isIDRune, maxIDLength)
	if id == "" {
		return "scenario"
	}
	return id
}

func isIDRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

// CreateBlank stores a blank scenario named name, ready to be edited: one
// post and one funding source over two years from the county's today,
// named in l ("Förderung", "Stelle 1" in German).
func (s *Service) CreateBlank(ctx context.Context, name string, l locale.Lang) (store.Scenario, error) {
	if err := s.allow(ctx, ActionCreate, ""); err != nil {
		return store.Scenario{}, err
	}
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return store.Scenario{}, err
	}
	body, err := blankScenario(name, s.today(), l)
	if err != nil {
		return store.Scenario{}, err
	}
	return s.create(ctx, name, body, nil)
}

// blankScenario is what CreateBlank stores; the source and the post are
// named in l, their ids made from those names.
func blankScenario(name string, today date.Date, l locale.Lang) ([]byte, error) {
	end := planner.Period{Years: 2}.AddTo(today) - 1
	funding, post := l.Text("blank.funding"), l.Printf("blank.post", 1)
	return json.Marshal(map[string]any{
		"name":           name,
		"start":          today.String(),
		"min_productive": "P6M",
		"hr_capacity":    0,
		"defaults":       map[string]any{"recruiting": "P3M", "notice": "P3M", "onboarding": "P3M", "start_on": "month_start", "fte": 1},
		"funding":        []any{map[string]any{"id": ID(funding), "name": funding, "start": today.String(), "end": end.String(), "rate": 1}},
		"positions":      []any{map[string]any{"id": ID(post), "title": post}},
	})
}

// Duplicate stores a copy of the stored scenario id as a new scenario,
// named by nameFormat with the old name ("%s (copy)"), cut to
// MaxNameLength characters. The copy is the stored body with the name
// changed, all else as it was.
func (s *Service) Duplicate(ctx context.Context, id, nameFormat string) (store.Scenario, error) {
	if err := s.allow(ctx, ActionCreate, ""); err != nil {
		return store.Scenario{}, err
	}
	sc, err := s.Get(ctx, id)
	if err != nil {
		return store.Scenario{}, err
	}
	name := truncate(fmt.Sprintf(nameFormat, sc.Name), MaxNameLength)
	body, err := Renamed(sc.Body, name)
	if err != nil {
		return store.Scenario{}, err
	}
	return s.create(ctx, name, body, nil)
}

// Renamed returns a scenario body with another name, all else as it was.
func Renamed(body []byte, name string) ([]byte, error) {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil, err
	}
	o.SetString("name", name)
	return o.MarshalJSON()
}

// renamed returns a scenario body with another name and description (left
// out when ""), all else as it was; a description is placed after the
// name, where the format lists it.
func renamed(body []byte, name, description string) ([]byte, error) {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil, err
	}
	o.SetString("name", name)
	o.Remove("description")
	if description == "" {
		return o.MarshalJSON()
	}
	raw, err := json.Marshal(description)
	if err != nil {
		return nil, err
	}
	out := make(planner.Object, 0, len(o)+1)
	for _, m := range o {
		out = append(out, m)
		if m.Key == "name" {
			out = append(out, planner.Member{Key: "description", Value: raw})
		}
	}
	return out.MarshalJSON()
}

// truncate cuts s to n characters, the last of them "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// A Precondition is what a write asks of the stored scenario's current
// revision: an If-Match header, or the revision a form was loaded from.
type Precondition struct {
	Any       bool  // any current revision ("*")
	Revisions []int // one of these revisions
}

// IfRevision is the precondition that the current revision is revision.
func IfRevision(revision int) Precondition {
	return Precondition{Revisions: []int{revision}}
}

// Matches reports whether a scenario at revision meets the precondition.
func (p Precondition) Matches(revision int) bool {
	return p.Any || slices.Contains(p.Revisions, revision)
}

// maxIfMatchAttempts bounds how often a write under If-Match: * (or a list
// of revisions) is retried when another write gets in between.
const maxIfMatchAttempts = 3

// Update validates body, a scenario, and stores it as the next revision
// of the stored scenario id if the current revision meets pre. Earlier
// revisions stay. A body byte for byte the current revision's stores
// nothing and returns the current revision: a client that sends the same
// document twice makes one revision, and its ETag stays.
func (s *Service) Update(ctx context.Context, id string, pre Precondition, body []byte) (store.Scenario, error) {
	if err := s.allow(ctx, ActionUpdate, id); err != nil {
		return store.Scenario{}, err
	}
	if err := checkText(body); err != nil {
		return store.Scenario{}, err
	}
	scenario, err := planner.Decode(body)
	if err != nil {
		return store.Scenario{}, err
	}
	updated, err := s.update(ctx, id, pre, scenario.Name, body, scenario)
	if err == nil {
		s.record(ctx, "scenario.update", id, fmt.Sprintf("revision %d", updated.Revision))
	}
	return updated, err
}

// Restore stores revision of the stored scenario id as its next revision,
// if the current revision meets pre. The old body is stored as it was,
// even if a later planner would refuse it.
func (s *Service) Restore(ctx context.Context, id string, revision int, pre Precondition) (store.Scenario, error) {
	if err := s.allow(ctx, ActionUpdate, id); err != nil {
		return store.Scenario{}, err
	}
	old, err := s.Revision(ctx, id, revision)
	if err != nil {
		return store.Scenario{}, err
	}
	restored, err := s.update(ctx, id, pre, old.Name, old.Body, nil)
	if err == nil {
		s.record(ctx, "scenario.restore", id, fmt.Sprintf("revision %d as revision %d", revision, restored.Revision))
	}
	return restored, err
}

// update stores body (decoded already, when scenario is not nil) as the
// next revision of scenario id under pre, its author the caller, and its
// key figures; unless the body and name are the current revision's, which
// it returns unchanged.
func (s *Service) update(ctx context.Context, id string, pre Precondition, name string, body []byte, scenario *planner.Scenario) (store.Scenario, error) {
	st, err := s.stored()
	if err != nil {
		return store.Scenario{}, err
	}
	if len(body) > s.maxRevision {
		return store.Scenario{}, store.TooLarge(id, len(body), s.maxRevision)
	}
	unlock, err := s.locks.lock(ctx, id)
	if err != nil {
		return store.Scenario{}, err
	}
	defer unlock()
	var updated store.Scenario
	changed := true
	err = s.ifMatch(ctx, id, pre, func(current store.Scenario) error {
		if current.Name == name && bytes.Equal(current.Body, body) {
			updated, changed = current, false
			return nil
		}
		var err error
		updated, err = st.Update(authored(ctx), id, current.Revision, name, body)
		return err
	})
	if err == nil && changed {
		s.saved(ctx, updated, body, scenario)
	}
	return updated, err
}

// Delete hides the stored scenario id if its current revision meets pre:
// it disappears from the list and its reads fail as not found, but its
// revisions stay and its id is never given out again.
func (s *Service) Delete(ctx context.Context, id string, pre Precondition) error {
	st, err := s.allowedStore(ctx, ActionDelete, id)
	if err != nil {
		return err
	}
	unlock, err := s.locks.lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	var deleted int
	err = s.ifMatch(ctx, id, pre, func(current store.Scenario) error {
		deleted = current.Revision
		return st.Delete(ctx, id, current.Revision)
	})
	if err == nil {
		s.record(ctx, "scenario.delete", id, fmt.Sprintf("at revision %d", deleted))
	}
	return err
}

// ifMatch calls write with the current revision if the precondition
// accepts it, and fails with a precondition error otherwise. The store
// checks the revision again in the same transaction as the write; should
// another process's write slip in between, the store refuses and ifMatch
// reads again (writes of this process wait for each other, see
// writeLocks).
func (s *Service) ifMatch(ctx context.Context, id string, pre Precondition, write func(current store.Scenario) error) error {
	for range maxIfMatchAttempts {
		current, err := s.store.Get(ctx, id)
		if err != nil {
			return err
		}
		if !pre.Matches(current.Revision) {
			if !pre.Any && len(pre.Revisions) == 1 {
				return store.Stale(id, current.Revision, pre.Revisions[0])
			}
			return planner.Errorf(planner.KindPrecondition,
				"scenario %q is at revision %d, which If-Match does not name", id, current.Revision)
		}
		err = write(current)
		if planner.KindOf(err) != planner.KindPrecondition || !pre.Any && len(pre.Revisions) == 1 {
			return err
		}
	}
	return planner.Errorf(planner.KindPrecondition, "scenario %q kept changing while this request tried to write it", id)
}

// errNoStore is the failure of a stored-scenario method of a service
// made without a store.
var errNoStore = errors.New("service: no store")

func (s *Service) stored() (Store, error) {
	if s.store == nil {
		return nil, errNoStore
	}
	return s.store, nil
}

// allowedStore asks whether the caller in ctx may do action on the
// scenario id (allow) and, if so, returns the store to do it in: the
// question comes first, so that a caller who may not gets the refusal
// also from a service without a store.
func (s *Service) allowedStore(ctx context.Context, action Action, id string) (Store, error) {
	if err := s.allow(ctx, action, id); err != nil {
		return nil, err
	}
	return s.stored()
}
