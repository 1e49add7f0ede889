package workbook

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"grantplan/locale"
)

// budgetExample is the example of docs/scenario.md, Cost, own share and
// budget years: raises, a permanent post and a source whose cap is used
// up in the first year, over three budget years.
const budgetExample = `{"name": "Budget example", "start": "2022-01-01", "horizon": "2024-12-31",
 "pay_raises": [{"from": "2022-04-01", "percent": 1.8}, {"from": "2023-03-01", "percent": 5}],
 "defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P3M", "start_on": "any"},
 "funding": [{"id": "kim", "name": "KIM", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000},
             {"id": "land", "name": "Land", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.5, "cap": 10000}],
 "positions": [{"id": "ovh-1", "monthly_cost": 6359, "employment": "permanent", "funding": "kim"},
               {"id": "cm-1", "monthly_cost": 4500, "funding": "kim"},
               {"id": "cm-2", "monthly_cost": 4500, "funding": "land", "fte": 0.5}]}`

// TestBudgetSheet reads the Budget sheet back: a row a year whose every
// amount is the plan's to the cent, in euros; a totals row of sums by
// formula whose cached values are the columns' sums; the note on the
// plan's own totals; the draw-down a row a year and source; and the print
// settings of a sheet for the treasury's file (A4 portrait for two
// sources, one page wide, the heading row on every page).
func TestBudgetSheet(t *testing.T) {
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			_, plan := planOf(t, []byte(budgetExample))
			f := open(t, []byte(budgetExample), lang)
			sheet := lang.Text("workbook.sheet.budget")
			euro := `"EUR"`
			if lang == locale.German {
				euro = `"€"`
			}
			heading := []string{lang.Text("term.budget_year"), lang.Text("workbook.cost"), lang.Text("term.funded_cost"), lang.Text("term.own_share"),
				lang.Printf("workbook.draw_down", "KIM"), lang.Printf("workbook.draw_down", "Land")}
			for i, want := range heading {
				if got := raw(t, f, sheet, cell(i+1, budgetHeadingRow)); got != want {
					t.Errorf("heading %d: got %q, want %q", i+1, got, want)
				}
			}
			if got := raw(t, f, sheet, cell(2, budgetHorizonRow)); got != "45657" { // 2024-12-31
				t.Errorf("horizon: got %q, want 45657", got)
			}

			row := budgetFirstRow
			for _, y := range plan.Summary.Budget {
				want := []string{y.Cost.String(), y.Funded.String(), y.OwnShare.String()}
				for _, f := range y.Funding {
					want = append(want, f.Funded.String())
				}
				if got := raw(t, f, sheet, cell(1, row)); got != itoa(y.Year) {
					t.Errorf("row %d: year %q, want %d", row, got, y.Year)
				}
				for i, amount := range want {
					ref := cell(budgetColCost+i, row)
					if got := raw(t, f, sheet, ref); !sameAmount(got, amount) || kind(t, f, sheet, ref) != "n" {
						t.Errorf("%s: got %q (%s), want the number %s", ref, got, kind(t, f, sheet, ref), amount)
					}
					if format := numberFormat(t, f, sheet, ref); !strings.Contains(format, euro) || !strings.Contains(format, "#,##0.00") {
						t.Errorf("%s: number format %q, want euros with cents", ref, format)
					}
				}
				row++
			}
			// The totals: the columns' sums, by formula.
			wantTotals := []string{"321915.56", "119729", "202186.56", "109729", "10000"}
			for i, want := range wantTotals {
				ref := cell(budgetColCost+i, row)
				formula, err := f.GetCellFormula(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				col := column(budgetColCost + i)
				if wantFormula := "SUM(" + col + itoa(budgetFirstRow) + ":" + col + itoa(row-1) + ")"; formula != wantFormula {
					t.Errorf("%s: formula %q, want %q", ref, formula, wantFormula)
				}
				if got := raw(t, f, sheet, ref); got != want {
					t.Errorf("%s: cached total %q, want %s", ref, got, want)
				}
				if style := styleOf(t, f, sheet, ref); style.Font == nil || !style.Font.Bold {
					t.Errorf("%s: the total is not bold", ref)
				}
			}
			if got := raw(t, f, sheet, cell(1, row)); got != lang.Text("workbook.total") {
				t.Errorf("totals row label %q", got)
			}
			// The plan's totals are a cent lower, and the note says so.
			note := raw(t, f, sheet, cell(1, row+1))
			if !strings.Contains(note, lang.Money(plan.Summary.TotalCost)) || !strings.Contains(note, lang.Money(plan.Summary.OwnShare)) {
				t.Errorf("got note %q, want the plan's totals", note)
			}

			// The draw-down by year and source, below its label and headings: six
			// rows, 2022's of land its cap.
			var draws []string
			for r := row + 5; r < row+11; r++ {
				draws = append(draws, raw(t, f, sheet, cell(1, r))+" "+raw(t, f, sheet, cell(2, r))+" "+raw(t, f, sheet, cell(4, r)))
			}
			if got, want := strings.Join(draws, ", "), "2022 kim 109729, 2022 land 10000, 2023 kim 0, 2023 land 0, 2024 kim 0, 2024 land 0"; got != want {
				t.Errorf("got draw-downs %s, want %s", got, want)
			}

			layout, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if layout.Size == nil || *layout.Size != paperA4 || layout.FitToWidth == nil || *layout.FitToWidth != 1 ||
				layout.Orientation == nil || *layout.Orientation != "portrait" {
				t.Errorf("page layout %s, want A4 portrait, one page wide", describeLayout(layout))
			}
			titles := ""
			for _, name := range f.GetDefinedName() {
				if name.Name == "_xlnm.Print_Titles" && name.Scope == sheet {
					titles = name.RefersTo
				}
			}
			if want := "'" + sheet + "'!$5:$5"; titles != want {
				t.Errorf("print titles %q, want %q", titles, want)
			}
			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != budgetHeadingRow || panes.XSplit != 1 {
				t.Errorf("panes %+v, want frozen below the headings and right of the years", panes)
			}
		})
	}
}

// TestBudgetSheetEmpty: a plan that starts after its horizon has no budget
// year, and the sheet says why.
func TestBudgetSheetEmpty(t *testing.T) {
	scenario := strings.Replace(budgetExample, `"start": "2022-01-01"`, `"start": "2025-03-01"`, 1)
	f := open(t, []byte(scenario), locale.German)
	got := raw(t, f, "Haushalt", cell(1, budgetHeadingRow))
	if want := "Kein Haushaltsjahr: Der Plan beginnt am 01.03.2025, nach dem Planungshorizont 31.12.2024."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if rows, _ := f.GetRows("Haushalt"); len(rows) != budgetHeadingRow {
		t.Errorf("got %d rows, want %d", len(rows), budgetHeadingRow)
	}
}

// sameAmount compares a cell's stored number with a Decimal's digits:
// "165000" is 165000.00.
func sameAmount(stored, want string) bool {
	return stored == strings.TrimSuffix(strings.TrimRight(want, "0"), ".") || stored == want
}

// numberFormat is the custom number format of a cell.
func numberFormat(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	style := styleOf(t, f, sheet, ref)
	if style.CustomNumFmt == nil {
		return ""
	}
	return *style.CustomNumFmt
}
