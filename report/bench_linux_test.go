//go:build linux

package report

import (
	"syscall"
	"testing"
)

// reportPeakRSS reports the process's maximum resident set size so far.
func reportPeakRSS(b *testing.B) {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err == nil {
		b.ReportMetric(float64(usage.Maxrss)/1024, "peak-RSS-MB") // Maxrss is in KiB on Linux
	}
}
