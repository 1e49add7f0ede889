package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
)

// Authenticate recognises the caller of an API request from its bearer
// token (Authorization: Bearer gpt_…, RFC 6750) and puts them in the
// request's context for the service, which decides what they may do. A
// request without a token is anonymous: in the anonymous role if the
// server has one (serve --anonymous-role), else one the service refuses
// with 401. A token that is malformed, unknown, revoked or expired is
// refused here, with 401 and error="invalid_token"; the API takes no
// cookies.
func (a *Handlers) Authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	actor := service.Actor{Role: a.cfg.AnonymousRole, Via: service.ViaAnonymous, Address: c.ClientIP()}
	if header := c.GetHeader("Authorization"); header != "" {
		scheme, token, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			a.refuse(c, `error="invalid_request"`, "the Authorization header takes a bearer token: Authorization: Bearer gpt_…")
			return
		}
		var err error
		actor, err = a.cfg.Auth.Token(ctx, strings.TrimSpace(token), c.ClientIP())
		if errors.Is(err, service.ErrBadToken) {
			a.log.LogAttrs(ctx, slog.LevelInfo, "API token refused", slog.String("client", c.ClientIP()))
			a.refuse(c, `error="invalid_token"`, "the API token is not valid: unknown, revoked or expired")
			return
		}
		if err != nil {
			a.Fail(c, err)
			return
		}
	}
	c.Request = c.Request.WithContext(service.WithActor(ctx, actor))
	c.Next()
}

// refuse answers 401 with a challenge that says what was wrong.
func (a *Handlers) refuse(c *gin.Context, why, detail string) {
	c.Header("WWW-Authenticate", Challenge+", "+why)
	a.Fail(c, httperr.Errorf(http.StatusUnauthorized, "%s", detail))
}
