// Package access serves the web pages of who is who (docs/web.md,
// docs/deployment.md): the login with a password or through an OpenID
// Connect provider, the logout, a user's own account, and the
// administrators' pages of the users and the audit log.
//
// The handlers are methods on Handlers, built on package web's Core (the
// page frame, languages, sessions, CSRF, error pages). What a login or a
// change of account may do is the service's decision (service.Auth and
// the account methods of service.Service).
package access

import "grantplan/handlers/web"

// Handlers are the access pages' handlers.
type Handlers struct {
	*web.Core
	oidc *OIDC // nil without single sign-on
}

// New returns the access pages' handlers on core; oidc, if not nil,
// offers single sign-on on the login page.
func New(core *web.Core, oidc *OIDC) *Handlers {
	return &Handlers{Core: core, oidc: oidc}
}
