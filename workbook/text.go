package workbook

import (
	"grantplan/planner"
)

// words holds the workbook's own texts in one language: sheet names,
// headings, phase names, labels. The planner renders its flag messages,
// dates and amounts itself (planner.Lang, Flag.Text).
type words struct {
	// Sheet names, at most 31 characters and none of : \ / ? * [ ].
	ganttSheet, summarySheet, flagsSheet, assumptionsSheet string

	planningStart, fundingEnds, exported string
	timelineCut                          string // printf: the columns shown

	post, location, hiringStart, filled, productive, productiveMonths, flag string
	noGroup                                                                 string
	legend                                                                  string
	phases                                                                  [phaseCount]string
	fundingEndLine                                                          string
	severities                                                              map[planner.Severity]string
	codes                                                                   map[planner.Code]string

	// Summary.
	kpis, value                                       string
	positions, critical, warnings, infos              string
	utilisation, productiveFTEMonths, potentialFTEMon string
	fundedCost, onboardingCost, unclaimed             string
	lastFilled, lastProductive, latestSafeStart, none string
	fundingSources                                    string
	source, name, start, end, capAmount, need         string
	available, overBy                                 string
	perMonth, month                                   string
	productiveFTE, productiveAfterEnd, fundedFTE      string
	chartTitle                                        string

	// Flags.
	severity, code, postOrSource, message, days string

	// Assumptions.
	scenario, description, minProductive, hrCapacity, unlimited string
	defaults, builtIn, field                                    string
	rate, perFTEYear                                            string
	id, title, group, fte, monthlyCost                          string
	recruiting, notice, onboarding, startOn, earliest, after    string
	funding                                                     string
	alignments                                                  [3]string
	events                                                      [4]string
	dependencyOf                                                string // printf: count, members
	rangeOf                                                     string // printf: min, max

	// Risk.
	riskSheet, riskTrials, riskSeed, riskDecision, riskAllSafe string
	riskFTEMonths, riskFundingEnd, riskByEnd, riskMinimum      string

	// Header and footer.
	page string // printf-free: "Page &P of &N" with Excel's codes
}

// Index of the phases a timeline cell can show; none is before hiring.
const (
	phaseNone = iota
	phaseRecruiting
	phaseNotice
	phaseOnboarding
	phaseProductive
	phaseAfterEnd
	phaseCount
)

var english = words{
	ganttSheet: "Gantt", summarySheet: "Summary", flagsSheet: "Flags", assumptionsSheet: "Assumptions",

	riskSheet: "Risk", riskTrials: "Trials", riskSeed: "Seed",
	riskDecision:   "Latest decision date at the confidence",
	riskAllSafe:    "Chance that every post is safe",
	riskFTEMonths:  "Productive FTE-months P10 / P50 / P90",
	riskFundingEnd: "Funding end", riskByEnd: "Productive by the end", riskMinimum: "Minimum time met",

	planningStart: "Planning start", fundingEnds: "Funding ends", exported: "Exported",
	timelineCut: "The timeline shows the first %d columns only.",

	post: "Post", location: "Location", hiringStart: "Hiring start", filled: "Filled",
	productive: "Productive", productiveMonths: "Productive months", flag: "Flag",
	noGroup: "No group",
	legend:  "Legend",
	phases: [phaseCount]string{
		phaseRecruiting: "Recruiting", phaseNotice: "Notice", phaseOnboarding: "Onboarding",
		phaseProductive: "Productive", phaseAfterEnd: "After funding end",
	},
	fundingEndLine: "Funding end",
	severities:     map[planner.Severity]string{planner.Critical: "critical", planner.Warning: "warning", planner.Info: "info"},
	codes: map[planner.Code]string{
		planner.NotFilledBeforeExpiry:     "Not filled",
		planner.NotProductiveBeforeExpiry: "Not productive",
		planner.ShortProductiveWindow:     "Short window",
		planner.FilledBeforeFunding:       "Filled before funding",
		planner.CapacityDelay:             "Capacity delay",
		planner.BudgetExceeded:            "Budget exceeded",
	},

	kpis: "Key figures", value: "Value",
	positions: "Posts", critical: "Critical flags", warnings: "Warnings", infos: "Infos",
	utilisation: "Utilisation", productiveFTEMonths: "Productive FTE-months", potentialFTEMon: "Potential FTE-months",
	fundedCost: "Funded cost", onboardingCost: "Onboarding cost (funded, not yet productive)", unclaimed: "Unclaimed (lapses)",
	lastFilled: "Last filled", lastProductive: "Last productive", latestSafeStart: "Latest safe decision date", none: "none",
	fundingSources: "Funding sources",
	source:         "Source", name: "Name", start: "Start", end: "End", capAmount: "Cap", need: "Need",
	available: "Available", overBy: "Over by",
	perMonth: "Productive FTE per month", month: "Month",
	productiveFTE: "Productive FTE (funded)", productiveAfterEnd: "Productive FTE (after funding end)", fundedFTE: "Funded posts (FTE)",
	chartTitle: "Productive FTE per month against the funding",

	severity: "Severity", code: "Code", postOrSource: "Post or source", message: "Message", days: "Days",

	scenario: "Scenario", description: "Description", minProductive: "Minimum productive time",
	hrCapacity: "HR capacity (recruitments at once)", unlimited: "unlimited",
	defaults: "Defaults (where a post leaves a field out)", builtIn: "built in", field: "Field",
	rate: "Rate", perFTEYear: "Per FTE and year",
	id: "ID", title: "Title", group: "Group", fte: "FTE", monthlyCost: "Monthly cost (1.0 FTE)",
	recruiting: "Recruiting", notice: "Notice", onboarding: "Onboarding", startOn: "Starts on",
	earliest: "Earliest", after: "After", funding: "Funding",
	alignments:   [3]string{"any day", "first of a month", "first of a quarter"},
	events:       [4]string{"hiring start", "recruited", "filled", "productive"},
	dependencyOf: "%d of %d",
	rangeOf:      "range %s to %s",

	page: "Page &P of &N",
}

var german = words{
	ganttSheet: "Zeitplan", summarySheet: "Übersicht", flagsSheet: "Hinweise", assumptionsSheet: "Annahmen",

	riskSheet: "Risiko", riskTrials: "Durchläufe", riskSeed: "Startwert (Seed)",
	riskDecision:   "Spätester Beschluss bei der Sicherheit",
	riskAllSafe:    "Wahrscheinlichkeit, dass jede Stelle sicher ist",
	riskFTEMonths:  "Produktive VZÄ-Monate P10 / P50 / P90",
	riskFundingEnd: "Förderende", riskByEnd: "Produktiv bis Förderende", riskMinimum: "Mindestzeit erreicht",

	planningStart: "Planungsbeginn", fundingEnds: "Förderende", exported: "Exportiert",
	timelineCut: "Die Zeitleiste zeigt nur die ersten %d Spalten.",

	post: "Stelle", location: "Standort", hiringStart: "Suchbeginn", filled: "Besetzt",
	productive: "Produktiv", productiveMonths: "Produktive Monate", flag: "Hinweis",
	noGroup: "Ohne Gruppe",
	legend:  "Legende",
	phases: [phaseCount]string{
		phaseRecruiting: "Personalsuche", phaseNotice: "Kündigungsfrist", phaseOnboarding: "Einarbeitung",
		phaseProductive: "Produktiv", phaseAfterEnd: "Nach Förderende",
	},
	fundingEndLine: "Förderende",
	severities:     map[planner.Severity]string{planner.Critical: "kritisch", planner.Warning: "Warnung", planner.Info: "Info"},
	codes: map[planner.Code]string{
		planner.NotFilledBeforeExpiry:     "Nicht besetzt",
		planner.NotProductiveBeforeExpiry: "Nicht produktiv",
		planner.ShortProductiveWindow:     "Zu kurz produktiv",
		planner.FilledBeforeFunding:       "Vor Förderbeginn besetzt",
		planner.CapacityDelay:             "Verzögert durch Kapazität",
		planner.BudgetExceeded:            "Budget überschritten",
	},

	kpis: "Kennzahlen", value: "Wert",
	positions: "Stellen", critical: "Kritische Hinweise", warnings: "Warnungen", infos: "Infos",
	utilisation: "Ausschöpfung", productiveFTEMonths: "Produktive VZÄ-Monate", potentialFTEMon: "Mögliche VZÄ-Monate",
	fundedCost: "Geförderte Kosten", onboardingCost: "Einarbeitungskosten (gefördert, noch nicht produktiv)", unclaimed: "Nicht abgerufen (verfällt)",
	lastFilled: "Letzte Besetzung", lastProductive: "Zuletzt produktiv", latestSafeStart: "Spätester sicherer Beschluss", none: "keiner",
	fundingSources: "Förderquellen",
	source:         "Quelle", name: "Name", start: "Beginn", end: "Ende", capAmount: "Obergrenze", need: "Bedarf",
	available: "Verfügbar", overBy: "Überschreitung",
	perMonth: "Produktive VZÄ je Monat", month: "Monat",
	productiveFTE: "Produktive VZÄ (gefördert)", productiveAfterEnd: "Produktive VZÄ (nach Förderende)", fundedFTE: "Geförderte Stellen (VZÄ)",
	chartTitle: "Produktive VZÄ je Monat und Förderung",

	severity: "Schwere", code: "Code", postOrSource: "Stelle oder Quelle", message: "Meldung", days: "Tage",

	scenario: "Szenario", description: "Beschreibung", minProductive: "Mindestens produktive Zeit",
	hrCapacity: "Personalkapazität (Verfahren gleichzeitig)", unlimited: "unbegrenzt",
	defaults: "Vorgaben (wo eine Stelle nichts angibt)", builtIn: "eingebaut", field: "Feld",
	rate: "Förderquote", perFTEYear: "Je VZÄ und Jahr",
	id: "ID", title: "Bezeichnung", group: "Gruppe", fte: "VZÄ", monthlyCost: "Monatskosten (1,0 VZÄ)",
	recruiting: "Personalsuche", notice: "Kündigungsfrist", onboarding: "Einarbeitung", startOn: "Beginn am",
	earliest: "Frühestens", after: "Nach", funding: "Förderung",
	alignments:   [3]string{"beliebigen Tag", "Monatsersten", "Quartalsersten"},
	events:       [4]string{"Suchbeginn", "Zusage", "Besetzung", "produktiv"},
	dependencyOf: "%d von %d",
	rangeOf:      "Spanne %s bis %s",

	page: "Seite &P von &N",
}

// wordsFor returns the texts of language l; English for anything but German.
func wordsFor(l planner.Lang) *words {
	if l == planner.German {
		return &german
	}
	return &english
}
