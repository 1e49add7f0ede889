package report_test

import (
	"bytes"
	"context"
	"fmt"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/report"
)

// Write encodes a plan as a PDF; the caller chooses where the bytes go
// and names the file.
func ExampleWrite() {
	s, err := planner.Decode(data.Demo)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	planned := planner.MustParseDate("2026-11-24")
	var buf bytes.Buffer
	opts := report.Options{Lang: locale.German, Scenario: s, Source: data.Demo, Exported: planned, Revision: 1}
	if err := report.Write(&buf, plan, opts); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.FileName(plan.Scenario, planned), bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	// Output: KIM-Kreis-Siegen-Wittgenstein-2026-11-24.pdf true
}
