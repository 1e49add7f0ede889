package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// BackupInfo describes a backup that Backup wrote.
type BackupInfo struct {
	Scenarios int   // scenarios in the backup, deleted ones included
	Deleted   int   // of which deleted
	Revisions int   // revisions of all of them
	Bytes     int64 // the backup file's size
}

// Backup writes a consistent snapshot of the store in the file at path to
// a new file at to, while other processes (a running serve) go on reading
// and writing it.
//
// It uses VACUUM INTO, which reads one snapshot in a read transaction, so
// writers are not held up, and writes a compact copy. The copy goes to a
// temporary file beside to, is checked (PRAGMA integrity_check, and its
// scenarios and revisions counted), flushed to the disk and only then
// renamed to to, so that to is either a whole, checked backup or absent.
// Backup opens the file without migrating it, so that a newer grantplan
// backing up the file of an older running serve leaves its schema alone;
// the backup has the schema the file has. It refuses a to that exists and
// a path that does not.
func Backup(ctx context.Context, path, to string) (BackupInfo, error) {
	if _, err := os.Stat(path); err != nil {
		return BackupInfo{}, fmt.Errorf("store: back up %s: %w", path, err)
	}
	if _, err := os.Lstat(to); err == nil {
		return BackupInfo{}, fmt.Errorf("store: back up %s: %s exists; a backup goes to a new file", path, to)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return BackupInfo{}, fmt.Errorf("store: back up %s: %w", path, err)
	}
	info, err := backup(ctx, path, to)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: back up %s to %s: %w", path, to, err)
	}
	return info, nil
}

func backup(ctx context.Context, path, to string) (info BackupInfo, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".partial-*")
	if err != nil {
		return BackupInfo{}, err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	// VACUUM INTO takes a file that does not exist or is empty, and
	// writes into this one, which CreateTemp made readable by its owner
	// only: the backup holds the password hashes and the server's secret.
	if err := vacuumInto(ctx, path, tmpName); err != nil {
		return BackupInfo{}, err
	}
	if info, err = checkBackup(ctx, tmpName); err != nil {
		return BackupInfo{}, err
	}
	if err := syncFile(tmpName); err != nil {
		return BackupInfo{}, err
	}
	if err := os.Rename(tmpName, to); err != nil {
		return BackupInfo{}, err
	}
	// The rename is durable once the directory is flushed.
	if err := syncFile(filepath.Dir(to)); err != nil {
		return BackupInfo{}, err
	}
	stat, err := os.Stat(to)
	if err != nil {
		return BackupInfo{}, err
	}
	info.Bytes = stat.Size()
	return info, nil
}

// vacuumInto writes a snapshot of the database at path to the file to.
func vacuumInto(ctx context.Context, path, to string) error {
	dsn, err := dataSourceName(path, DefaultWriteWait)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", to)
	return err
}

// checkBackup checks the backup's integrity and counts what it holds.
func checkBackup(ctx context.Context, path string) (BackupInfo, error) {
	dsn, err := dataSourceName(path, DefaultWriteWait)
	if err != nil {
		return BackupInfo{}, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return BackupInfo{}, err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return BackupInfo{}, err
	}
	if result != "ok" {
		return BackupInfo{}, fmt.Errorf("the backup fails its integrity check: %s", result)
	}
	var info BackupInfo
	err = db.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM scenarios), (SELECT count(*) FROM scenarios WHERE deleted_at IS NOT NULL),
			(SELECT count(*) FROM revisions)`).Scan(&info.Scenarios, &info.Deleted, &info.Revisions)
	if err != nil {
		return BackupInfo{}, err
	}
	// Close now: SQLite removes the write-ahead log the check made (the
	// DSN puts the backup in WAL mode) when its last connection closes.
	if err := db.Close(); err != nil {
		return BackupInfo{}, err
	}
	return info, nil
}

// syncFile flushes a file or directory to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
