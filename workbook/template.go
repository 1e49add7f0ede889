package workbook

import (
	"errors"
	"fmt"
	"io"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/locale"
	"grantplan/planner"
)

// WriteTemplate writes a blank workbook to fill in and import: only the
// Input sheet, in lang, with its notes, its column headings, empty rows
// of funding sources and posts, and the drop-down lists and date checks
// of an exported workbook (docs/workbook.md, Input). exported dates its
// header; TemplateName is a name for its file.
func WriteTemplate(w io.Writer, lang locale.Lang, exported date.Date) (err error) {
	if exported == 0 {
		return errors.New("workbook: no export date")
	}
	if lang != locale.German {
		lang = locale.English
	}
	f := excelize.NewFile()
	defer func() {
		if closeErr := f.Close(); err == nil && closeErr != nil {
			err = fmt.Errorf("workbook: %w", closeErr)
		}
	}()
	b := &book{f: f, lang: lang, opts: Options{Lang: lang, Exported: exported},
		plan: &planner.Plan{Scenario: lang.Text("workbook.template.title")}}
	if err := b.newStyles(); err != nil {
		return fmt.Errorf("workbook: styles: %w", err)
	}
	sheet := b.t("workbook.sheet.input")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if err := b.inputSheet(planner.Object{}, blankRows); err != nil {
		return fmt.Errorf("workbook: sheet %s: %w", sheet, err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: b.plan.Scenario, Creator: "grantplan", Language: string(lang),
	}); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	return nil
}

// TemplateName is the file name of the template in lang:
// "grantplan-template.xlsx", "grantplan-vorlage.xlsx".
func TemplateName(lang locale.Lang) string { return lang.Text("workbook.template.file") }
