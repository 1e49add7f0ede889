// Package planner is grantplan's domain: scenarios, their decoding and
// validation, and the plan of each.
//
// Decode reads a scenario's JSON and reports every problem at once, each
// with its JSON path (a *ValidationError). Scenario.Plan schedules every
// post (waiting for the posts it follows, HR capacity, recruiting, notice,
// onboarding), computes what it costs and what the funding pays, raises
// the flags of posts that are not productive long enough before their
// money ends, and sums it up, with the searches for each post's latest
// hiring start and the scenario's latest safe decision date.
// Scenario.Risk runs the same plan many times over uncertain periods.
// docs/scenario.md and docs/risk.md state the rules in words; the code
// cites their sections.
//
// The package imports only the standard library and the date library,
// does no I/O and has no clock: whoever needs "today" passes it. Errors
// that callers must tell apart carry an ErrorKind (invalid, not found,
// conflict, precondition failed), which the HTTP layer maps to statuses.
package planner
