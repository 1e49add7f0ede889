package main

import (
	"errors"
	"fmt"

	"grantplan/store/sqlite"
	"grantplan/store/storeopen"
)

// backup runs `grantplan backup [--db PATH] -o FILE`: a consistent
// snapshot of a SQLite store, taken while serve may be reading and
// writing it, written to a new file. A PostgreSQL database is backed up
// with PostgreSQL's own tools, which the message names.
func (c *cli) backup(args []string) error {
	fs := c.newFlagSet("backup", "backup [--db PATH] -o FILE")
	db := dbFlag(fs)
	out := fs.String("o", "", "the backup `file` to write; it must not exist")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		fs.Usage()
		return c.invalid(fmt.Errorf("backup takes no arguments, got %q", positional))
	}
	if *out == "" {
		fs.Usage()
		return c.invalid(errors.New("backup needs -o FILE"))
	}
	dsn := storeopen.DSN(*db)
	if storeopen.KindOf(dsn) == storeopen.PostgreSQL {
		return c.invalid(fmt.Errorf("backup: %s is a PostgreSQL database: back it up with pg_dump "+
			"(pg_dump --format=custom --file=grantplan.dump \"$%s\"), as docs/deployment.md says",
			storeopen.Redact(dsn), storeopen.Env))
	}
	info, err := sqlite.Backup(c.ctx, dsn, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "backed up %s to %s: %d scenarios (%d deleted), %d revisions, %d bytes\n",
		dsn, *out, info.Scenarios, info.Deleted, info.Revisions, info.Bytes)
	return nil
}
