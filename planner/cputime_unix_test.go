//go:build unix

package planner

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU adds the CPU time per operation of the benchmark's loop, all
// goroutines together, as cpu-ns/op: on a machine shared with other work
// it varies far less than the wall time.
func reportCPU(b *testing.B, loop func()) {
	b.Helper()
	start := processCPU()
	loop()
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}
