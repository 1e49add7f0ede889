package workbook_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/workbook"
)

// Write encodes a plan as a workbook; the caller chooses where the bytes
// go. Here they are read back to show the German sheets.
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
	var buf bytes.Buffer
	opts := workbook.Options{Lang: locale.German, Scenario: s, Source: data.Demo, Exported: planner.MustParseDate("2026-11-24"),
		Revision: 3, Saved: planner.MustParseDate("2026-11-12")}
	if err := workbook.Write(&buf, plan, opts); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(workbook.FileName(plan.Scenario, opts.Exported))

	f, err := excelize.OpenReader(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fmt.Println(f.GetSheetList())
	for _, ref := range []string{"A1", "B5", "A8", "A9", "E9", "G9"} {
		value, _ := f.GetCellValue("Zeitplan", ref)
		fmt.Printf("%s: %s\n", ref, value)
	}
	// Output:
	// KIM-Kreis-Siegen-Wittgenstein-2026-11-24.xlsx
	// [Zeitplan Übersicht Haushalt Hinweise Annahmen Eingaben]
	// A1: KIM Kreis Siegen-Wittgenstein
	// B5: Revision 3 vom 12.11.2026
	// A8: Gruppe 1 (4 Stellen)
	// A9: KIM-Gesamtkoordination (E 12)
	// E9: 01.10.2022
	// G9: kurze produktive Zeit
}
