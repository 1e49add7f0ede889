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
// the posts; the post columns come before the timeline, their money after
// the flags, the last of them a hidden technical column with the ids of
// the groups and posts.
const (
	ganttTitleRow    = 1
	ganttStartRow    = 2
	ganttEndsRow     = 3
	ganttExportRow   = 4
	ganttRevisionRow = 5
	ganttLegendRow   = 6
	ganttHeadingRow  = 7
	ganttFirstRow    = 8

	colPost             = 1
	colLocation         = 2
	colHiringStart      = 3
	colFilled           = 4
	colProductive       = 5
	colProductiveMonths = 6
	colFlag             = 7
	colEmployment       = 8
	colFundedCost       = 9
	colTotalCost        = 10
	colOwnShare         = 11
	colAfterFunding     = 12
	colID               = 13
	postColumns         = 13
	colTimeline         = postColumns + 1

	// timelineHeadingHeight holds a month's or week's date turned upright.
	timelineHeadingHeight = 62
	timelineColumnWidth   = 3.3
)

// writeGantt writes the Gantt sheet with the stream writer, which keeps
// memory flat for thousands of posts: one row per post, grouped by group
// under a heading row, and a timeline coloured by phase.
func (b *book) writeGantt() error {
	sheet := b.t("workbook.sheet.gantt")
	if err := b.printSetup(sheet, true, ganttHeadingRow, ganttHeadingRow); err != nil {
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
	groups := groupPosts(b.plan.Positions)
	flagged := b.worstFlags()
	widths := b.ganttWidths(groups, flagged)
	ranges := widthsFrom(colPost, widths...)
	if len(t.columns) > 0 {
		ranges = append(ranges, columnWidths{colTimeline, lastCol, timelineColumnWidth})
	}
	if err := setWidths(sw, ranges); err != nil {
		return err
	}
	if err := sw.SetColVisible(colID, colID, false); err != nil {
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
	if err := sw.SetRow(cell(1, ganttRevisionRow), []any{text(b.t("workbook.revision"), s.bold), text(b.revisionText(), s.bold)}); err != nil {
		return err
	}
	legend, legendLines := b.legend(widths)
	if err := sw.SetRow(cell(1, ganttLegendRow), legend, excelize.RowOpts{Height: rowHeight(legendLines)}); err != nil {
		return err
	}

	heading := []any{
		text(b.t("term.post"), s.heading), text(b.t("term.location"), s.heading), text(b.t("term.hiring_start"), s.headingRight),
		text(b.t("term.filled"), s.headingRight), text(b.t("term.productive"), s.headingRight),
		text(b.t("term.productive_months"), s.headingRight), text(b.t("term.flags"), s.heading),
		text(b.t("term.employment"), s.heading), text(b.t("term.funded_cost"), s.headingRight), text(b.t("term.total_cost"), s.headingRight),
		text(b.t("term.own_share"), s.headingRight), text(b.t("term.cost_after_funding"), s.headingRight),
		text(b.t("term.id"), s.heading),
	}
	headingLines := 1
	for i, h := range heading {
		headingLines = max(headingLines, lines(h.(excelize.Cell).Value.(string), widths[i], true))
	}
	for i, column := range t.columns {
		heading = append(heading, b.dateCell(column.first, s.timelineHeading[line(t.fundingEnd[i])]))
	}
	height := max(rowHeight(headingLines), timelineHeadingHeight)
	if err := sw.SetRow(cell(1, ganttHeadingRow), heading, excelize.RowOpts{Height: height}); err != nil {
		return err
	}

	row := ganttFirstRow
	values := make([]any, lastCol)
	for g, group := range groups {
		values[0] = text(b.groupName(g, group), s.group)
		for col := 1; col < postColumns; col++ {
			values[col] = excelize.Cell{StyleID: s.group}
		}
		values[colID-1] = text(group.name, s.group)
		for i := range t.columns {
			values[colTimeline-1+i] = excelize.Cell{StyleID: s.timeline[phaseNone][line(t.fundingEnd[i])]}
		}
		if err := sw.SetRow(cell(1, row), values); err != nil {
			return err
		}
		row++
		for _, p := range group.posts {
			position := &b.plan.Positions[p]
			b.postRow(values, position, flagged[p])
			n := max(lines(postName(position), widths[colPost-1], false),
				lines(deref(position.Location), widths[colLocation-1], false),
				lines(flagged[p].labels, widths[colFlag-1], false))
			if err := sw.SetRow(cell(1, row), values, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
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

// ganttWidths are the widths of the post columns, from their texts: the
// headings, the legend's names below them, the group headings, the
// posts' names, locations and flags; dates and months by their formats.
func (b *book) ganttWidths(groups []group, flagged []postFlags) []float64 {
	var post, location, flags, id fit
	post.heading(b.t("term.post"))
	post.heading(b.t("workbook.legend"))
	for g, group := range groups {
		post.wrapping(b.groupName(g, group), true)
		id.text(group.name, true)
		for _, p := range group.posts {
			position := &b.plan.Positions[p]
			post.wrapping(postName(position), false)
			location.wrapping(deref(position.Location), false)
			flags.wrapping(flagged[p].labels, false)
			id.text(position.ID, false)
		}
	}
	location.heading(b.t("term.location"))
	flags.heading(b.t("term.flags"))
	id.text(b.t("term.id"), true)
	widths := []float64{
		post.width(16, 56), location.width(10, 30), 0, 0, 0, 0, flags.width(12, 40), 0, 0, 0, 0, 0, id.width(8, 40),
	}
	// The money: each post's employment in words, and its amounts as the
	// money format shows the largest of them.
	var employment fit
	for _, id := range []string{"term.employment", "term.fixed_term", "term.permanent"} {
		employment.text(b.t(id), id == "term.employment")
	}
	widths[colEmployment-1] = employment.width(10, 20)
	var most int64 // the largest amount, in cents
	for i := range b.plan.Positions {
		p := &b.plan.Positions[i]
		most = max(most, p.FundedCost.Units, p.TotalCost.Units, p.OwnShare.Units, p.CostAfterFunding.Units)
	}
	for col, heading := range map[int]string{colFundedCost: "term.funded_cost", colTotalCost: "term.total_cost", colOwnShare: "term.own_share", colAfterFunding: "term.cost_after_funding"} {
		var f fit
		f.text(b.lang.Money(planner.Decimal{Units: most, Places: 2}), false)
		f.heading(b.t(heading))
		widths[col-1] = f.width(12, 22)
	}
	sample := b.lang.Date(date.New(2000, 12, 31))
	for _, col := range []int{colHiringStart, colFilled, colProductive} {
		var f fit
		f.text(sample, false)
		widths[col-1] = f.width(11, 16)
	}
	var months fit
	months.text("000.00", false)
	months.heading(b.t("term.productive_months"))
	widths[colProductiveMonths-1] = months.width(8, 14)
	// The heading and the legend wrap at their words in every column.
	for i, h := range []string{"term.post", "term.location", "term.hiring_start", "term.filled", "term.productive", "term.productive_months", "term.flags",
		"term.employment", "term.funded_cost", "term.total_cost", "term.own_share", "term.cost_after_funding"} {
		var f fit
		f.wrapping(b.t(h), true)
		widths[i] = max(widths[i], f.word)
	}
	for i, label := range b.legendLabels() {
		var f fit
		f.wrapping(label, false)
		widths[colLocation-1+i] = max(widths[colLocation-1+i], f.word)
	}
	return widths
}

// groupName is a group's heading: "Group 2 (6 posts)", or "No group (2
// posts)"; the group's id is in the hidden technical column.
func (b *book) groupName(i int, g group) string {
	posts := b.lang.Plural("workbook.posts", len(g.posts))
	if g.name == "" {
		return b.lang.Printf("workbook.no_group", posts)
	}
	return b.lang.Printf("workbook.group", i+1, posts)
}

// postRow fills values with one post's row.
func (b *book) postRow(values []any, p *planner.PositionPlan, flags postFlags) {
	s := &b.styles
	nameStyle := s.wrap
	if flags.rank >= 0 {
		nameStyle = s.severity[flags.rank]
	}
	values[colPost-1] = text(postName(p), nameStyle)
	values[colLocation-1] = text(deref(p.Location), s.wrap)
	values[colHiringStart-1] = b.dateCell(p.HiringStart, s.date)
	values[colFilled-1] = b.dateCell(p.Filled, s.date)
	values[colProductive-1] = b.dateCell(p.Productive, s.date)
	values[colProductiveMonths-1] = excelize.Cell{StyleID: s.months, Value: decimal(p.ProductiveMonths)}
	if flags.rank >= 0 {
		values[colFlag-1] = text(flags.labels, nameStyle)
	} else {
		values[colFlag-1] = excelize.Cell{StyleID: s.text}
	}
	employment := "term.fixed_term"
	if p.Employment == planner.Permanent {
		employment = "term.permanent"
	}
	values[colEmployment-1] = text(b.t(employment), s.text)
	values[colFundedCost-1] = excelize.Cell{StyleID: s.money, Value: decimal(p.FundedCost)}
	values[colTotalCost-1] = excelize.Cell{StyleID: s.money, Value: decimal(p.TotalCost)}
	values[colOwnShare-1] = excelize.Cell{StyleID: s.money, Value: decimal(p.OwnShare)}
	values[colAfterFunding-1] = excelize.Cell{StyleID: s.money, Value: decimal(p.CostAfterFunding)}
	values[colID-1] = text(p.ID, s.text)
	bounds := boundsOf(p)
	for i, column := range b.timeline.columns {
		values[colTimeline-1+i] = excelize.Cell{StyleID: s.timeline[bounds.phaseIn(column)][line(b.timeline.fundingEnd[i])]}
	}
}

// legendLabels are the names the legend gives the phases of the timeline
// and the funding end line, in the order of its cells.
func (b *book) legendLabels() []string {
	var labels []string
	for phase := phaseRecruiting; phase < phaseCount; phase++ {
		labels = append(labels, b.lang.Phase(paletteOf[phase]))
	}
	return append(labels, b.t("term.funding_end"))
}

// legend is the legend row: "Legend" under the post's name, then under
// the next columns each phase's name in its colour and the funding end
// beside a red line, within the post columns, so that the legend never
// widens the printout. It returns the row and its most lines.
func (b *book) legend(widths []float64) ([]any, int) {
	s := &b.styles
	row := []any{text(b.t("workbook.legend"), s.bold)}
	n := 1
	for i, label := range b.legendLabels() {
		style := s.legendLine
		if phase := phaseRecruiting + i; phase < phaseCount {
			style = s.legend[phase]
		}
		row = append(row, text(label, style))
		n = max(n, lines(label, widths[colLocation-1+i], false))
	}
	return row, n
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
