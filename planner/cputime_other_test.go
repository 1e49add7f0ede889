//go:build !unix

package planner

import "testing"

// reportCPU runs the loop; without getrusage there is no CPU time to report.
func reportCPU(b *testing.B, loop func()) {
	b.Helper()
	loop()
}
