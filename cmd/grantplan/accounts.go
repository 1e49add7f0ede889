package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"grantplan/planner"
	"grantplan/service"
	"grantplan/store/storeopen"
)

// osUser is the operating system's user running the program, for the
// audit log; "" if it cannot be told.
func osUser() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.Username
}

// withService opens the store db names (--db) and calls f with a service
// on it, closing the store afterwards. It may run while serve runs on the
// same database.
func (c *cli) withService(db string, f func(svc *service.Service) error) error {
	st, err := storeopen.Open(c.ctx, storeopen.DSN(db))
	if err != nil {
		return err
	}
	err = f(service.New(st, service.Options{}))
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	return err
}

// failed reports an error of the service: invalid input (a bad name, a
// short password, a role that does not exist) with exit status 2, each
// problem on a line; a user or token that does not exist, or a name that
// is taken, likewise; anything else with 1.
func (c *cli) failed(err error) error {
	var v *planner.ValidationError
	switch {
	case errors.As(err, &v):
		for _, p := range v.Problems {
			fmt.Fprintf(c.stderr, "grantplan: %s: %s\n", p.Path, p.Message)
		}
		return &exitError{code: exitInvalid, err: err}
	case planner.KindOf(err) == planner.KindNotFound, planner.KindOf(err) == planner.KindConflict:
		fmt.Fprintf(c.stderr, "grantplan: %v\n", err)
		return &exitError{code: exitInvalid, err: err}
	}
	return err
}

const userSynopsis = `user add NAME --role admin|planner|viewer [--password-stdin] [--db PATH|URL]
       grantplan user list [--db PATH|URL]
       grantplan user remove NAME [--db PATH|URL]
       grantplan user passwd NAME [--password-stdin] [--db PATH|URL]
       grantplan user role NAME admin|planner|viewer [--db PATH|URL]`

// user runs `grantplan user …`: the accounts of the web pages and the API.
func (c *cli) user(args []string) error {
	fs := c.newFlagSet("user", userSynopsis)
	dbPath := dbFlag(fs)
	role := fs.String("role", "", "the new user's `role`: admin, planner or viewer")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of making one")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	want := func(n int) error {
		if len(positional) != n {
			fs.Usage()
			return c.invalid(fmt.Errorf("user %s takes %d arguments, got %d", positional[0], n-1, len(positional)-1))
		}
		return nil
	}
	if len(positional) == 0 {
		fs.Usage()
		return c.invalid(errors.New("user needs a subcommand: add, list, remove, passwd or role"))
	}
	switch positional[0] {
	case "add":
		if err := want(2); err != nil {
			return err
		}
		password, generated, err := c.password(*fromStdin)
		if err != nil {
			return err
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			u, err := svc.AddUser(c.ctx, positional[1], service.Role(*role), password)
			if err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "Added the user %s (%s).\n", u.Name, u.Role)
			if generated {
				fmt.Fprintf(c.stdout, "Password (shown only now): %s\n", password)
			}
			return nil
		})
	case "list":
		if err := want(1); err != nil {
			return err
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			users, err := svc.Users(c.ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tROLE\tSINCE\tSIGNS IN WITH")
			for _, u := range users {
				how := "password"
				if u.Issuer != "" {
					how = u.Issuer
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Created.In(service.Zone).Format(time.DateOnly), how)
			}
			return w.Flush()
		})
	case "remove":
		if err := want(2); err != nil {
			return err
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			if err := svc.RemoveUser(c.ctx, positional[1]); err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "Removed the user %s, their sessions and API tokens.\n", strings.ToLower(positional[1]))
			return nil
		})
	case "passwd":
		if err := want(2); err != nil {
			return err
		}
		password, generated, err := c.password(*fromStdin)
		if err != nil {
			return err
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			if err := svc.SetPassword(c.ctx, positional[1], password); err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "Changed the password of %s and ended their sessions.\n", strings.ToLower(positional[1]))
			if generated {
				fmt.Fprintf(c.stdout, "Password (shown only now): %s\n", password)
			}
			return nil
		})
	case "role":
		if err := want(3); err != nil {
			return err
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			if err := svc.SetRole(c.ctx, positional[1], service.Role(positional[2])); err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "%s is now %s.\n", strings.ToLower(positional[1]), positional[2])
			return nil
		})
	}
	fs.Usage()
	return c.invalid(fmt.Errorf("unknown subcommand user %s: want add, list, remove, passwd or role", positional[0]))
}

// password returns the password to set: the first line of standard input,
// or a new strong one (and true) to be printed once.
func (c *cli) password(fromStdin bool) (string, bool, error) {
	if !fromStdin {
		return service.NewPassword(), true, nil
	}
	line, err := bufio.NewReader(io.LimitReader(c.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, c.invalid(fmt.Errorf("read the password: %w", err))
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", false, c.invalid(errors.New("--password-stdin: standard input holds no password"))
	}
	return password, false, nil
}

const tokenSynopsis = `token add NAME [--label TEXT] [--expires P90D] [--db PATH|URL]
       grantplan token list [--db PATH|URL]
       grantplan token revoke ID [--db PATH|URL]`

// token runs `grantplan token …`: API tokens. A new token is printed
// alone on the last line of standard output, once; only its hash is
// stored.
func (c *cli) token(args []string) error {
	fs := c.newFlagSet("token", tokenSynopsis)
	dbPath := dbFlag(fs)
	label := fs.String("label", "", "what the token is for, to recognise it in token list")
	expires := fs.String("expires", service.DefaultTokenValidity.String(), "how long the token works, as an ISO 8601 `period` (at most P2Y)")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) == 0 {
		fs.Usage()
		return c.invalid(errors.New("token needs a subcommand: add, list or revoke"))
	}
	switch {
	case positional[0] == "add" && len(positional) == 2:
		valid, err := planner.ParsePeriod(*expires)
		if err != nil {
			return c.invalid(fmt.Errorf("--expires %q: want a period such as P90D", *expires))
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			t, err := svc.AddToken(c.ctx, positional[1], *label, valid)
			if err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "API token %d for %s, valid until %s. It is shown only now; send it as Authorization: Bearer TOKEN.\n",
				t.ID, t.User, t.Expires.In(service.Zone).Format(time.DateOnly))
			fmt.Fprintln(c.stdout, t.Secret)
			return nil
		})
	case positional[0] == "list" && len(positional) == 1:
		return c.withService(*dbPath, func(svc *service.Service) error {
			tokens, err := svc.Tokens(c.ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tUSER\tLABEL\tCREATED\tEXPIRES\tLAST USED")
			now := time.Now()
			for _, t := range tokens {
				used, ends := "never", t.Expires.In(service.Zone).Format(time.DateOnly)
				if !t.LastUsed.IsZero() {
					used = t.LastUsed.In(service.Zone).Format("2006-01-02 15:04")
				}
				if !now.Before(t.Expires) {
					ends += " (expired)"
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Label,
					t.Created.In(service.Zone).Format(time.DateOnly), ends, used)
			}
			return w.Flush()
		})
	case positional[0] == "revoke" && len(positional) == 2:
		id, err := strconv.ParseInt(positional[1], 10, 64)
		if err != nil {
			return c.invalid(fmt.Errorf("token revoke %q: want the token's number from token list", positional[1]))
		}
		return c.withService(*dbPath, func(svc *service.Service) error {
			if err := svc.RevokeToken(c.ctx, id); err != nil {
				return c.failed(err)
			}
			fmt.Fprintf(c.stdout, "Revoked API token %d. A running server may accept it for %s more.\n", id, service.DefaultTokenCache)
			return nil
		})
	}
	fs.Usage()
	return c.invalid(fmt.Errorf("token %s: want add NAME, list or revoke ID", strings.Join(positional, " ")))
}
