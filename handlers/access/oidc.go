package access

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
)

// OIDCConfig configures single sign-on through an OpenID Connect
// provider (ADFS, Entra ID, Keycloak; docs/deployment.md).
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes are asked for besides "openid"; nil means profile and email.
	Scopes []string
	// RoleClaim names the ID token's claim that lists the user's groups
	// ("groups"); AdminGroup and PlannerGroup are the groups that make a
	// user an admin or a planner. Anyone else is a viewer.
	RoleClaim, AdminGroup, PlannerGroup string
	// Name is the provider's name on the login page's button; empty means
	// the issuer's host.
	Name string
}

// OIDC is single sign-on: the authorisation code flow with PKCE, its
// state and nonce checked, and the ID token verified against the
// provider's keys (github.com/coreos/go-oidc/v3 and golang.org/x/oauth2).
type OIDC struct {
	cfg      OIDCConfig
	name     string
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// NewOIDC asks the provider at cfg.Issuer for its configuration
// (/.well-known/openid-configuration). ctx lasts as long as the server:
// the provider's keys are fetched with it when they change.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: the provider %s: %w", cfg.Issuer, err)
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile", "email"}
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	name := cfg.Name
	if name == "" {
		if u, err := url.Parse(cfg.Issuer); err == nil && u.Host != "" {
			name = u.Host
		} else {
			name = cfg.Issuer
		}
	}
	return &OIDC{cfg: cfg, name: name, provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID})}, nil
}

// oauth2 is the client's configuration, its redirect at base.
func (o *OIDC) oauth2(base string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret,
		Endpoint:    o.provider.Endpoint(),
		RedirectURL: base + "/login/oidc/callback",
		Scopes:      append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...),
	}
}

// role is the role the groups in the claims give.
func (o *OIDC) role(claims map[string]any) service.Role {
	var groups []string
	switch v := claims[o.cfg.RoleClaim].(type) {
	case string:
		groups = []string{v}
	case []any:
		for _, g := range v {
			if s, ok := g.(string); ok {
				groups = append(groups, s)
			}
		}
	}
	return service.RoleFromGroups(groups, o.cfg.AdminGroup, o.cfg.PlannerGroup)
}

// oidcCookie holds the flow's state, nonce and PKCE verifier between the
// redirect to the provider and its return, signed with the server's
// secret; it lives ten minutes, on the sign-on's paths (on the whole site
// where cookies are Secure, as the prefix __Host- needs).
const (
	oidcCookie     = "grantplan_oidc"
	oidcCookiePath = "/login/oidc"
	oidcFlowTime   = 10 * time.Minute
)

// flowCookie is a cookie of the flow, with value and maxAge: named with
// the prefix __Host- where cookies are Secure, as the session's is, so
// that no other host under the domain can plant a flow of its own.
func (a *Handlers) flowCookie(c *gin.Context, value string, maxAge int) *http.Cookie {
	cookie := &http.Cookie{Name: oidcCookie, Value: value, Path: oidcCookiePath, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.Secure(c)}
	if cookie.Secure {
		cookie.Name, cookie.Path = web.HostOnly+oidcCookie, "/"
	}
	return cookie
}

type oidcFlow struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
	// Expires is when the flow ends, in Unix seconds: checked by the
	// server, since a browser may keep a cookie past its Max-Age.
	Expires int64 `json:"expires"`
}

// OIDCStart answers GET /login/oidc?next=PATH: a redirect to the
// provider's login, with a fresh state, nonce and PKCE challenge.
func (a *Handlers) OIDCStart(c *gin.Context) {
	o := a.oidc
	if o == nil {
		a.NotFound(c)
		return
	}
	flow := oidcFlow{State: oauth2.GenerateVerifier(), Nonce: oauth2.GenerateVerifier(),
		Verifier: oauth2.GenerateVerifier(), Next: localPath(c.Query("next")), Expires: time.Now().Add(oidcFlowTime).Unix()}
	data, err := json.Marshal(flow)
	if err != nil {
		a.Fail(c, err)
		return
	}
	payload := base64.RawURLEncoding.EncodeToString(data)
	sum, err := a.Config.Auth.MAC(c.Request.Context(), "oidc", payload)
	if err != nil {
		a.Fail(c, err)
		return
	}
	http.SetCookie(c.Writer, a.flowCookie(c, payload+"."+sum, int(oidcFlowTime.Seconds())))
	target := o.oauth2(a.Config.BaseURL(c.Request)).AuthCodeURL(flow.State,
		oidc.Nonce(flow.Nonce), oauth2.S256ChallengeOption(flow.Verifier))
	c.Redirect(http.StatusSeeOther, target)
}

// OIDCCallback answers GET /login/oidc/callback?code=…&state=…, where the
// provider sends the browser back: the state must be the one this browser
// was sent with, the code is exchanged (with the PKCE verifier) for an ID
// token, which must be signed by the provider, meant for this client,
// unexpired and carry the nonce. The user is then made or updated with
// the role their groups give, and signed in.
func (a *Handlers) OIDCCallback(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	o := a.oidc
	if o == nil {
		a.NotFound(c)
		return
	}
	fail := func(status int, why string, err error) {
		attrs := []slog.Attr{slog.String("client", c.ClientIP()), slog.String("reason", why)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		a.Log.LogAttrs(ctx, slog.LevelWarn, "single sign-on failed", attrs...)
		a.ErrorPage(c, status, l.Printf("page.sso.failed", o.name, l.Text(why)))
	}
	flow, ok := a.readFlow(c)
	http.SetCookie(c.Writer, a.flowCookie(c, "", -1))
	if !ok {
		fail(http.StatusBadRequest, "page.sso.not_started", nil)
		return
	}
	if reason := c.Query("error"); reason != "" {
		fail(http.StatusForbidden, "page.sso.refused", errors.New(reason+": "+c.Query("error_description")))
		return
	}
	if !hmac.Equal([]byte(c.Query("state")), []byte(flow.State)) {
		fail(http.StatusBadRequest, "page.sso.wrong_state", nil)
		return
	}
	token, err := o.oauth2(a.Config.BaseURL(c.Request)).Exchange(ctx, c.Query("code"), oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		fail(http.StatusBadGateway, "page.sso.not_confirmed", err)
		return
	}
	raw, _ := token.Extra("id_token").(string)
	idToken, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		fail(http.StatusForbidden, "page.sso.unverified", err)
		return
	}
	if !hmac.Equal([]byte(idToken.Nonce), []byte(flow.Nonce)) {
		fail(http.StatusForbidden, "page.sso.unverified", errors.New("the nonce does not match"))
		return
	}
	var claims map[string]any
	if err := idToken.Claims(&claims); err != nil {
		fail(http.StatusForbidden, "page.sso.unverified", err)
		return
	}
	name := firstString(claims, "preferred_username", "email", "upn", "sub")
	login, err := a.Config.Auth.LoginExternal(ctx, service.ExternalLogin{Issuer: idToken.Issuer, Subject: idToken.Subject,
		Name: name, Role: o.role(claims)}, c.ClientIP())
	var v *planner.ValidationError
	switch {
	case planner.KindOf(err) == planner.KindConflict:
		fail(http.StatusConflict, "page.sso.name_taken", err)
		return
	case errors.As(err, &v):
		fail(http.StatusForbidden, "page.sso.no_name", err)
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	if !a.beginSession(c, login) {
		return
	}
	web.SeeOther(c, flow.Next)
}

// readFlow reads the flow's cookie, if it is there and signed by this
// server.
func (a *Handlers) readFlow(c *gin.Context) (oidcFlow, bool) {
	value, err := c.Cookie(a.flowCookie(c, "", 0).Name)
	if err != nil {
		return oidcFlow{}, false
	}
	payload, sum, ok := strings.Cut(value, ".")
	if !ok {
		return oidcFlow{}, false
	}
	valid, err := a.Config.Auth.CheckMAC(c.Request.Context(), "oidc", payload, sum)
	if err != nil || !valid {
		return oidcFlow{}, false
	}
	data, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return oidcFlow{}, false
	}
	var flow oidcFlow
	if err := json.Unmarshal(data, &flow); err != nil || flow.State == "" || flow.Nonce == "" || flow.Verifier == "" ||
		time.Now().Unix() >= flow.Expires {
		return oidcFlow{}, false
	}
	flow.Next = localPath(flow.Next)
	return flow, true
}

// firstString returns the first of the claims that is a non-empty string.
func firstString(claims map[string]any, names ...string) string {
	for _, name := range names {
		if s, ok := claims[name].(string); ok && s != "" {
			return s
		}
	}
	return ""
}
