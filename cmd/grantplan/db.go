package main

import (
	"flag"

	"grantplan/store/storeopen"
)

// dbKinds says what names a database; dbHelp adds where --db comes from
// when it is not given.
const (
	dbKinds = "a SQLite file's path or a PostgreSQL URL (postgres://user@host/database)"
	dbHelp  = dbKinds + "; default $" + storeopen.Env + ", else " + storeopen.DefaultPath
)

// dbFlag adds --db to a command that opens the store; storeopen.DSN
// resolves its value.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "the `database`: "+dbHelp)
}
