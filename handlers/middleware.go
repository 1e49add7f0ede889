package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/api"
	"grantplan/handlers/web"
)

// logRequests logs one line per request once it has been answered.
func logRequests(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		log.LogAttrs(context.Background(), slog.LevelInfo, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", web.LogPath(c.Request.URL.Path)),
			slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.Duration("duration", time.Since(start)),
			slog.String("client", c.ClientIP()),
		)
	}
}

// warnUntrustedProxy logs a warning, once, when a request says in
// X-Forwarded-For which client it comes from but its peer is no trusted
// proxy, so that the header is ignored: behind a reverse proxy that serve
// was not told of (--trusted-proxy), every client has the proxy's
// address, and five failed logins of anyone refuse the logins of all for
// a quarter of an hour (service.LoginLimit).
func warnUntrustedProxy(log *slog.Logger, trusted []string) gin.HandlerFunc {
	var prefixes []netip.Prefix
	for _, t := range trusted {
		if p, err := netip.ParsePrefix(t); err == nil {
			prefixes = append(prefixes, p)
		} else if addr, err := netip.ParseAddr(t); err == nil {
			prefixes = append(prefixes, netip.PrefixFrom(addr, addr.BitLen()))
		}
	}
	var once sync.Once
	return func(c *gin.Context) {
		if c.Request.Header.Get("X-Forwarded-For") == "" {
			c.Next()
			return
		}
		peer, err := netip.ParseAddr(c.RemoteIP())
		if err != nil {
			c.Next()
			return
		}
		peer = peer.Unmap()
		for _, p := range prefixes {
			if p.Contains(peer) {
				c.Next()
				return
			}
		}
		once.Do(func() {
			log.LogAttrs(context.Background(), slog.LevelWarn,
				"X-Forwarded-For ignored: the request came from no trusted proxy; if this peer is your reverse proxy, "+
					"start serve with --trusted-proxy and its address, or all clients count as one in the login throttle and the audit log",
				slog.String("peer", peer.String()))
		})
		c.Next()
	}
}

// recoverPanics turns a panic in a handler into a logged error and a 500
// problem, so that one bad request neither kills the server nor leaves the
// client without an answer.
func recoverPanics(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // net/http's way to abort a response on purpose
			}
			log.LogAttrs(context.Background(), slog.LevelError, "panic serving request",
				slog.String("method", c.Request.Method),
				slog.String("path", web.LogPath(c.Request.URL.Path)),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())),
			)
			api.WriteProblem(c, api.Problem{
				Type: "about:blank", Title: http.StatusText(http.StatusInternalServerError),
				Status: http.StatusInternalServerError, Detail: "internal error",
			})
		}()
		c.Next()
	}
}

// limitBody refuses a request body over limit bytes (or, for a route of
// routes, its own limit) with 413 (answered by fail): at once if
// Content-Length says so, and otherwise when a handler reads past the
// limit (a chunked body has no length), which the handlers answer with
// 413 too.
func limitBody(limit int64, routes map[string]int64, fail func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := limit
		if own, ok := routes[c.FullPath()]; ok {
			limit = own
		}
		if c.Request.ContentLength > limit {
			fail(c, &http.MaxBytesError{Limit: limit})
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}
