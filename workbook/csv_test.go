package workbook

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"grantplan/data"
	"grantplan/form"
	"grantplan/internal/scenariotest"
	"grantplan/locale"
	"grantplan/planner"
)

// germanCSV is a German Excel's CSV of three posts: semicolons, German
// labels (one without its unit), German numbers and dates, periods in
// words.
const germanCSV = "Kennung;Bezeichnung;Gruppe;Standort;VZÄ;Monatskosten;Förderung;Personalsuche;Kündigungsfrist;Einarbeitung;Beginn am;Frühestens;Nach (Abhängigkeiten)\r\n" +
	"ovh-1;Koordination (E 12);overhead;Kreishaus Siegen;1;6.359,00;kim-b1;3 Monate;;;Monatserster;;\r\n" +
	"cm-1;Case Manager Süd;cm;Wilnsdorf;0,5;4.636,5;kim-b2;5 Monate;4 Wochen;6 Monate;;01.03.2022;group:overhead\r\n" +
	";;;;;;;;;;;;\r\n" +
	"cm-2;\"Case Manager \"\"Nord\"\"; Kreuztal\";cm;Kreuztal;;;kim-b2;2 Monate / 5 Monate / 8 Monate;P0D;;beliebiger Tag;;1 von group:overhead@Zusage+2 Wochen, cm-1\r\n"

func TestReadPostsCSV(t *testing.T) {
	want := `"positions":[{"id":"ovh-1","title":"Koordination (E 12)","group":"overhead","location":"Kreishaus Siegen","fte":1,"monthly_cost":6359,"funding":"kim-b1","recruiting":"P3M","start_on":"month_start"},` +
		`{"id":"cm-1","title":"Case Manager Süd","group":"cm","location":"Wilnsdorf","fte":0.5,"monthly_cost":4636.5,"funding":"kim-b2","recruiting":"P5M","notice":"P4W","onboarding":"P6M","earliest":"2022-03-01","after":["group:overhead"]},` +
		`{"id":"cm-2","title":"Case Manager \"Nord\"; Kreuztal","group":"cm","location":"Kreuztal","funding":"kim-b2","recruiting":{"min":"P2M","likely":"P5M","max":"P8M"},"notice":"P0D","start_on":"any","after":[{"ref":"group:overhead","event":"recruited","lag":"P2W","count":1},"cm-1"]}]}`
	windows1252, _, err := transform.Bytes(charmap.Windows1252.NewEncoder(), []byte(germanCSV))
	if err != nil {
		t.Fatal(err)
	}
	utf16, _, err := transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), []byte(strings.Replace(strings.ReplaceAll(germanCSV, ";", "\t"), "\t Kreuztal", "; Kreuztal", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{
		"UTF-8":                    []byte(germanCSV),
		"UTF-8 with BOM":           append([]byte("\xEF\xBB\xBF"), germanCSV...),
		"Windows-1252":             windows1252,
		"UTF-16 with tabs":         utf16,
		"LF line ends":             []byte(strings.ReplaceAll(germanCSV, "\r\n", "\n")),
		"field names and a header": []byte(strings.Replace(germanCSV, "Kennung;Bezeichnung;Gruppe;Standort;VZÄ;Monatskosten;Förderung", "id;title;group;location;fte;monthly_cost;funding", 1)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadPostsCSV(context.Background(), file, data.Demo, locale.German)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(got), want) {
				t.Errorf("got\n%s\nwant it to end with\n%s", got, want)
			}
			base, _ := planner.Canonical(data.Demo)
			if prefix := string(base[:bytes.Index(base, []byte(`"positions"`))]); !strings.HasPrefix(string(got), prefix) {
				t.Errorf("the base's start, funding and defaults changed:\n%s", got)
			}
		})
	}
}

// TestReadPostsCSVEnglish: commas, English labels and numbers; 1,500 is
// fifteen hundred.
func TestReadPostsCSVEnglish(t *testing.T) {
	file := "ID,Title,Monthly cost (EUR),FTE,Recruiting,After (dependencies)\n" +
		"a,\"Post, first\",\"1,500\",0.5,3 months,\n" +
		"b,Post 2,4636.50,1,P3M,\"a@recruited+2 weeks, 1 of group:g\"\n"
	got, err := ReadPostsCSV(context.Background(), []byte(file), []byte(`{"name": "x", "start": "2021-01-01",
		"funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "old", "group": "g"}]}`), locale.English)
	var v *planner.ValidationError
	if !errorsAs(err, &v) || len(v.Problems) != 1 || v.Problems[0].String() != `line 3, column 6 (After (dependencies)): unknown group "g": no position has it` {
		t.Fatalf("got %s, %v", got, err)
	}
	got, err = ReadPostsCSV(context.Background(), []byte(strings.Replace(file, ", 1 of group:g", "", 1)), []byte(`{"name": "x", "start": "2021-01-01",
		"funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "old"}]}`), locale.English)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"positions":[{"id":"a","title":"Post, first","fte":0.5,"monthly_cost":1500,"recruiting":"P3M"},{"id":"b","title":"Post 2","fte":1,"monthly_cost":4636.5,"recruiting":"P3M","after":[{"ref":"a","event":"recruited","lag":"P2W"}]}]}`; !strings.HasSuffix(string(got), want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReadPostsCSVProblems(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string // "path: German message"
	}{
		{"empty", " \n\n", []string{`$: die Datei hat keine Zeile mit Spaltenüberschriften`}},
		{"an unknown column", "Kennung;Gehalt\na;5\n", []string{`Zeile 1, Spalte 2 (Gehalt): unbekannte Spalte "Gehalt"`}},
		{"a column twice", "Kennung;id\na;b\n", []string{`Zeile 1, Spalte 2 (id): die Spalte "id" gibt es zweimal (zuerst in Zeile 1, Spalte 1 (Kennung))`}},
		{"a quote out of place", "Kennung;Bezeichnung\na;\"offen\n", []string{`Zeile 2: ein Anführungszeichen am falschen Ort: ein Wert in Anführungszeichen ist nicht geschlossen, oder ein Anführungszeichen steht in einem Wert ohne`}},
		{"values that do not read", "Kennung;VZÄ;Frühestens;Personalsuche;Förderung\n" +
			"a;viel;31.02.2022;3;kim-b1\n" +
			"b;1;;3 Monate;kim-b9\n" +
			"a;1;;;;zu viel\n", []string{
			`Zeile 2, Spalte 2 (VZÄ): "viel" ist keine Zahl: geschrieben wie 4.636,00, 4636,00 oder 0,5`,
			`Zeile 2, Spalte 3 (Frühestens): "31.02.2022" ist kein Kalendertag`,
			`Zeile 2, Spalte 4 (Personalsuche): "3" ist kein Zeitraum: geschrieben wie 3 Monate, 6 Wochen, 1 Jahr 2 Monate oder P3M`,
			`Zeile 3, Spalte 5 (Förderung): unbekannte Förderquelle "kim-b9"`,
			`Zeile 4, Spalte 1 (Kennung): doppelte Kennung "a" (zuerst bei positions[0])`,
			`Zeile 4, Spalte 6 (): ein Wert in einer Spalte ohne Überschrift`,
		}},
		{"a base that is no scenario", "Kennung\na\n", []string{`das Basisszenario, start: fehlt, ist aber nötig`}},
		{"a base that is no JSON", "Kennung\na\n", []string{`das Basisszenario, $: ungültiges JSON in Zeile 1, Spalte 1: unerwartetes Zeichen 'n', erwartet ist ein Wert`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := data.Demo
			switch tt.name {
			case "a base that is no scenario":
				base = []byte(`{"name": "x", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": []}`)
			case "a base that is no JSON":
				base = []byte(`not JSON`)
			}
			_, err := ReadPostsCSV(context.Background(), []byte(tt.file), base, locale.German)
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

// postsCSV writes a scenario's posts as a CSV in lang, as a planner would
// export them from the Input sheet: labels as headings, values as the
// language writes them.
func postsCSV(t testing.TB, scenario []byte, lang locale.Lang, comma rune) []byte {
	t.Helper()
	o, err := planner.ParseObject(scenario)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = comma
	headings := make([]string, len(form.PositionFields))
	for i, fd := range form.PositionFields {
		headings[i] = lang.Text(fd.Label)
	}
	_ = w.Write(headings)
	for _, p := range o.Objects("positions") {
		record := make([]string, len(form.PositionFields))
		for i, fd := range form.PositionFields {
			record[i] = fd.Text(p.Get(fd.Name), lang)
		}
		_ = w.Write(record)
	}
	w.Flush()
	return buf.Bytes()
}

// TestReadPostsCSVRoundTrip: the posts of random scenarios, written as CSV
// in either language, read back as the same scenario.
func TestReadPostsCSVRoundTrip(t *testing.T) {
	for seed := int64(1); seed <= 200; seed++ {
		sc := scenariotest.Random(seed, scenariotest.Options{Ranges: true, Texts: true})
		want, err := planner.Canonical(sc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			lang  locale.Lang
			comma rune
		}{{locale.German, ';'}, {locale.English, ','}} {
			got, err := ReadPostsCSV(context.Background(), postsCSV(t, sc, c.lang, c.comma), sc, c.lang)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("seed %d (%s): got\n%s, %v\nwant\n%s\nCSV:\n%s", seed, c.lang, got, err, want, postsCSV(t, sc, c.lang, c.comma))
			}
		}
	}
}

// FuzzReadPostsCSV: no CSV makes the reader panic, and every refusal is a
// *planner.ValidationError whose problems have paths and codes.
func FuzzReadPostsCSV(f *testing.F) {
	f.Add([]byte(germanCSV))
	f.Add([]byte("id,title\na,\"b\"\"c\"\n"))
	f.Add([]byte("\xEF\xBB\xBFKennung;VZÄ\na;0,5\n"))
	f.Add([]byte("Kennung;Nach\na;2 von group:x@Zusage+2 Wochen\n"))
	base := []byte(`{"name": "x", "start": "2021-01-01", "funding": [{"id": "kim-b1", "start": "2021-01-01", "end": "2022-12-31"},
		{"id": "kim-b2", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a"}]}`)
	f.Fuzz(func(t *testing.T, file []byte) {
		got, err := ReadPostsCSV(context.Background(), file, base, locale.German)
		if err != nil {
			var v *planner.ValidationError
			if !errorsAs(err, &v) || len(v.Problems) == 0 {
				t.Fatalf("got %v, want a *planner.ValidationError", err)
			}
			for _, p := range v.Problems {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("a problem without path or message: %+v", p)
				}
			}
			return
		}
		if _, err := planner.Decode(got); err != nil {
			t.Fatalf("the scenario read is invalid: %v", err)
		}
	})
}

func errorsAs(err error, target **planner.ValidationError) bool { return errors.As(err, target) }

// TestImportProblemsSpoken: every problem code of reading a workbook or a
// CSV has a sentence in both languages that takes its arguments as the
// readers give them.
func TestImportProblemsSpoken(t *testing.T) {
	samples := map[planner.ProblemCode][]any{
		ProblemNotWorkbook: nil, ProblemTooLarge: {10}, ProblemNoInputSheet: {"Eingaben", "Input"},
		ProblemTooManyRows: {MaxRows}, ProblemTooManyColumns: {"BL"}, ProblemCellTooLong: {maxCellLength},
		ProblemFormulaNoValue: {"=A1+1"}, ProblemErrorValue: {"#REF!"}, ProblemBoolean: nil,
		ProblemNotExcelDate: {"60"}, ProblemNumberNoUnit: {"3"}, ProblemUnknownColumn: {"Gehalt"},
		ProblemDuplicateColumn: {"id", "A31"}, ProblemUnheadedValue: nil, ProblemUnknownRow: {"Budget"},
		ProblemDuplicateRow: {"Name", 6}, ProblemDuplicateSection: {"Stellen", "A29"}, ProblemNoHeadings: nil,
		ProblemCSVEmpty: nil, ProblemCSVQuote: nil,
	}
	for _, code := range ProblemCodes() {
		args, ok := samples[code]
		if !ok {
			t.Errorf("%s has no sample arguments here", code)
			continue
		}
		p := planner.Problem{Code: code, Args: args}
		for _, l := range locale.Langs {
			if text := l.Problem(p); text == "" || text == string(code) || strings.Contains(text, "%!") {
				t.Errorf("%s %s: %q", l, code, text)
			}
		}
	}
}
