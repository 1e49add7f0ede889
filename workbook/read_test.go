package workbook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/internal/scenariotest"
	"grantplan/locale"
	"grantplan/planner"
)

// exported writes the workbook of scenario in lang.
func exported(t testing.TB, scenario []byte, lang locale.Lang) []byte {
	t.Helper()
	s, plan := planOf(t, scenario)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: lang, Scenario: s, Source: scenario, Exported: exportDate}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// roundTrip exports scenario in lang and reads it back: the scenario's
// canonical JSON and the same plan, or the test fails.
func roundTrip(t *testing.T, name string, scenario []byte, lang locale.Lang) {
	t.Helper()
	want, err := planner.Canonical(scenario)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got, err := Read(context.Background(), exported(t, scenario, lang))
	if err != nil {
		t.Fatalf("%s (%s): %v\n%s", name, lang, err, scenario)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s (%s): read back\n%s\nwant\n%s", name, lang, got, want)
	}
	if a, b := planText(t, got), planText(t, scenario); a != b {
		t.Fatalf("%s (%s): the scenario read back plans differently", name, lang)
	}
}

func planText(t testing.TB, scenario []byte) string {
	t.Helper()
	_, plan := planOf(t, scenario)
	b, err := plan.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadBackDemo: the demo's workbook, English and German, reads back
// as the demo.
func TestReadBackDemo(t *testing.T) {
	for _, lang := range locale.Langs {
		roundTrip(t, "demo", data.Demo, lang)
		roundTrip(t, "demo with ranges", data.DemoUncertain, lang)
	}
}

// TestReadBackRandom: hundreds of random scenarios, with ranges and
// awkward texts, read back as themselves from both languages' Input
// sheets; the first of them from whole exported workbooks (which take
// ten times as long to write).
func TestReadBackRandom(t *testing.T) {
	n, whole := int64(200), int64(20)
	if testing.Short() {
		n, whole = 40, 5
	}
	for seed := int64(1); seed <= n; seed++ {
		sc := scenariotest.Random(seed, scenariotest.Options{Ranges: true, Texts: true})
		for _, lang := range locale.Langs {
			if seed <= whole {
				roundTrip(t, fmt.Sprintf("seed %d", seed), sc, lang)
				continue
			}
			want, err := planner.Canonical(sc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Read(context.Background(), inputOnly(t, sc, lang))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("seed %d (%s): read back\n%s, %v\nwant\n%s", seed, lang, got, err, want)
			}
		}
	}
}

// inputOnly writes a workbook of the Input sheet of scenario alone, as
// an export writes it.
func inputOnly(t testing.TB, scenario []byte, lang locale.Lang) []byte {
	t.Helper()
	o, err := planner.ParseObject(scenario)
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, lang: lang, opts: Options{Lang: lang, Exported: exportDate}, plan: &planner.Plan{Scenario: "x"}}
	if err := b.newStyles(); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("Sheet1", b.t("workbook.sheet.input")); err != nil {
		t.Fatal(err)
	}
	if err := b.inputSheet(o, 0); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// problemsOf returns the problems of a read that must fail.
func problemsOf(t *testing.T, err error) []planner.Problem {
	t.Helper()
	var v *planner.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want a *planner.ValidationError", err)
	}
	return v.Problems
}

// edited writes the demo's German workbook, lets edit change its Input
// sheet with excelize, as a planner would in Excel, and returns the file.
func edited(t *testing.T, edit func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(exported(t, data.Demo, locale.German)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f, "Eingaben")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t *testing.T, f *excelize.File, sheet, ref string, value any) {
	t.Helper()
	if err := f.SetCellValue(sheet, ref, value); err != nil {
		t.Fatal(err)
	}
}

// TestReadEdited: what a planner types into the Input sheet in Excel —
// dates and numbers as text or as Excel values, periods in words, a
// new post, a row taken out — reads as canonical JSON.
func TestReadEdited(t *testing.T) {
	file := edited(t, func(f *excelize.File, sheet string) {
		set(t, f, sheet, "B8", "01.09.2021")
		set(t, f, sheet, "B9", "1 Jahr 2 Monate")
		set(t, f, sheet, "B18", "5.000,50")
		set(t, f, sheet, "D28", time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC))
		set(t, f, sheet, "F39", "4.636,50 €")
		set(t, f, sheet, "E39", 0.5)
		set(t, f, sheet, "H39", "3 Monate 2 Wochen")
		set(t, f, sheet, "I39", "2 Monate / 3 Monate / 6 Monate")
		set(t, f, sheet, "K39", "Quartalserster")
		set(t, f, sheet, "L39", "2022-01-31")
		set(t, f, sheet, "A49", "neu-1")
		set(t, f, sheet, "B49", "Neue Stelle")
		set(t, f, sheet, "G49", "kim-b2")
		set(t, f, sheet, "N49", "2 von group:overhead@Zusage+2 Wochen")
		if err := f.RemoveRow(sheet, 40); err != nil { // ovh-strategie
			t.Fatal(err)
		}
	})
	got, err := Read(context.Background(), file)
	if err != nil {
		t.Fatalf("%v", err)
	}
	body := string(got)
	for _, want := range []string{`"start":"2021-09-01"`, `"min_productive":"P1Y2M"`, `"monthly_cost":5000.5`,
		`"end":"2023-06-30"`, `{"id":"ovh-gesamtkoordination","title":"KIM-Gesamtkoordination (E 12)","group":"overhead","location":"Kreishaus Siegen","fte":0.5,"monthly_cost":4636.5,"funding":"kim-b1","recruiting":"P3M2W","notice":{"min":"P2M","likely":"P3M","max":"P6M"},"start_on":"quarter_start","earliest":"2022-01-31"}`,
		`{"id":"neu-1","title":"Neue Stelle","funding":"kim-b2","after":[{"ref":"group:overhead","event":"recruited","lag":"P2W","count":2}]}]}`} {
		if !strings.Contains(body, want) {
			t.Errorf("the scenario read lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "ovh-strategie") {
		t.Error("the row taken out is still read")
	}
}

// TestReadProblems: every problem of an edited Input sheet names its
// cell, in German too.
func TestReadProblems(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, f *excelize.File, sheet string)
		want []string // "path: German message"
	}{
		{"cells that do not read", func(t *testing.T, f *excelize.File, sheet string) {
			set(t, f, sheet, "B8", "31.02.2022")
			set(t, f, sheet, "F39", "viel")
			set(t, f, sheet, "H40", 3)
			set(t, f, sheet, "K41", "bald")
			set(t, f, sheet, "L42", true)
		}, []string{
			`Eingaben!B8: "31.02.2022" ist kein Kalendertag`,
			`Eingaben!F39: "viel" ist keine Zahl: geschrieben wie 4.636,00, 4636,00 oder 0,5`,
			`Eingaben!H40: 3 ist eine Zahl ohne Einheit: geben Sie einen Zeitraum wie 3 Monate oder P3M an`,
			`Eingaben!K41: "bald" ist keiner der Werte beliebiger Tag, Monatserster, Quartalserster`,
			`Eingaben!L42: die Zelle enthält WAHR oder FALSCH, was kein Feld annimmt`,
		}},
		{"the planner's problems at their cells", func(t *testing.T, f *excelize.File, sheet string) {
			set(t, f, sheet, "G40", "kim-b9")
			set(t, f, sheet, "N43", "group:overhaed")
			set(t, f, sheet, "D29", "01.01.2020")
			set(t, f, sheet, "A41", "")
		}, []string{
			`Eingaben!D29: 01.01.2020 liegt vor dem Beginn der Quelle, 01.01.2021`,
			`Eingaben!G40: unbekannte Förderquelle "kim-b9"`,
			`Eingaben!A41: fehlt, ist aber nötig`,
			`Eingaben!N43: unbekannte Gruppe "overhaed": keine Stelle gehört zu ihr`,
		}},
		{"an unknown column", func(t *testing.T, f *excelize.File, sheet string) {
			set(t, f, sheet, "F37", "Monatskostn")
		}, []string{`Eingaben!F37: unbekannte Spalte "Monatskostn"`}},
		{"a value without a heading", func(t *testing.T, f *excelize.File, sheet string) {
			set(t, f, sheet, "P40", "Notiz")
		}, []string{`Eingaben!P40: ein Wert in einer Spalte ohne Überschrift`}},
		{"an unknown field and one twice", func(t *testing.T, f *excelize.File, sheet string) {
			set(t, f, sheet, "A10", "Budget")
			set(t, f, sheet, "C10", "")
			set(t, f, sheet, "A11", "Name")
			set(t, f, sheet, "B11", "Zweiter Name")
			set(t, f, sheet, "C11", "")
		}, []string{`Eingaben!A10: unbekanntes Feld "Budget"`, `Eingaben!A11: das Feld "Name" gibt es zweimal (zuerst in Zeile 6)`}},
		{"no name", func(t *testing.T, f *excelize.File, sheet string) {
			if err := f.RemoveRow(sheet, 6); err != nil {
				t.Fatal(err)
			}
		}, []string{`Eingaben (name): fehlt, ist aber nötig`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(context.Background(), edited(t, func(f *excelize.File, sheet string) { tt.edit(t, f, sheet) }))
			var got []string
			for _, p := range problemsOf(t, err) {
				got = append(got, p.Path+": "+locale.German.Problem(p))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestTemplate: the blank template, filled in as a planner would, reads
// as the scenario typed; blank, it reads as a scenario without name,
// start, funding or posts.
func TestTemplate(t *testing.T) {
	for _, lang := range locale.Langs {
		var buf bytes.Buffer
		if err := WriteTemplate(&buf, lang, exportDate); err != nil {
			t.Fatal(err)
		}
		_, err := Read(context.Background(), buf.Bytes())
		sheet := lang.Text("workbook.sheet.input")
		var got []string
		for _, p := range problemsOf(t, err) {
			got = append(got, p.String())
		}
		if want := sheet + "!B6: required|" + sheet + "!B8: required|" + sheet + "!A25: must name at least one funding source|" + sheet + "!A43: must hold at least one position"; strings.Join(got, "|") != want {
			t.Errorf("%s: the blank template reads as\n%s\nwant\n%s", lang, strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
			t.Errorf("%s: sheets %q", lang, got)
		}
		validations, err := f.GetDataValidations(sheet)
		if err != nil || len(validations) < 8 {
			t.Errorf("%s: %d data validations, %v", lang, len(validations), err)
		}
		set(t, f, sheet, "B6", "Vorlage ausgefüllt")
		set(t, f, sheet, "B8", "01.10.2021")
		set(t, f, sheet, "A28", "land")
		set(t, f, sheet, "C28", "01.01.2021")
		set(t, f, sheet, "D28", time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC))
		set(t, f, sheet, "A46", "p1")
		set(t, f, sheet, "F46", 4636.5)
		set(t, f, sheet, "H46", lang.Period(planner.Period{Months: 5}))
		var filled bytes.Buffer
		if err := f.Write(&filled); err != nil {
			t.Fatal(err)
		}
		f.Close()
		scenario, err := Read(context.Background(), filled.Bytes())
		if want := `{"name":"Vorlage ausgefüllt","start":"2021-10-01","funding":[{"id":"land","start":"2021-01-01","end":"2022-12-31"}],"positions":[{"id":"p1","monthly_cost":4636.5,"recruiting":"P5M"}]}`; err != nil || string(scenario) != want {
			t.Errorf("%s: got %s, %v\nwant %s", lang, scenario, err, want)
		}
	}
}
