package service

import "context"

// An Action is what a caller asks of the service, as Options.Authorize
// sees it.
type Action uint8

// The actions. Read is reading a stored scenario or its history; Plan is
// running the planner on a scenario the caller may read or has posted
// (plans, what-ifs, risk runs, exports), which stores nothing; Create,
// Update and Delete change what is stored. Admin is an administrator's:
// listing the deleted scenarios, reading their history and making one
// live again; only administrators may.
const (
	ActionRead Action = iota + 1
	ActionPlan
	ActionCreate
	ActionUpdate
	ActionDelete
	ActionAdmin
)

var actionNames = [...]string{ActionRead: "read", ActionPlan: "plan", ActionCreate: "create", ActionUpdate: "update", ActionDelete: "delete", ActionAdmin: "admin"}

func (a Action) String() string {
	if int(a) < len(actionNames) && actionNames[a] != "" {
		return actionNames[a]
	}
	return "unknown action"
}

// allow asks whether the caller in ctx may do action on scenario id ("":
// no stored scenario, or one not yet made). Every exported method calls it
// before it touches the store or the planner, so that who may do what is
// decided here and nowhere else; the caller's identity travels in ctx,
// put there by the adapter that authenticated it.
func (s *Service) allow(ctx context.Context, action Action, id string) error {
	if s.authorize == nil {
		return nil
	}
	return s.authorize(ctx, action, id)
}
