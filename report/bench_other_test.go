//go:build !linux

package report

import "testing"

// reportPeakRSS reports nothing where the resident set size is not known.
func reportPeakRSS(*testing.B) {}
