package service

import (
	"context"
	"fmt"

	"grantplan/planner"
	"grantplan/store"
)

// An Action is what a caller asks of the service, as the policy sees it.
type Action uint8

// The actions. Read is reading a stored scenario's current revision;
// History its revisions; Plan running the planner on a scenario the
// caller may read or has posted (plans, what-ifs, risk runs, exports),
// which stores nothing; Create, Update (also restoring a revision) and
// Delete change what is stored; Share makes, lists and revokes share
// links; Users manages users and API tokens; Audit reads the audit log.
const (
	ActionRead Action = iota + 1
	ActionHistory
	ActionPlan
	ActionCreate
	ActionUpdate
	ActionDelete
	ActionShare
	ActionUsers
	ActionAudit
)

var actionNames = [...]string{
	ActionRead: "read", ActionHistory: "history", ActionPlan: "plan", ActionCreate: "create",
	ActionUpdate: "update", ActionDelete: "delete", ActionShare: "share", ActionUsers: "users", ActionAudit: "audit",
}

func (a Action) String() string {
	if int(a) < len(actionNames) && actionNames[a] != "" {
		return actionNames[a]
	}
	return "unknown action"
}

// permissions is the policy: what each role may do. It is the one table of
// who may do what; a new role is a new row (docs/ARCHITECTURE.md).
var permissions = map[Role][]Action{
	RoleViewer:  {ActionRead, ActionHistory, ActionPlan},
	RolePlanner: {ActionRead, ActionHistory, ActionPlan, ActionCreate, ActionUpdate, ActionDelete, ActionShare},
	RoleAdmin: {ActionRead, ActionHistory, ActionPlan, ActionCreate, ActionUpdate, ActionDelete, ActionShare,
		ActionUsers, ActionAudit},
}

// May reports whether a may do action on any scenario it may see: the
// table for a role, and for a share link reading and planning (of its
// own scenario only, which Policy checks). The pages ask it to leave out
// the controls the actor may not use; the service asks Policy.
func (a Actor) May(action Action) bool {
	if a.Share != nil {
		return action == ActionRead || action == ActionPlan
	}
	for _, allowed := range permissions[a.Role] {
		if allowed == action {
			return true
		}
	}
	return false
}

// An AccessError refuses a caller what it asked: one who is not signed in
// (Authenticated false: the HTTP layer answers 401 and asks them to sign
// in) or one whose role does not allow it (403).
type AccessError struct {
	Action Action
	Role   Role
}

func (e *AccessError) Error() string {
	what := actionWords[e.Action]
	if what == "" {
		what = e.Action.String()
	}
	if e.Role == "" {
		return "sign in to " + what
	}
	return fmt.Sprintf("the role %s may not %s", e.Role, what)
}

// actionWords say what an action does, for AccessError's message.
var actionWords = map[Action]string{
	ActionRead: "read scenarios", ActionHistory: "read the history of scenarios", ActionPlan: "plan scenarios",
	ActionCreate: "create scenarios", ActionUpdate: "change scenarios", ActionDelete: "delete scenarios",
	ActionShare: "share scenarios", ActionUsers: "manage users and API tokens", ActionAudit: "read the audit log",
}

// Authenticated reports whether the refused caller was signed in.
func (e *AccessError) Authenticated() bool { return e.Role != "" }

// Policy decides whether the caller in ctx may do action on the scenario
// id ("" for none, or one not yet made): the default of
// Options.Authorize. A role decides by the table; a share link may read
// and plan its own scenario and nothing else, and anything else looks to
// it as if it did not exist. A caller without a role is refused with an
// *AccessError.
func Policy(ctx context.Context, action Action, id string) error {
	a := ActorOf(ctx)
	switch {
	case a.Share != nil:
		if id == a.Share.ScenarioID && a.May(action) {
			return nil
		}
		return store.NotFound(id)
	case a.May(action):
		return nil
	}
	return &AccessError{Action: action, Role: a.Role}
}

// allow asks whether the caller in ctx may do action on scenario id ("":
// no stored scenario, or one not yet made). Every exported method calls it
// before it touches the store or the planner, so that who may do what is
// decided here and nowhere else; the caller's identity travels in ctx,
// put there by the adapter that authenticated it (WithActor).
func (s *Service) allow(ctx context.Context, action Action, id string) error {
	return s.authorize(ctx, action, id)
}

// allowRevision asks whether the caller in ctx may read revision of the
// scenario id (0: the current one), once allow has let it read the
// scenario. Only a share link is held to a revision: its own, or the
// current one if it was made for whichever is current.
func (s *Service) allowRevision(ctx context.Context, id string, revision int) error {
	a := ActorOf(ctx)
	if a.Share != nil && revision != a.Share.Revision {
		return planner.Errorf(planner.KindNotFound, "scenario %q has no revision %d", id, revision)
	}
	return nil
}

// Check asks whether the caller in ctx may do action on the scenario id,
// without doing anything: the pages ask before they show a form whose
// only use is a change the caller may not make (the edit form, the
// question before a delete).
func (s *Service) Check(ctx context.Context, action Action, id string) error {
	return s.allow(ctx, action, id)
}
