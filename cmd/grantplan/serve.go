package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"grantplan/data"
	"grantplan/handlers"
	"grantplan/handlers/access"
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

// serveOptions are serve's flags.
type serveOptions struct {
	addr, db       string
	anonymousRole  string
	trustedProxies []string
	secureCookies  bool
	publicURL      string
	oidc           access.OIDCConfig
	oidcSecretFile string
	oidcScopes     string
	// The limits (docs/deployment.md, Limits and timeouts).
	maxConns        int
	maxDBSize       byteSize
	maxRevisionSize byteSize
	maxBytes        byteSize
	limits          service.Limits
}

// Defaults of serve's limits.
const (
	defaultMaxConns  = 1024
	defaultMaxDBSize = 4 << 30
)

const serveSynopsis = `serve [--addr 127.0.0.1:8080] [--db PATH|URL] [--anonymous-role viewer|none]
       [--trusted-proxy CIDR …] [--secure-cookies] [--public-url URL]
       [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file FILE
        [--oidc-role-claim groups] [--oidc-admin-group G] [--oidc-planner-group G] [--oidc-scopes "profile email"]]
       [--max-conns N] [--workers N] [--queue N] [--queue-wait D] [--per-client N]
       [--max-work N] [--max-memory SIZE] [--max-revision-size SIZE] [--max-db-size SIZE]`

// serve runs `grantplan serve`: the web pages and the API on a SQLite or
// PostgreSQL store, until the context ends (SIGINT or SIGTERM). Requests
// under way then finish, and the store is closed cleanly.
func (c *cli) serve(args []string) error {
	o := serveOptions{maxDBSize: defaultMaxDBSize, maxRevisionSize: service.DefaultMaxRevisionSize, maxBytes: service.DefaultMaxBytes}
	fs := c.newFlagSet("serve", serveSynopsis)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on this `address` (host:port; port 0 picks a free one)")
	db := dbFlag(fs)
	fs.StringVar(&o.anonymousRole, "anonymous-role", "none", "the `role` of visitors who have not signed in: viewer (they may read and plan, store nothing) or none")
	fs.Func("trusted-proxy", "a reverse proxy's address or `CIDR` range, whose X-Forwarded-For names the client (may be repeated)", func(v string) error {
		o.trustedProxies = append(o.trustedProxies, v)
		return nil
	})
	fs.BoolVar(&o.secureCookies, "secure-cookies", false, "mark cookies Secure, for a server behind a proxy that ends TLS")
	fs.StringVar(&o.publicURL, "public-url", "", "the server's `URL` as its users reach it, for share links and single sign-on (default: the address each request came to)")
	fs.StringVar(&o.oidc.Issuer, "oidc-issuer", "", "single sign-on: the OpenID Connect provider's issuer `URL`")
	fs.StringVar(&o.oidc.ClientID, "oidc-client-id", "", "single sign-on: this server's client `id` at the provider")
	fs.StringVar(&o.oidcSecretFile, "oidc-client-secret-file", "", "single sign-on: a `file` holding the client secret")
	fs.StringVar(&o.oidc.RoleClaim, "oidc-role-claim", "groups", "single sign-on: the ID token's `claim` that lists the user's groups")
	fs.StringVar(&o.oidc.AdminGroup, "oidc-admin-group", "", "single sign-on: the `group` whose members are admins")
	fs.StringVar(&o.oidc.PlannerGroup, "oidc-planner-group", "", "single sign-on: the `group` whose members are planners (everyone else is a viewer)")
	fs.StringVar(&o.oidcScopes, "oidc-scopes", "profile email", "single sign-on: the `scopes` to ask for besides openid, separated by spaces")
	fs.StringVar(&o.oidc.Name, "oidc-name", "", "single sign-on: the provider's `name` on the login page (default: the issuer's host)")
	fs.IntVar(&o.maxConns, "max-conns", defaultMaxConns, "the most open connections; more wait to be accepted")
	fs.Var(&o.maxDBSize, "max-db-size", "the largest a SQLite database file may grow (`size`, such as 4GiB; 0 for no limit); writes beyond it are refused with 507")
	fs.Var(&o.maxRevisionSize, "max-revision-size", "the largest scenario body stored (`size`); larger ones are refused with 413")
	fs.IntVar(&o.limits.Workers, "workers", 0, "expensive requests (big plans, what-ifs, risk runs, workbooks, reports) run at once (`n`; default half the CPUs)")
	fs.IntVar(&o.limits.Queue, "queue", 0, "expensive requests that may wait for a worker (`n`; default 4 per worker); more are refused with 503")
	fs.DurationVar(&o.limits.Wait, "queue-wait", 0, "how long an expensive request may wait for a worker (`duration`; default 5s)")
	fs.IntVar(&o.limits.PerClient, "per-client", 0, "expensive requests one client may have running or waiting (`n`; default half of workers and queue)")
	fs.Int64Var(&o.limits.MaxWork, "max-work", service.DefaultMaxWork, "the most posts one request may plan in one pass (`n`: posts × trials of a risk run, posts × scenarios of a what-if); more are refused with 422")
	fs.Var(&o.maxBytes, "max-memory", "the most memory one request may be estimated to take (`size`); more is refused with 422")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		fs.Usage()
		return c.invalid(fmt.Errorf("serve takes no arguments, got %q", positional))
	}
	if err := o.check(); err != nil {
		return c.invalid(err)
	}
	logger := slog.New(slog.NewTextHandler(c.stderr, nil))

	o.db = storeopen.DSN(*db)
	st, err := storeopen.OpenWith(c.ctx, o.db, storeopen.Options{MaxSize: int64(o.maxDBSize)})
	if err != nil {
		return err
	}
	err = c.serveStore(st, o, logger)
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	return err
}

// check refuses options that do not go together, before anything starts.
func (o *serveOptions) check() error {
	switch o.anonymousRole {
	case "none":
		o.anonymousRole = ""
	case string(service.RoleViewer):
	default:
		// Never admin or planner: a change needs someone the audit log
		// can name.
		return fmt.Errorf("--anonymous-role %q: want viewer or none", o.anonymousRole)
	}
	for _, proxy := range o.trustedProxies {
		if _, err := netip.ParsePrefix(proxy); err != nil {
			if _, err := netip.ParseAddr(proxy); err != nil {
				return fmt.Errorf("--trusted-proxy %q: want an address or a CIDR range such as 10.0.0.0/8", proxy)
			}
		}
	}
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--public-url %q: want the server's address, such as https://grantplan.kreis.example", o.publicURL)
		}
	}
	sso := o.oidc.Issuer != "" || o.oidc.ClientID != "" || o.oidcSecretFile != ""
	if sso && (o.oidc.Issuer == "" || o.oidc.ClientID == "" || o.oidcSecretFile == "") {
		return errors.New("single sign-on needs --oidc-issuer, --oidc-client-id and --oidc-client-secret-file together")
	}
	o.oidc.Scopes = strings.Fields(o.oidcScopes)
	if o.maxConns < 1 || o.limits.Workers < 0 || o.limits.Queue < 0 || o.limits.PerClient < 0 || o.limits.Wait < 0 || o.limits.MaxWork < 1 {
		return errors.New("--max-conns and --max-work must be 1 or more, the other limits 0 or more")
	}
	if o.maxRevisionSize < 1 || o.maxBytes < 1 {
		return errors.New("--max-revision-size and --max-memory must be 1 byte or more")
	}
	o.limits.MaxBytes = int64(o.maxBytes)
	return nil
}

// newOIDC sets up single sign-on, if asked for: the client secret from its
// file, and the provider's configuration, which the provider must answer
// at start-up.
func (c *cli) newOIDC(o serveOptions) (*access.OIDC, error) {
	if o.oidc.Issuer == "" {
		return nil, nil
	}
	secret, err := os.ReadFile(o.oidcSecretFile)
	if err != nil {
		return nil, fmt.Errorf("serve: the OpenID client secret: %w", err)
	}
	o.oidc.ClientSecret = strings.TrimSpace(string(secret))
	if o.oidc.ClientSecret == "" {
		return nil, fmt.Errorf("serve: the OpenID client secret file %s is empty", o.oidcSecretFile)
	}
	return access.NewOIDC(c.ctx, o.oidc)
}

// serveStore serves the pages and the API on st until the context ends.
func (c *cli) serveStore(st store.Store, o serveOptions, logger *slog.Logger) error {
	if err := storeDemo(c.ctx, st, logger); err != nil {
		return err
	}
	sso, err := c.newOIDC(o)
	if err != nil {
		return err
	}
	if err := st.PingWrite(c.ctx); err != nil {
		// Served all the same: reads work, and writes say why they fail.
		logger.Warn("the store cannot be written; serving reads only", "error", err)
	}
	opts := service.Options{Logger: logger, Limits: &o.limits, MaxRevisionSize: int(o.maxRevisionSize)}
	auth := service.NewAuth(st, opts)
	firstPassword, err := auth.Bootstrap(c.ctx, firstUser)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	opts.Auth = auth // the service's account changes clear its token cache
	svc := service.New(st, opts)
	defer svc.Close()
	srv := &http.Server{
		Handler: handlers.NewRouter(handlers.Deps{
			Service:        svc,
			Auth:           auth,
			Health:         st,
			Logger:         logger,
			AnonymousRole:  service.Role(o.anonymousRole),
			TrustedProxies: o.trustedProxies,
			SecureCookies:  o.secureCookies,
			PublicURL:      o.publicURL,
			OIDC:           sso,
		}),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	base := "http://" + listener.Addr().String()
	if o.publicURL != "" {
		base = strings.TrimSuffix(o.publicURL, "/")
	}
	logger.Info("listening", "addr", listener.Addr().String(), "url", base+"/", "db", storeopen.Redact(o.db))
	if firstPassword != "" {
		// Not a log line: a password belongs in no log. It is shown this
		// once, on the terminal of whoever started the server.
		fmt.Fprintf(c.stderr, "\nNo users yet: made the user %q with the password\n\n    %s\n\n"+
			"It is shown only now. Sign in at %s/login and keep it safe, or set your own:\n"+
			"    grantplan user passwd %s%s\n\n", firstUser, firstPassword, base, firstUser, dbArgument(o.db))
	}

	served := make(chan error, 1)
	// Past --max-conns, connections wait in the kernel's queue to be
	// accepted instead of each taking a file handle and a goroutine.
	go func() { served <- srv.Serve(netutil.LimitListener(listener, o.maxConns)) }()
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

// firstUser is the admin serve makes on first start, when there is no
// user yet.
const firstUser = "admin"

// dbArgument is the --db argument a command line shown to the user needs
// to work on the database dsn: none for a PostgreSQL URL, whose password
// belongs in no message (the command takes GRANTPLAN_DB, as serve did).
func dbArgument(dsn string) string {
	if storeopen.KindOf(dsn) == storeopen.PostgreSQL {
		return ""
	}
	return " --db " + dsn
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
