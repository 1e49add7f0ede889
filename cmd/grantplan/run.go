package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

const usage = `grantplan plans grant-funded hiring against a funding deadline.

Usage:
  grantplan plan    FILE|- [--json | --lang en|de] [--start DATE] [--fail-on critical|warning]
  grantplan whatif  FILE|- --variant NAME=PATCHFILE … [--json | --lang en|de]
  grantplan serve   [--addr 127.0.0.1:8080] [--db PATH|URL] [--anonymous-role viewer] [--oidc-issuer URL …]
                    [--max-conns N] [--workers N] … (docs/deployment.md)
  grantplan user    add NAME --role admin|planner|viewer [--password-stdin] | list | remove NAME |
                    passwd NAME [--password-stdin] | role NAME ROLE   [--db PATH|URL]
  grantplan token   add NAME [--label TEXT] [--expires P90D] | list | revoke ID   [--db PATH|URL]
  grantplan risk    FILE|- [--trials N] [--seed N] [--confidence 0.8] [--spread MIN:MAX] [--json | --lang en|de]
  grantplan export  FILE|- -o OUT.xlsx [--lang en|de] [--start DATE] [--risk …]
  grantplan report  FILE|- -o OUT.pdf [--lang en|de] [--start DATE] [--risk …]
  grantplan import  FILE.xlsx|FILE.csv|- -o OUT.json [--base SCENARIO.json] [--lang en|de]
  grantplan template -o OUT.xlsx [--lang en|de]
  grantplan copy    --from PATH|URL --to PATH|URL
  grantplan backup  [--db PATH] -o FILE
  grantplan version

FILE is a scenario in JSON (docs/scenario.md); - reads it from standard input.
--db takes a SQLite file's path or a PostgreSQL URL (postgres://…); without
it, the environment's GRANTPLAN_DB, else ./grantplan.db. copy takes
GRANTPLAN_DB for whichever of --from and --to is left out.
serve, user and token may work on one database at once; serve --help lists
its options (access, single sign-on, proxies).
Exit status: 0 done, 1 failure, 2 invalid usage or input, 3 a flag of the
severity named by --fail-on (or worse) is present.
`

// Exit statuses.
const (
	exitFailure = 1
	exitInvalid = 2
	exitFlagged = 3
)

// exitError ends the program with a status; its message, if any, has been
// written already.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var e *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &e):
		return e.code
	}
	return exitFailure
}

// run is the whole program: main only supplies the process's context,
// arguments and streams, so tests can drive every command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: exitInvalid, err: errors.New("no command")}
	}
	// Whoever runs the command line on the database may do everything,
	// as they could edit the file; the audit log names them.
	ctx = service.WithActor(ctx, service.CommandLine(osUser()))
	cli := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr,
		// The commands on files have no store and no plan timeout: their
		// user can stop them.
		service: service.New(nil, service.Options{PlanTimeout: -1}),
	}
	command, rest := args[1], args[2:]
	var err error
	switch command {
	case "plan":
		err = cli.plan(rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "whatif":
		err = cli.whatif(rest)
	case "serve":
		err = cli.serve(rest)
	case "risk":
		err = cli.risk(rest)
	case "export":
		err = cli.export(rest)
	case "import":
		err = cli.importFile(rest)
	case "template":
		err = cli.template(rest)
	case "report":
		err = cli.report(rest)
	case "user":
		err = cli.user(rest)
	case "token":
		err = cli.token(rest)
	case "copy":
		err = cli.copyStore(rest)
	case "backup":
		err = cli.backup(rest)
	case "version", "-version", "--version":
		err = cli.version(rest)
	default:
		fmt.Fprintf(stderr, "grantplan: unknown command %q\n\n%s", command, usage)
		err = &exitError{code: exitInvalid, err: fmt.Errorf("unknown command %q", command)}
	}
	var e *exitError
	if err != nil && !errors.As(err, &e) {
		fmt.Fprintf(stderr, "grantplan %s: %v\n", command, err)
	}
	return err
}

// cli holds what every command needs.
type cli struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	service        *service.Service
}

// invalid reports a usage error and returns exit status 2.
func (c *cli) invalid(err error) error {
	fmt.Fprintf(c.stderr, "grantplan: %v\n", err)
	return &exitError{code: exitInvalid, err: err}
}

// parseArgs parses flags that may come before or after the positional
// arguments (`plan FILE --json` as well as `plan --json FILE`); a lone "-"
// is a positional argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// maxScenarioSize bounds what the CLI reads; the API takes 1 MiB.
const maxScenarioSize = 64 << 20

// readFile reads a scenario file or, for "-", standard input; a file that
// cannot be read gives exit status 2.
func (c *cli) readFile(name string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(c.stdin, maxScenarioSize+1))
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, c.invalid(fmt.Errorf("read scenario: %w", err))
	}
	if len(data) > maxScenarioSize {
		return nil, c.invalid(fmt.Errorf("read scenario: %s is larger than %d MiB", name, maxScenarioSize>>20))
	}
	return data, nil
}

// readScenario reads and decodes a scenario from a file or, for "-",
// standard input. An invalid scenario is reported one problem per line,
// each starting with its JSON path, and gives exit status 2.
func (c *cli) readScenario(name string) (*planner.Scenario, []byte, error) {
	data, err := c.readFile(name)
	if err != nil {
		return nil, nil, err
	}
	s, err := planner.Decode(data)
	if err != nil {
		return nil, nil, c.reportInvalid(err)
	}
	return s, data, nil
}

// reportInvalid writes a validation error one problem per line, each
// message as it came (an import's in its language, the planner's in
// English), and gives exit status 2; any other error passes unchanged.
func (c *cli) reportInvalid(err error) error {
	var v *planner.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	var b strings.Builder
	for _, p := range v.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	io.WriteString(c.stderr, b.String())
	return &exitError{code: exitInvalid, err: err}
}

// newFlagSet returns a flag set that reports its errors to stderr.
func (c *cli) newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: grantplan %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageError turns a flag parsing failure into exit status 2; the flag
// package has already said what is wrong.
func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return &exitError{code: 0, err: err}
	}
	return &exitError{code: exitInvalid, err: err}
}

// langFlag is --lang, the language of a report for people: en (the
// default) or de. The JSON documents stay English whatever it says.
type langFlag struct{ lang locale.Lang }

// addLangFlag adds --lang to fs, saying what it is the language of.
func addLangFlag(fs *flag.FlagSet, usage string) *langFlag {
	f := &langFlag{lang: locale.English}
	fs.Var(f, "lang", usage)
	return f
}

// reportLang is the usage of --lang for a command that prints a report.
const reportLang = "the report's `language`: en or de (--json stays English)"

func (f *langFlag) String() string { return string(f.lang) }

func (f *langFlag) Set(s string) error {
	l, ok := locale.ParseLang(s)
	if !ok {
		return fmt.Errorf("%q is not a language of the report: want en or de", s)
	}
	f.lang = l
	return nil
}
