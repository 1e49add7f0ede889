package service

import (
	"context"
	"hash/maphash"
	"time"

	"grantplan/store"
)

// writeLocks let the writes of this process to one scenario go one at a
// time: If-Match: * reads the current revision and writes the next with
// no other write of this process in between, so that concurrent writers
// queue instead of losing the race and retrying. (Another process sharing
// the database may still get in; ifMatch then reads again.) The locks are
// striped by id: two scenarios may share one, which costs only a wait.
type writeLocks struct {
	seed    maphash.Seed
	stripes [64]chan struct{}
}

func newWriteLocks() *writeLocks {
	l := &writeLocks{seed: maphash.MakeSeed()}
	for i := range l.stripes {
		l.stripes[i] = make(chan struct{}, 1)
	}
	return l
}

// lockWait bounds how long a write waits for the writes of this process
// to the same scenario before it; past it the write fails as busy.
const lockWait = 10 * time.Second

// lock takes the lock of scenario id, waiting at most lockWait, and
// returns the function that releases it.
func (l *writeLocks) lock(ctx context.Context, id string) (func(), error) {
	stripe := l.stripes[maphash.String(l.seed, id)%uint64(len(l.stripes))]
	timer := time.NewTimer(lockWait)
	defer timer.Stop()
	select {
	case stripe <- struct{}{}:
		return func() { <-stripe }, nil
	case <-timer.C:
		return nil, store.Busy("write scenario " + id)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
