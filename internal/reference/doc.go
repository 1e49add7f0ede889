// Package reference checks the planner's plans against reference.py, a
// second, independent reading of the rules of docs/scenario.md written in
// Python with exact fractions and plain day-by-day loops. Its test makes
// random small scenarios with a generator of its own, plans each with the
// planner and with reference.py, and compares every figure of the plan
// document that the rules fix: dates, days, counts and decimals, to the
// day and to the cent.
//
// The test needs python3 (the standard library only). It skips without it,
// saying so, unless CI is set: then it fails.
//
//	go test ./internal/reference/                        300 scenarios
//	go test ./internal/reference/ -reference.n 5000      more
//	go test ./internal/reference/ -reference.seed 7      others
//	go test ./internal/reference/ -reference.exhaustive  the latest safe start tried at every date
package reference
