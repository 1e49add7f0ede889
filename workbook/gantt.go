package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// The Gantt sheet's layout: title rows, the legend, the heading row, then
// the posts; the post columns come before the timeline.
const (
	ganttTitleRow   = 1
	ganttStartRow   = 2
	ganttEndsRow    = 3
	ganttExportRow  = 4
	ganttLegendRow  = 5
	ganttHeadingRow = 6
	ganttFirstRow   = 7

	colPost             = 1
	colLocation         = 2
	colHiringStart      = 3
	colFilled           = 4
	colProductive       = 5
	colProductiveMonths = 6
	colFlag             = 7
	postColumns         = 7
	colTimeline         = postColumns + 1

	// legendEntry is how many timeline columns each legend entry takes:
	// a coloured cell, then its name running over the empty cells after.
	legendEntry = 6
)

// writeGantt writes the Gantt sheet with the stream writer, which keeps
// memory flat for thousands of posts: one row per post, grouped by group
// under a heading row, and a timeline coloured by phase.
func (b *book) writeGantt() error {
	sheet := b.t("workbook.sheet.gantt")
	if err := b.printSetup(sheet, ganttHeadingRow); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	t := &b.timeline
	lastCol := postColumns + len(t.columns)
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: postColumns, YSplit: ganttHeadingRow,
		TopLeftCell: cell(colTimeline, ganttFirstRow), ActivePane: "bottomRight",
	}); err != nil {
		return err
	}
	if err := setWidths(sw, []columnWidths{
		{colPost, colPost, 36}, {colLocation, colLocation, 18},
		{colHiringStart, colProductive, 11.5}, {colProductiveMonths, colProductiveMonths, 10},
		{colFlag, colFlag, 24}, {colTimeline, max(lastCol, colTimeline), 3.3},
	}); err != nil {
		return err
	}

	s := &b.styles
	if err := sw.SetRow(cell(1, ganttTitleRow), []any{text(b.plan.Scenario, s.title)}, excelize.RowOpts{Height: 21}); err != nil {
		return err
	}
	if err := sw.SetRow(cell(1, ganttStartRow), []any{text(b.t("term.planning_start"), s.bold), b.dateCell(b.plan.Start, s.dateBold)}); err != nil {
		return err
	}
	ends := []any{text(b.t("term.funding_end"), s.bold)}
	for _, end := range b.fundingEnds() {
		ends = append(ends, b.dateCell(end, s.dateBold))
	}
	if err := sw.SetRow(cell(1, ganttEndsRow), ends); err != nil {
		return err
	}
	exported := []any{text(b.t("workbook.exported"), s.bold), b.dateCell(b.opts.Exported, s.dateBold)}
	if t.cut {
		exported = append(exported, text(fmt.Sprintf(b.t("workbook.timeline_cut"), len(t.columns)), s.bold))
	}
	if err := sw.SetRow(cell(1, ganttExportRow), exported); err != nil {
		return err
	}
	if err := sw.SetRow(cell(1, ganttLegendRow), b.legend()); err != nil {
		return err
	}

	heading := []any{
		text(b.t("term.post"), s.heading), text(b.t("term.location"), s.heading), text(b.t("term.hiring_start"), s.headingRight),
		text(b.t("term.filled"), s.headingRight), text(b.t("term.productive"), s.headingRight),
		text(b.t("term.productive_months"), s.headingRight), text(b.t("term.flags"), s.heading),
	}
	for i, column := range t.columns {
		heading = append(heading, b.dateCell(column.first, s.timelineHeading[line(t.fundingEnd[i])]))
	}
	if err := sw.SetRow(cell(1, ganttHeadingRow), heading, excelize.RowOpts{Height: 58}); err != nil {
		return err
	}

	row := ganttFirstRow
	values := make([]any, lastCol)
	flagged := b.worstFlags()
	for _, group := range groupPosts(b.plan.Positions) {
		name := group.name
		if name == "" {
			name = b.t("workbook.no_group")
		}
		values[0] = text(name, s.group)
		for col := 1; col < postColumns; col++ {
			values[col] = excelize.Cell{StyleID: s.group}
		}
		for i := range t.columns {
			values[colTimeline-1+i] = excelize.Cell{StyleID: s.timeline[phaseNone][line(t.fundingEnd[i])]}
		}
		if err := sw.SetRow(cell(1, row), values); err != nil {
			return err
		}
		row++
		for _, p := range group.posts {
			b.postRow(values, &b.plan.Positions[p], flagged[p])
			if err := sw.SetRow(cell(1, row), values); err != nil {
				return err
			}
			row++
		}
	}

	if err := b.f.AutoFilter(sheet, cell(1, ganttHeadingRow)+":"+cell(postColumns, row-1), nil); err != nil {
		return err
	}
	return sw.Flush()
}

// postRow fills values with one post's row.
func (b *book) postRow(values []any, p *planner.PositionPlan, flags postFlags) {
	s := &b.styles
	nameStyle := s.text
	if flags.rank >= 0 {
		nameStyle = s.severity[flags.rank]
	}
	values[colPost-1] = text(postName(p), nameStyle)
	values[colLocation-1] = text(deref(p.Location), s.text)
	values[colHiringStart-1] = b.dateCell(p.HiringStart, s.date)
	values[colFilled-1] = b.dateCell(p.Filled, s.date)
	values[colProductive-1] = b.dateCell(p.Productive, s.date)
	values[colProductiveMonths-1] = excelize.Cell{StyleID: s.months, Value: decimal(p.ProductiveMonths)}
	if flags.rank >= 0 {
		values[colFlag-1] = text(flags.labels, nameStyle)
	} else {
		values[colFlag-1] = excelize.Cell{StyleID: s.text}
	}
	bounds := boundsOf(p)
	for i, column := range b.timeline.columns {
		values[colTimeline-1+i] = excelize.Cell{StyleID: s.timeline[bounds.phaseIn(column)][line(b.timeline.fundingEnd[i])]}
	}
}

// legend is the legend row: a coloured cell per phase with its name
// after it, then the funding end line.
func (b *book) legend() []any {
	s := &b.styles
	row := make([]any, postColumns, postColumns+legendEntry*phaseCount)
	row[0] = text(b.t("workbook.legend"), s.bold)
	for phase := phaseRecruiting; phase < phaseCount; phase++ {
		entry := make([]any, legendEntry)
		entry[0] = excelize.Cell{StyleID: s.timeline[phase][0]}
		entry[1] = text(b.lang.Phase(paletteOf[phase]), s.text)
		row = append(row, entry...)
	}
	entry := make([]any, legendEntry)
	entry[0] = excelize.Cell{StyleID: s.legendLine}
	entry[1] = text(b.t("term.funding_end"), s.text)
	return append(row, entry...)
}

// line is the style index for a cell with (1) or without (0) the funding
// end line.
func line(fundingEnd bool) int {
	if fundingEnd {
		return 1
	}
	return 0
}

// fundingEnds returns the distinct funding ends, earliest first.
func (b *book) fundingEnds() []date.Date {
	var ends []date.Date
	for _, f := range b.plan.Summary.Funding {
		ends = append(ends, f.End)
	}
	slices.Sort(ends)
	return slices.Compact(ends)
}

// A group is the posts of one group in input order; name is "" for the
// posts in no group.
type group struct {
	name  string
	posts []int
}

// groupPosts returns the groups in the order of their first post.
func groupPosts(positions []planner.PositionPlan) []group {
	var groups []group
	index := make(map[string]int)
	for p := range positions {
		name := deref(positions[p].Group)
		i, known := index[name]
		if !known {
			i = len(groups)
			index[name] = i
			groups = append(groups, group{name: name})
		}
		groups[i].posts = append(groups[i].posts, p)
	}
	return groups
}

// postFlags sums up a post's flags for its row: the worst severity's rank
// (-1 for none) and the short names of all its flags.
type postFlags struct {
	rank   int
	labels string
}

// worstFlags returns every post's flags, by the post's index.
func (b *book) worstFlags() []postFlags {
	flags := make([]postFlags, len(b.plan.Positions))
	index := make(map[string]int, len(b.plan.Positions))
	for p := range b.plan.Positions {
		flags[p].rank = -1
		index[b.plan.Positions[p].ID] = p
	}
	labels := make([][]string, len(b.plan.Positions))
	// The plan's flags come worst first.
	for _, f := range b.plan.Flags {
		p, ok := index[f.Position]
		if f.Position == "" || !ok {
			continue
		}
		if flags[p].rank < 0 {
			flags[p].rank = f.Severity.Rank()
		}
		labels[p] = append(labels[p], b.lang.FlagLabel(f.Code))
	}
	for p := range flags {
		flags[p].labels = strings.Join(labels[p], ", ")
	}
	return flags
}
