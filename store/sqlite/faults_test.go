package sqlite

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// noise returns a scenario-like body of about n bytes that does not
// compress, so that it takes its size in the file.
func noise(n int) json.RawMessage {
	b := make([]byte, n/2)
	rand.Read(b)
	return json.RawMessage(`{"name":"noise","x":"` + hex.EncodeToString(b) + `"}`)
}

// wantRetry fails the test unless err is of kind and says when to retry.
func wantRetry(t *testing.T, err error, kind planner.ErrorKind) {
	t.Helper()
	wantKind(t, err, kind)
	var retry *store.RetryLater
	if !errors.As(err, &retry) || retry.After <= 0 {
		t.Errorf("got %v, want a store.RetryLater with a time to retry", err)
	}
}

// TestWritersQueue sends hundreds of concurrent writes to one store: they
// queue for the one writer connection, and none fails. The last of 400
// waits for all before it: on a loaded machine under the race detector
// longer than DefaultWriteWait, whose bound TestLockedByAnotherProcess
// tests, so the wait here is long enough for the queue to be the test.
func TestWritersQueue(t *testing.T) {
	ctx := context.Background()
	s, err := OpenWith(ctx, filepath.Join(t.TempDir(), "grantplan.db"), Options{WriteWait: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mustCreate(t, s, "shared", "Shared")
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			_, err := s.CreateUnique(ctx, "new", fmt.Sprint(i), body("new"))
			errs <- err
		})
		wg.Go(func() {
			// If-Match: * as the service does it: read, write, and read
			// again if another write got in between.
			for {
				current, err := s.Get(ctx, "shared")
				if err != nil {
					errs <- err
					return
				}
				_, err = s.Update(ctx, "shared", current.Revision, "Shared", body(fmt.Sprint(i)))
				if planner.KindOf(err) != planner.KindPrecondition {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("got %v, want every write to succeed", err)
		}
	}
	if sc := mustGet(t, s, "shared"); sc.Revision != n+1 {
		t.Errorf("got revision %d, want %d", sc.Revision, n+1)
	}
}

func mustGet(t *testing.T, s *Store, id string) store.Scenario {
	t.Helper()
	sc, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%q): %v", id, err)
	}
	return sc
}

// TestLockedByAnotherProcess holds the write lock from a second store on
// the same file, as another process would: a write waits for the write
// wait and then fails as busy, to be retried, and succeeds once the lock
// is released.
func TestLockedByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	other := openPath(t, path)
	s, err := OpenWith(ctx, path, Options{WriteWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	tx, err := other.writer.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Create(ctx, "a", "A", body("A"))
	wantRetry(t, err, planner.KindUnavailable)
	if err := s.PingWrite(ctx); err == nil {
		t.Error("PingWrite while another process holds the lock: got no error")
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping while another process holds the lock: %v", err)
	}
	tx.Rollback()
	if _, err := s.Create(ctx, "a", "A", body("A")); err != nil {
		t.Errorf("Create once the lock is released: %v", err)
	}
}

// TestSizeLimit fills a store up to its size limit: writes then fail as
// full (507), not as a server error, reads go on, PingWrite says so, and
// writes work again once there is room, without reopening the store.
func TestSizeLimit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	s, err := OpenWith(ctx, path, Options{MaxSize: 400 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PingWrite(ctx); err != nil {
		t.Fatalf("PingWrite of an empty store: %v", err)
	}
	var stored int
	for ; ; stored++ {
		_, err = s.Create(ctx, fmt.Sprint("s", stored), "S", noise(20<<10))
		if err != nil {
			break
		}
		if stored > 100 {
			t.Fatal("the size limit let 2 MB through")
		}
	}
	wantRetry(t, err, planner.KindFull)
	if !strings.Contains(err.Error(), "size limit") {
		t.Errorf("got %q, want it to name the size limit", err)
	}
	err = s.PingWrite(ctx)
	wantRetry(t, err, planner.KindFull)
	if _, total, err := s.List(ctx, store.ListOptions{}); err != nil || total != stored {
		t.Errorf("List of a full store: got %d, %v; want %d", total, err, stored)
	}
	if stored > 0 {
		mustGet(t, s, "s0")
	}

	// Room again: the limit raised on the writer's connection, as a
	// deleted file would give room on a full disk.
	if _, err := s.writer.Exec("PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	s.maxPages = 1000000
	if err := s.PingWrite(ctx); err != nil {
		t.Errorf("PingWrite with room: %v", err)
	}
	if _, err := s.Create(ctx, "after", "After", noise(20<<10)); err != nil {
		t.Errorf("Create with room: %v", err)
	}
}

// TestReadOnlyFile makes the writer's connection read-only, as a database
// file without write permission is: reads work, every write fails as
// unavailable with a time to retry, and PingWrite says why.
func TestReadOnlyFile(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "a", "A")
	if _, err := s.writer.Exec("PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	writes := []struct {
		name string
		call func() error
	}{
		{"create", func() error { _, err := s.Create(ctx, "b", "B", body("B")); return err }},
		{"update", func() error { _, err := s.Update(ctx, "a", 1, "A", body("A2")); return err }},
		{"delete", func() error { return s.Delete(ctx, "a", 1) }},
		{"figures", func() error { return s.PutFigures(ctx, "a", 1, store.Figures{Version: 1, Body: []byte(`{}`)}) }},
		{"check", func() error { return s.PingWrite(ctx) }},
	}
	for _, w := range writes {
		err := w.call()
		wantRetry(t, err, planner.KindUnavailable)
		if !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s: got %q, want it to say the store is read-only", w.name, err)
		}
	}
	if sc := mustGet(t, s, "a"); string(sc.Body) != string(body("A")) {
		t.Errorf("Get: got %s", sc.Body)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// flip inverts the bytes [at, at+n) of the file at path.
func flip(t *testing.T, path string, at int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, at); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] ^= 0xff
	}
	if _, err := f.WriteAt(b, at); err != nil {
		t.Fatal(err)
	}
}

// storedBytes is what the file holds of a revision's body (compressed or
// not).
func storedBytes(t *testing.T, s *Store, id string, revision int) []byte {
	t.Helper()
	var b []byte
	if err := s.db.QueryRow("SELECT body FROM revisions WHERE scenario_id = ? AND revision = ?", id, revision).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDamagedBody flips bytes inside one stored body, where SQLite's
// structure is intact and only the checksum can tell: reading that
// revision fails as damaged, naming it, and every other revision reads as
// it was stored.
func TestDamagedBody(t *testing.T) {
	for _, tt := range []struct {
		name string
		body json.RawMessage
	}{
		{"as given", noise(100)},
		{"compressed", json.RawMessage(`{"name": "victim", "x": "` + strings.Repeat("Förderung ", 1000) + hex.EncodeToString([]byte(time.Now().String())) + `"}`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, path := openTemp(t)
			victim := tt.body
			mustCreate(t, s, "before", "Before")
			if _, err := s.Create(ctx, "victim", "Victim", victim); err != nil {
				t.Fatal(err)
			}
			mustUpdate(t, s, "victim", 1, "Victim v2")
			mustCreate(t, s, "after", "After")
			stored := storedBytes(t, s, "victim", 1)
			s.Close()

			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			at := bytes.Index(data, stored)
			if at < 0 {
				t.Fatal("the stored body is not in the file in one piece")
			}
			flip(t, path, int64(at+len(stored)/2), 4)

			s = openPath(t, path)
			_, err = s.Revision(ctx, "victim", 1)
			wantKind(t, err, planner.KindDamaged)
			if want := `stored revision 1 of "victim" is damaged`; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, want %q", err, want)
			}
			if sc, err := s.Revision(ctx, "victim", 2); err != nil || sc.Name != "Victim v2" {
				t.Errorf("Revision 2: got %v, %v", sc.Name, err)
			}
			for _, id := range []string{"before", "after"} {
				if sc := mustGet(t, s, id); string(sc.Body) != string(body(sc.Name)) {
					t.Errorf("Get(%s): got %s", id, sc.Body)
				}
			}
		})
	}
}

// TestDamagedFile flips 200 bytes in the middle of a file of many
// revisions: either Open refuses it, saying how to restore a backup, or
// every read gives back exactly what was stored or fails as damage, never
// other bytes and never an unexpected error.
func TestDamagedFile(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	want := map[string]string{}
	for i := range 150 {
		id := fmt.Sprint("s", i)
		b := noise(1500)
		if _, err := s.Create(ctx, id, id, b); err != nil {
			t.Fatal(err)
		}
		want[id] = string(b)
	}
	s.Close()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	for _, at := range []int64{info.Size() / 2, info.Size()/2 + 4096, info.Size() / 3, info.Size()/2/4096*4096 + 3000} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			copyPath := filepath.Join(t.TempDir(), "copy.db")
			copyFile(t, path, copyPath)
			flip(t, copyPath, at, 200)
			s, err := Open(ctx, copyPath)
			if err != nil {
				if !strings.Contains(err.Error(), "restore it from a backup") || !strings.Contains(err.Error(), copyPath) {
					t.Errorf("Open: got %q, want it to say how to restore a backup of the file", err)
				}
				return
			}
			defer s.Close()
			for id, body := range want {
				sc, err := s.Get(ctx, id)
				switch {
				case planner.KindOf(err) == planner.KindDamaged:
				case err != nil:
					t.Errorf("Get(%s): got %v, want the body or damage", id, err)
				case string(sc.Body) != body:
					t.Errorf("Get(%s): got other bytes than were stored", id)
				}
			}
		})
	}
}

// TestDamagedHeader overwrites the b-tree page of the revisions: Open
// refuses the file and says how to restore a backup.
func TestDamagedHeader(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	for i := range 50 {
		if _, err := s.Create(ctx, fmt.Sprint("s", i), "S", noise(1500)); err != nil {
			t.Fatal(err)
		}
	}
	var rootPage int64
	if err := s.db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = 'revisions'").Scan(&rootPage); err != nil {
		t.Fatal(err)
	}
	s.Close()
	flip(t, path, (rootPage-1)*4096, 200)
	s2, err := Open(ctx, path)
	if err == nil {
		s2.Close()
		t.Fatal("Open of a damaged file: got no error")
	}
	for _, want := range []string{"damaged", "restore it from a backup", path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open: got %q, want it to contain %q", err, want)
		}
	}
}

// TestCompressed checks that a large body is stored compressed and reads
// back byte for byte, and that a small one is stored as given.
func TestCompressed(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	large := json.RawMessage(`{"name": "large", "positions": [` + strings.Repeat(`{"id": "post", "title": "Digitalisierung"},`, 500) + `{}]}`)
	if _, err := s.Create(ctx, "large", "large", large); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "small", "small")
	if got := storedBytes(t, s, "large", 1); len(got)*10 > len(large) {
		t.Errorf("stored %d bytes of a %d-byte body, want a tenth at most", len(got), len(large))
	}
	if got := storedBytes(t, s, "small", 1); string(got) != string(body("small")) {
		t.Errorf("stored %q, want the small body as given", got)
	}
	if sc := mustGet(t, s, "large"); string(sc.Body) != string(large) {
		t.Error("the large body does not read back byte for byte")
	}
}

// TestChecksumsAdded opens a file of schema version 1, whose revisions
// have no checksums: Open gives them theirs, and damage to them is found
// from then on.
func TestChecksumsAdded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	copyFile(t, filepath.Join("testdata", "grantplan-v1.db"), path)
	s := openPath(t, path)
	var missing int
	if err := s.db.QueryRow("SELECT count(*) FROM revisions WHERE checksum IS NULL").Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("got %d revisions without a checksum after Open, want none", missing)
	}
	const demo = "kim-siegen-wittgenstein"
	stored := storedBytes(t, s, demo, 1)
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's copy has the same body: damage both.
	snippet := stored[len(stored)/2 : len(stored)/2+64]
	found := 0
	for at := 0; ; {
		i := bytes.Index(data[at:], snippet)
		if i < 0 {
			break
		}
		flip(t, path, int64(at+i+8), 2)
		at += i + len(snippet)
		found++
	}
	if found == 0 {
		t.Fatal("the stored body is not in the file")
	}
	s = openPath(t, path)
	_, err = s.Revision(ctx, demo, 1)
	wantKind(t, err, planner.KindDamaged)
}

// mountTmpfs mounts a tmpfs of size bytes at a new directory for the
// test, or skips the test where this process may not mount (only root
// may); the store's fault injection tests cover what it checks there.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// TestFullDisk puts the store on a small tmpfs and fills the disk with a
// ballast file: writes fail as full, PingWrite says so, reads go on; once
// the ballast is removed, writes work again without reopening the store.
func TestFullDisk(t *testing.T) {
	dir := mountTmpfs(t, 2<<20)
	ctx := context.Background()
	s := openPath(t, filepath.Join(dir, "grantplan.db"))
	mustCreate(t, s, "a", "A")
	if err := s.PingWrite(ctx); err != nil {
		t.Fatalf("PingWrite: %v", err)
	}
	ballast := filepath.Join(dir, "ballast")
	f, err := os.Create(ballast)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()

	var writeErr error
	for i := range 50 {
		if _, writeErr = s.Create(ctx, fmt.Sprint("b", i), "B", noise(8<<10)); writeErr != nil {
			break
		}
	}
	wantRetry(t, writeErr, planner.KindFull)
	wantRetry(t, s.PingWrite(ctx), planner.KindFull)
	if sc := mustGet(t, s, "a"); sc.Name != "A" {
		t.Errorf("Get on a full disk: got %q", sc.Name)
	}

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	if err := s.PingWrite(ctx); err != nil {
		t.Errorf("PingWrite once there is room: %v", err)
	}
	if _, err := s.Create(ctx, "c", "C", noise(8<<10)); err != nil {
		t.Errorf("Create once there is room: %v", err)
	}
}

// TestReadOnlyDirectory opens a store in a directory that cannot be
// written: Open refuses and says why and what to do.
func TestReadOnlyDirectory(t *testing.T) {
	dir := mountTmpfs(t, 1<<20)
	path := filepath.Join(dir, "grantplan.db")
	s := openPathNoCleanup(t, path)
	mustCreate(t, s, "a", "A")
	s.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, out)
	}
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open in a read-only directory: got no error")
	}
	for _, want := range []string{dir + " cannot be written", "write-ahead log", "make the directory writable"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open: got %q, want it to contain %q", err, want)
		}
	}
}

func openPathNoCleanup(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
