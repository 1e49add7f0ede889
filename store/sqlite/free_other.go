//go:build !linux && !darwin

package sqlite

// diskFree cannot tell the free bytes here; writes to a full disk still
// fail with store.Full.
func diskFree(string) (int64, bool) { return 0, false }
