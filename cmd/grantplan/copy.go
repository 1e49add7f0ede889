package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"grantplan/store"
	"grantplan/store/storeopen"
)

// copyStore runs `grantplan copy --from SOURCE --to TARGET`: it copies a
// whole store (every scenario with all its revisions, names, times,
// deletions and figures) into an empty one, between SQLite and PostgreSQL
// in either direction, and prints how many rows of each table it copied.
// Either flag may be left out and taken from GRANTPLAN_DB, so that a
// PostgreSQL password need not be on the command line.
func (c *cli) copyStore(args []string) error {
	flags := c.newFlagSet("copy", "copy --from SOURCE --to TARGET")
	from := flags.String("from", "", "the `database` to copy: "+dbKinds+"; default $"+storeopen.Env)
	to := flags.String("to", "", "the empty `database` to copy into (a SQLite file is created): "+dbKinds+"; default $"+storeopen.Env)
	positional, err := parseArgs(flags, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		flags.Usage()
		return c.invalid(fmt.Errorf("copy takes no arguments, got %q", positional))
	}
	env := os.Getenv(storeopen.Env)
	switch {
	case *from == "" && *to == "":
		flags.Usage()
		return c.invalid(errors.New("copy needs --from and --to (one of them may come from " + storeopen.Env + ")"))
	case *from == "" && env == "", *to == "" && env == "":
		flags.Usage()
		return c.invalid(errors.New("copy needs --from and --to, and " + storeopen.Env + " is not set to stand in for the one missing"))
	case *from == "":
		*from = env
	case *to == "":
		*to = env
	}
	if *from == *to {
		return c.invalid(fmt.Errorf("copy: --from and --to are both %s", storeopen.Redact(*from)))
	}
	source, target := storeopen.Redact(*from), storeopen.Redact(*to)

	// A source file that is not there is a mistake, not an empty store.
	if storeopen.KindOf(*from) == storeopen.SQLite {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
	}
	// A target file made here is removed again if the copy fails.
	var created string
	if storeopen.KindOf(*to) == storeopen.SQLite {
		if _, err := os.Stat(*to); errors.Is(err, fs.ErrNotExist) {
			created = *to
		}
	}

	src, err := storeopen.Open(c.ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := storeopen.Open(c.ctx, *to)
	if err != nil {
		return err
	}
	counts, err := store.Copy(c.ctx, src, dst)
	if closeErr := dst.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		if created != "" {
			removeDatabase(created)
		}
		return fmt.Errorf("copy %s to %s: %w", source, target, err)
	}

	fmt.Fprintf(c.stdout, "copied %s to %s:\n", source, target)
	nameWidth, rowsWidth := 0, 0
	for _, count := range counts {
		nameWidth = max(nameWidth, len(count.Table))
		rowsWidth = max(rowsWidth, len(fmt.Sprint(count.Rows)))
	}
	for _, count := range counts {
		fmt.Fprintf(c.stdout, "  %-*s  %*d rows\n", nameWidth, count.Table, rowsWidth, count.Rows)
	}
	return nil
}

// removeDatabase removes a SQLite file and the files SQLite keeps beside
// it.
func removeDatabase(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}
