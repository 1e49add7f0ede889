package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"grantplan/data"
	"grantplan/handlers"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
	"grantplan/store/storeopen"
)

// Server timeouts. A request body is at most 1 MiB and planning is bounded
// by service.DefaultPlanTimeout, so a request that takes longer than these
// is stuck or hostile.
const (
	// readHeaderTimeout closes a connection that sends its headers too
	// slowly (slowloris) before it holds a handler.
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = service.DefaultPlanTimeout + 30*time.Second
	// idleTimeout closes a kept-alive connection nobody uses, so that it
	// does not hold one of --max-conns for long.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes bounds the request line and headers.
	maxHeaderBytes = 64 << 10
	// shutdownTimeout is how long requests under way may take to finish
	// once the server is told to stop.
	shutdownTimeout = service.DefaultPlanTimeout + 5*time.Second
)

// serveConfig is what the flags of serve set.
type serveConfig struct {
	addr, db        string
	maxConns        int
	maxDBSize       byteSize
	maxRevisionSize byteSize
	maxBytes        byteSize
	limits          service.Limits
}

// Defaults of serve's flags.
const (
	defaultMaxConns  = 1024
	defaultMaxDBSize = 4 << 30
)

// serve runs `grantplan serve [--addr 127.0.0.1:8080] [--db PATH|URL] …`:
// the HTTP API and pages on a SQLite or PostgreSQL store, until the context
// ends (SIGINT or SIGTERM). Requests under way then finish, and the store
// is closed cleanly. docs/deployment.md describes the flags.
func (c *cli) serve(args []string) error {
	fs := c.newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--db PATH|URL] [flags]")
	cfg := serveConfig{maxDBSize: defaultMaxDBSize, maxRevisionSize: service.DefaultMaxRevisionSize, maxBytes: service.DefaultMaxBytes}
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen on this `address` (host:port; port 0 picks a free one)")
	db := dbFlag(fs)
	fs.IntVar(&cfg.maxConns, "max-conns", defaultMaxConns, "the most open connections; more wait to be accepted")
	fs.Var(&cfg.maxDBSize, "max-db-size", "the largest a SQLite database file may grow (`size`, such as 4GiB; 0 for no limit); writes beyond it are refused with 507")
	fs.Var(&cfg.maxRevisionSize, "max-revision-size", "the largest scenario body stored (`size`); larger ones are refused with 413")
	fs.IntVar(&cfg.limits.Workers, "workers", 0, "expensive requests (big plans, what-ifs, risk runs, workbooks) run at once (`n`; default half the CPUs)")
	fs.IntVar(&cfg.limits.Queue, "queue", 0, "expensive requests that may wait for a worker (`n`; default 4 per worker); more are refused with 503")
	fs.DurationVar(&cfg.limits.Wait, "queue-wait", 0, "how long an expensive request may wait for a worker (`duration`; default 5s)")
	fs.IntVar(&cfg.limits.PerClient, "per-client", 0, "expensive requests one client may have running or waiting (`n`; default half of workers and queue)")
	fs.Int64Var(&cfg.limits.MaxWork, "max-work", service.DefaultMaxWork, "the most posts one request may plan in one pass (`n`: posts × trials of a risk run, posts × scenarios of a what-if); more are refused with 422")
	fs.Var(&cfg.maxBytes, "max-memory", "the most memory one request may be estimated to take (`size`); more is refused with 422")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		fs.Usage()
		return c.invalid(fmt.Errorf("serve takes no arguments, got %q", positional))
	}
	if cfg.maxConns < 1 || cfg.limits.Workers < 0 || cfg.limits.Queue < 0 || cfg.limits.PerClient < 0 || cfg.limits.Wait < 0 || cfg.limits.MaxWork < 1 {
		fs.Usage()
		return c.invalid(errors.New("serve: --max-conns and --max-work must be 1 or more, the other limits 0 or more"))
	}
	if cfg.maxRevisionSize < 1 || cfg.maxBytes < 1 {
		fs.Usage()
		return c.invalid(errors.New("serve: --max-revision-size and --max-memory must be 1 byte or more"))
	}
	cfg.limits.MaxBytes = int64(cfg.maxBytes)
	logger := slog.New(slog.NewTextHandler(c.stderr, nil))

	dsn := storeopen.DSN(*db)
	cfg.db = storeopen.Redact(dsn)
	st, err := storeopen.OpenWith(c.ctx, dsn, storeopen.Options{MaxSize: int64(cfg.maxDBSize)})
	if err != nil {
		return err
	}
	err = c.serveStore(st, cfg, logger)
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	return err
}

// serveStore serves the API on st, the store cfg.db names (without a
// password), until the context ends.
func (c *cli) serveStore(st store.Store, cfg serveConfig, logger *slog.Logger) error {
	if err := storeDemo(c.ctx, st, logger); err != nil {
		return err
	}
	if err := st.PingWrite(c.ctx); err != nil {
		// Served all the same: reads work, and writes say why they fail.
		logger.Warn("the store cannot be written; serving reads only", "error", err)
	}
	listener, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	svc := service.New(st, service.Options{Limits: &cfg.limits, MaxRevisionSize: int(cfg.maxRevisionSize)})
	defer svc.Close()
	srv := &http.Server{
		Handler: handlers.NewRouter(handlers.Deps{
			Service: svc,
			Health:  st,
			Logger:  logger,
		}),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "addr", listener.Addr().String(), "url", "http://"+listener.Addr().String()+"/", "db", cfg.db)

	served := make(chan error, 1)
	// Past --max-conns, connections wait in the kernel's queue to be
	// accepted instead of each taking a file handle and a goroutine.
	go func() { served <- srv.Serve(netutil.LimitListener(listener, cfg.maxConns)) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-c.ctx.Done():
	}

	logger.Info("shutting down: finishing the requests under way")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		// Requests still running after the timeout are cut off; what they
		// were writing is in a transaction that is rolled back.
		srv.Close()
		logger.Warn("shutdown: requests cut off", "error", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// A byteSize is a flag of bytes, written as a whole number with an
// optional unit: 1048576, 512KiB, 64MiB, 4GiB (or kB, MB, GB in powers of
// ten).
type byteSize int64

var byteUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
}

func (b *byteSize) String() string {
	for _, u := range byteUnits[:4] {
		if n := int64(*b); n != 0 && n%u.factor == 0 && n/u.factor < 1024 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Set(s string) error {
	number, factor := s, int64(1)
	for _, u := range byteUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			number, factor = strings.TrimSpace(rest), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/factor {
		return fmt.Errorf("%q is not a size: want a whole number of bytes, optionally with a unit such as MiB or GiB", s)
	}
	*b = byteSize(n * factor)
	return nil
}

// storeDemo stores the demo scenario on first start, so that a newcomer
// sees something at once: when the store has no scenario and the demo's id
// was never used. A demo deleted by the user stays deleted.
func storeDemo(ctx context.Context, st store.Scenarios, logger *slog.Logger) error {
	_, total, err := st.List(ctx, store.ListOptions{Limit: 1})
	if err != nil {
		return err
	}
	if total > 0 {
		return nil
	}
	if id, err := st.UniqueID(ctx, data.DemoID); err != nil || id != data.DemoID {
		return err // nil when the id was used before
	}
	demo, err := planner.Decode(data.Demo)
	if err != nil {
		return fmt.Errorf("serve: the demo scenario: %w", err)
	}
	_, err = st.Create(ctx, data.DemoID, demo.Name, data.Demo)
	if planner.KindOf(err) == planner.KindConflict {
		return nil // another server on the same file was quicker
	}
	if err != nil {
		return err
	}
	logger.Info("stored the demo scenario", "id", data.DemoID)
	return nil
}
