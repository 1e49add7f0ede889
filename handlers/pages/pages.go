// Package pages serves the scenario pages of the web front end
// (docs/web.md): the list of scenarios, a scenario's plan with its Gantt
// chart, what-if controls and risk panel, the edit form, the history, the
// comparison, share links and the downloads; also the administrators' list
// of deleted scenarios. HTML in English or German, without JavaScript
// needed.
//
// The handlers are methods on Handlers, built on package web's Core (the
// page frame, languages, sessions, CSRF, error pages). A handler reads its
// form (package form), calls the service, lays the result out with package
// view and renders a page; a form with bad input comes back with every
// problem beside its field.
package pages

import "grantplan/handlers/web"

// Handlers are the scenario pages' handlers.
type Handlers struct {
	*web.Core
}

// New returns the scenario pages' handlers on core.
func New(core *web.Core) *Handlers {
	return &Handlers{Core: core}
}
