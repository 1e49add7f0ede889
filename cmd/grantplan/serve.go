package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

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
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = service.DefaultPlanTimeout + 30*time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownTimeout is how long requests under way may take to finish
	// once the server is told to stop.
	shutdownTimeout = service.DefaultPlanTimeout + 5*time.Second
)

// serve runs `grantplan serve [--addr 127.0.0.1:8080] [--db PATH|URL]`:
// the HTTP API on a SQLite or PostgreSQL store, until the context ends
// (SIGINT or SIGTERM). Requests under way then finish, and the store is
// closed cleanly.
func (c *cli) serve(args []string) error {
	fs := c.newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--db PATH|URL]")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `address` (host:port; port 0 picks a free one)")
	db := dbFlag(fs)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		fs.Usage()
		return c.invalid(fmt.Errorf("serve takes no arguments, got %q", positional))
	}
	logger := slog.New(slog.NewTextHandler(c.stderr, nil))

	dsn := storeopen.DSN(*db)
	st, err := storeopen.Open(c.ctx, dsn)
	if err != nil {
		return err
	}
	err = c.serveStore(st, *addr, storeopen.Redact(dsn), logger)
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	return err
}

// serveStore serves the API on st, the store db names (without a
// password), until the context ends.
func (c *cli) serveStore(st store.Store, addr, db string, logger *slog.Logger) error {
	if err := storeDemo(c.ctx, st, logger); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler: handlers.NewRouter(handlers.Deps{
			Service: service.New(st, service.Options{}),
			Health:  st,
			Logger:  logger,
		}),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "addr", listener.Addr().String(), "url", "http://"+listener.Addr().String()+"/", "db", db)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()
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
