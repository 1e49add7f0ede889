# grantplan: the targets CI and developers use (see README).
GO ?= go
STATICCHECK ?= $(shell go env GOPATH)/bin/staticcheck
STATICCHECK_VERSION = v0.8.2

.PHONY: run demo test test-pg lint bench bench-store fuzz load load-pg tools

# run serves the web front end and the API on 127.0.0.1:8080, with the
# demo scenario stored in ./grantplan.db on first start.
run:
	$(GO) run ./cmd/grantplan serve

# demo prints the plan of the demo scenario.
demo:
	$(GO) run ./cmd/grantplan plan data/kim-siegen-wittgenstein.json

# test runs every test. The PostgreSQL store's tests run when
# GRANTPLAN_TEST_POSTGRES names a database (postgres://…) and skip
# otherwise, saying so; test-pg runs them on a throw-away cluster.
test:
	$(GO) test -race -count=1 ./...

# test-pg runs make test with a throw-away PostgreSQL cluster, made and
# removed by scripts/pg-test-cluster.sh (needs PostgreSQL's initdb and
# pg_ctl: apt-get install -y postgresql).
test-pg:
	scripts/pg-test-cluster.sh run $(MAKE) test

lint:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

# bench runs every benchmark; the machine has 2 noisy cores, so compare
# runs with benchstat rather than reading single figures.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./...

# bench-store runs the storage benchmarks of SQLite and PostgreSQL (on a
# throw-away cluster) on the same work, and the plan of a stored
# scenario on each, for benchstat to compare.
bench-store:
	scripts/pg-test-cluster.sh run $(GO) test -run '^$$' -bench '^(BenchmarkStore|BenchmarkPlanStored)$$' -benchmem -count 6 ./store/sqlite/ ./store/postgres/ ./service/

# fuzz runs each fuzz target briefly (CI); set FUZZTIME for longer runs.
# A count of runs rather than a duration: with a duration, Go 1.26's fuzz
# coordinator can report its own deadline as a failure when a worker is
# slow to stop on a loaded machine (golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 200000x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodePlan$$' -fuzztime $(FUZZTIME) ./planner/
	$(GO) test -run '^$$' -fuzz '^FuzzParseJSON$$' -fuzztime $(FUZZTIME) ./planner/
	$(GO) test -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime $(FUZZTIME) ./locale/
	$(GO) test -run '^$$' -fuzz '^FuzzParsePeriod$$' -fuzztime $(FUZZTIME) ./locale/
	$(GO) test -run '^$$' -fuzz '^FuzzReadPostsCSV$$' -fuzztime $(FUZZTIME) ./workbook/

# load puts a server on a temporary database under wrk on the loopback
# interface and reports requests a second and p99 per endpoint, and the
# plan/healthz ratio (scripts/load.sh; LOAD_SECONDS per endpoint, 5).
load:
	scripts/load.sh

# load-pg compares one instance on SQLite, one on PostgreSQL and two on
# one PostgreSQL database (a throw-away cluster) under wrk, endpoint by
# endpoint (scripts/load-pg.sh; the same settings as load).
load-pg:
	scripts/load-pg.sh

tools:
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
