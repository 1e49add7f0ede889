package view

import "grantplan/planner"

// Tr translates a text of the web pages into l: the one catalog of the
// page texts, which the page handlers use too.
func Tr(l planner.Lang, s string) string { return tr(l, s) }

// German returns the German form of a page text, and whether the catalog
// has one.
func German(s string) (string, bool) {
	t, ok := german[s]
	return t, ok
}

// tr translates a text of the web pages into l. The texts are written in
// English in the code and the templates; german maps each to its German
// form, and a text it lacks stays English (TestCatalogComplete finds
// them). Flag sentences, dates and amounts come from planner.Lang.
func tr(l planner.Lang, s string) string {
	if l == planner.German {
		if t, ok := german[s]; ok {
			return t
		}
	}
	return s
}

var german = map[string]string{
	// Layout and navigation
	"Skip to content": "Zum Inhalt springen", "Main": "Hauptnavigation", "Language": "Sprache",
	"Scenarios": "Szenarien", "Compare": "Vergleichen", "Back to the scenarios": "Zurück zu den Szenarien",
	"Back to the plan": "Zurück zum Plan",

	// List
	"The scenario was not stored:": "Das Szenario wurde nicht gespeichert:",
	"Scenario":                     "Szenario", "Last change": "Letzte Änderung", "Critical": "Kritisch",
	"Warnings": "Warnungen", "Utilisation": "Auslastung", "Unclaimed": "Nicht abgerufen", "Actions": "Aktionen",
	"Compare %s": "%s vergleichen", "revision %d": "Revision %d", "Edit": "Bearbeiten",
	"Duplicate": "Duplizieren", "Delete": "Löschen",
	"Compare the chosen scenarios":        "Ausgewählte Szenarien vergleichen",
	"No scenarios yet. Create one below.": "Noch keine Szenarien. Legen Sie unten eines an.",
	"New scenario":                        "Neues Szenario", "Name": "Name",
	"Create a blank scenario": "Leeres Szenario anlegen", "Scenario file (JSON)": "Szenario-Datei (JSON)",
	"Upload": "Hochladen", "Deleted %s.": "%s gelöscht.", "invalid: %s": "ungültig: %s",
	"cannot be planned": "nicht planbar", "not computed yet": "noch nicht berechnet",
	"Deleted scenarios": "Gelöschte Szenarien", "Deleted: %s": "Gelöscht: %s", "Deleted": "Gelöscht",
	"History": "Verlauf", "Restore": "Wiederherstellen", "Restore %s": "%s wiederherstellen",
	"Back to the deleted scenarios":                                        "Zurück zu den gelöschten Szenarien",
	"Deleted on %s, at revision %d.":                                       "Gelöscht am %s, bei Revision %d.",
	"No scenario has been deleted.":                                        "Kein Szenario wurde gelöscht.",
	"Restored: the scenario is live again, as it was when it was deleted.": "Wiederhergestellt: Das Szenario ist wieder da, wie es beim Löschen war.",
	"Deleting a scenario only hides it: its revisions stay. Restoring it makes it live again as it was, at the same revision.": "Ein gelöschtes Szenario ist nur verborgen: Seine Revisionen bleiben. Wiederherstellen macht es wieder sichtbar, wie es war, mit derselben Revision.",
	"This page runs at most %d trials, not the %d asked for; the API (POST /api/v1/risk) runs up to %d.":                       "Diese Seite rechnet höchstens %d Durchläufe, nicht die verlangten %d; die API (POST /api/v1/risk) rechnet bis zu %d.",
	"This scenario is too large for a risk run of %s trials on this server; at most %d fit.":                                   "Dieses Szenario ist zu groß für eine Risikoanalyse mit %s Durchläufen auf diesem Server; höchstens %d passen.",
	"Search": "Suchen", "Show all": "Alle zeigen", "Pages of the list": "Seiten der Liste",
	"Previous page": "Vorige Seite", "Next page": "Nächste Seite",
	"Page %d of %d (%d scenarios)": "Seite %d von %d (%d Szenarien)",
	"No scenario matches %q.":      "Kein Szenario passt zu %q.",
	"There are only %d pages.":     "Es gibt nur %d Seiten.", "Back to the first page": "Zurück zur ersten Seite",
	"There is no page %s of the list: pages are numbered from 1.":                                "Die Liste hat keine Seite %s: Die Seiten sind ab 1 nummeriert.",
	"Give the new scenario a name of 1 to 200 characters, without invisible control characters.": "Geben Sie dem neuen Szenario einen Namen mit 1 bis 200 Zeichen, ohne unsichtbare Steuerzeichen.",
	"Choose a scenario file (JSON) to upload.":                                                   "Wählen Sie eine Szenario-Datei (JSON) zum Hochladen.",
	"The file could not be read.":                                                                "Die Datei konnte nicht gelesen werden.",
	"%s (copy)":                                                                                  "%s (Kopie)",

	// Scenario page
	"You are looking at revision %d; the current one is %d.": "Sie sehen Revision %d; aktuell ist Revision %d.",
	"Show the current revision":                              "Aktuelle Revision anzeigen",
	"History (revision %d, %s)":                              "Verlauf (Revision %d, %s)",
	"Download:":                                              "Herunterladen:", "Excel (English)": "Excel (Englisch)",
	"Excel (German)": "Excel (Deutsch)", "Scenario (JSON)": "Szenario (JSON)", "Plan (JSON)": "Plan (JSON)",
	"Schedule": "Zeitplan", "Productive FTE over time": "Produktive VZÄ im Zeitverlauf", "Posts": "Stellen",
	"Flags": "Hinweise",
	"No flags: every post is productive long enough before its funding ends.": "Keine Hinweise: Jede Stelle ist lange genug vor dem Ende ihrer Förderung produktiv.",
	"There is no such revision.":                                "Diese Revision gibt es nicht.",
	"This scenario cannot be planned: %s. Edit it to fix this.": "Dieses Szenario lässt sich nicht planen: %s. Bearbeiten Sie es, um das zu beheben.",
	"Saved as revision %s.":                                     "Als Revision %s gespeichert.",
	"Productive FTE-months":                                     "Produktive VZÄ-Monate",
	"of %s possible":                                            "von %s möglichen",
	"Funded":                                                    "Gefördert",
	"granted money that lapses":                                 "bewilligtes Geld, das verfällt",
	"Latest safe decision":                                      "Spätester sicherer Beschluss",
	"%d critical":                                               "%d kritisch", "%d warning": "%d Warnung", "%d warnings": "%d Warnungen",
	"Not saved: %d problem, shown beside its field.": "Nicht gespeichert: %d Problem, neben seinem Feld angezeigt.",
	"Post": "Stelle", "Hiring starts": "Suche beginnt", "Filled": "Besetzt",
	"Productive": "Produktiv", "Funding ends": "Förderende", "Productive months": "Produktive Monate",
	"Slack (days)": "Puffer (Tage)", "Funding sources": "Förderquellen", "Source": "Quelle",
	"Period": "Zeitraum", "Need": "Bedarf", "Available": "Verfügbar",
	"Dates of every post (the chart as a table)": "Termine jeder Stelle (das Diagramm als Tabelle)",
	"none": "keiner",
	"no decision date gives every post its minimum productive time": "kein Beschlussdatum gibt jeder Stelle ihre Mindestzeit",
	"%s before this plan's start":                                   "%s vor dem Start dieses Plans",
	"%s after this plan's start":                                    "%s nach dem Start dieses Plans",
	"this plan's start":                                             "der Start dieses Plans",
	"Critical flags":                                                "Kritische Hinweise",
	"Change":                                                        "Änderung", "points": "Prozentpunkte", "%s of %s": "%s von %s",
	"Warning": "Warnung", "Note": "Hinweis",
	"not filled in time": "nicht rechtzeitig besetzt", "not productive in time": "nicht rechtzeitig produktiv",
	"short productive time": "kurze produktive Zeit", "filled before funding": "vor der Förderung besetzt",
	"waits for HR": "wartet auf Personalamt", "over budget": "über dem Budget",

	// Charts
	"Gantt chart of %s": "Gantt-Diagramm von %s",
	"%d posts from %s to %s; the same dates are in the table below.": "%d Stellen vom %s bis %s; dieselben Termine stehen in der Tabelle darunter.",
	"%s from %s to %s":                        "%s vom %s bis %s",
	"%s from %s to %s (filled)":               "%s vom %s bis %s (besetzt)",
	"%s from %s to %s (productive)":           "%s vom %s bis %s (produktiv)",
	"%s from %s until the funding ends on %s": "%s ab %s bis zum Förderende am %s",
	"planning start %s":                       "Planungsbeginn %s",
	"funding ends %s: %s":                     "Förderende %s: %s",
	"funding ends %s":                         "Förderende %s",
	"Productive, funded FTE over time":        "Produktive, geförderte VZÄ im Zeitverlauf",
	"%s FTE":                                  "%s VZÄ",
	"At most %s of %s FTE are productive and funded at once, from %s.": "Höchstens %s von %s VZÄ sind gleichzeitig produktiv und gefördert, ab %s.",
	"None of the %s FTE is productive before its funding ends.":        "Keines der %s VZÄ ist vor dem Ende seiner Förderung produktiv.",
	"waiting for other posts":                                          "wartet auf andere Stellen", "recruiting": "Stellenbesetzung",
	"notice period": "Kündigungsfrist", "onboarding": "Einarbeitung", "productive, funded": "produktiv, gefördert",

	// What-if
	"What if…": "Was wäre, wenn …", "Decision date (planning start)": "Beschlussdatum (Planungsbeginn)",
	"End of funding: %s": "Förderende: %s",
	"Hire all posts in parallel (no post waits for another)": "Alle Stellen parallel besetzen (keine Stelle wartet auf eine andere)",
	"HR capacity (recruitments at once, 0 = no limit)":       "Personalamt: Verfahren gleichzeitig (0 = unbegrenzt)",
	"Recruiting times ± %":                                   "Besetzungsdauer ± %",
	"Re-plan":                                                "Neu planen", "Reset": "Zurücksetzen",
	"Changes": "Änderungen", "Name of the new scenario": "Name des neuen Szenarios",
	"Save as new scenario": "Als neues Szenario speichern", "As stored": "Wie gespeichert", "What-if": "Was-wäre-wenn",
	"The stored scenario cannot be read.":                     "Das gespeicherte Szenario ist nicht lesbar.",
	"Give a date such as 2021-10-01.":                         "Geben Sie ein Datum wie 2021-10-01 an.",
	"Give a date such as 2023-12-31.":                         "Geben Sie ein Datum wie 2023-12-31 an.",
	"Decision on %s instead of %s.":                           "Beschluss am %s statt am %s.",
	"%s ends on %s instead of %s.":                            "%s endet am %s statt am %s.",
	"All posts are hired at once: no post waits for another.": "Alle Stellen werden zugleich besetzt: keine wartet auf eine andere.",
	"Give a whole number from 0 (no limit) to %d.":            "Geben Sie eine ganze Zahl von 0 (unbegrenzt) bis %d an.",
	"HR runs any number of recruitments at once.":             "Das Personalamt führt beliebig viele Verfahren gleichzeitig.",
	"HR runs at most %d recruitments at once.":                "Das Personalamt führt höchstens %d Verfahren gleichzeitig.",
	"Give a whole number of percent from %d to +%d.":          "Geben Sie eine ganze Prozentzahl von %d bis +%d an.",
	"Every recruiting time is %s %% of what it was.":          "Jede Besetzungsdauer beträgt %s %% der bisherigen.",
	"What if: %s":                  "Was wäre, wenn: %s",
	"%s (what-if)":                 "%s (Was-wäre-wenn)",
	"Key figures":                  "Kennzahlen",
	"Key figures before and after": "Kennzahlen vorher und nachher",
	"Nothing is changed yet: set the controls and press Re-plan.": "Noch nichts geändert: Stellen Sie die Regler ein und wählen Sie „Neu planen“.",
	"The changed scenario is invalid: %s":                         "Das geänderte Szenario ist ungültig: %s",

	// Compare
	"Compare scenarios":                        "Szenarien vergleichen",
	"Scenarios to compare":                     "Zu vergleichende Szenarien",
	"Choose two or more scenarios to compare.": "Wählen Sie zwei oder mehr Szenarien zum Vergleich.",
	"Choose at most %d scenarios.":             "Wählen Sie höchstens %d Szenarien.",
	"%s cannot be planned: %s":                 "%s lässt sich nicht planen: %s",

	// Delete and history
	"Delete %s?": "%s löschen?",
	"The scenario %s disappears from the list. Its revisions stay in the database, and its id is not given out again.": "Das Szenario %s verschwindet aus der Liste. Seine Revisionen bleiben in der Datenbank, und seine Kennung wird nicht neu vergeben.",
	"Cancel": "Abbrechen", "Revision": "Revision", "Saved": "Gespeichert", "current": "aktuell", "View": "Ansehen",
	"Restore revision %d":                      "Revision %d wiederherstellen",
	"History of %s":                            "Verlauf von %s",
	"Restored revision %s as the current one.": "Revision %s wurde als aktuelle wiederhergestellt.",

	// Editing
	"Edit %s": "%s bearbeiten", "Save": "Speichern", "row %d": "Zeile %d",
	"Periods are ISO 8601: P3M = 3 months, P6W = 6 weeks, P1Y2M = 1 year 2 months; a range is MIN/LIKELY/MAX. An empty field takes the default.": "Zeiträume nach ISO 8601: P3M = 3 Monate, P6W = 6 Wochen, P1Y2M = 1 Jahr 2 Monate; eine Spanne ist MIN/WAHRSCHEINLICH/MAX. Ein leeres Feld nimmt den Standardwert.",
	"Not saved: %d problems, each shown beside its field.": "Nicht gespeichert: %d Probleme, jedes neben seinem Feld.",
	"Defaults for every post":                              "Standardwerte für jede Stelle", "Remove": "Entfernen",
	"Add a funding source": "Förderquelle hinzufügen", "Add a post": "Stelle hinzufügen",
	"After: the posts this one waits for, separated by commas: an id (ovh-1), a group (group:overhead), an event (ovh-1@recruited, default filled), a lag (group:overhead+P2W) and a count for groups (2 of group:overhead).": "Nach: die Stellen, auf die diese wartet, durch Kommas getrennt: eine Kennung (ovh-1), eine Gruppe (group:overhead), ein Ereignis (ovh-1@recruited, Standard filled), ein Abstand (group:overhead+P2W) und bei Gruppen eine Anzahl (2 of group:overhead).",
	"(default)": "(Standard)", "any day": "jeder Tag", "first of a month": "Monatserster", "first of a quarter": "Quartalserster",
	"want a number such as 5500 or 0.5":                               "erwartet eine Zahl wie 5500 oder 0,5",
	"The form could not be read.":                                     "Das Formular konnte nicht gelesen werden.",
	"The form could not be read: the field %s is not a whole number.": "Das Formular konnte nicht gelesen werden: Das Feld %s ist keine ganze Zahl.",
	"Someone else saved revision %d of this scenario (%s) while you were editing. Your changes are still here and were not saved. Saving again replaces that revision with your version; the history keeps both.": "Jemand anderes hat während Ihrer Bearbeitung Revision %d dieses Szenarios gespeichert (%s). Ihre Änderungen sind noch hier und wurden nicht gespeichert. Erneutes Speichern ersetzt jene Revision durch Ihre Fassung; der Verlauf behält beide.",
	"Description": "Beschreibung", "Planning start (decision date)": "Planungsbeginn (Beschlussdatum)",
	"Minimum productive time": "Mindestzeit produktiv", "Recruiting": "Stellenbesetzung", "Notice": "Kündigungsfrist",
	"Onboarding": "Einarbeitung", "Start on": "Beginn am", "Monthly cost (EUR)": "Monatskosten (EUR)", "FTE": "VZÄ",
	"ID": "Kennung", "End": "Ende", "Rate": "Quote", "Per FTE and year (EUR)": "Je VZÄ und Jahr (EUR)",
	"Cap (EUR)": "Obergrenze (EUR)", "Title": "Bezeichnung", "Group": "Gruppe", "Location": "Standort",
	"Earliest": "Frühestens", "After (dependencies)": "Nach (Abhängigkeiten)", "Funding": "Förderung",
	"Start": "Beginn",

	// Errors
	"Something went wrong on the server; the error has been logged.":                                           "Auf dem Server ist ein Fehler aufgetreten; er wurde protokolliert.",
	"There is no such scenario, or it has been deleted.":                                                       "Dieses Szenario gibt es nicht, oder es wurde gelöscht.",
	"Someone else changed this scenario in the meantime; reload it and try again.":                             "Jemand anderes hat dieses Szenario inzwischen geändert; laden Sie es neu und versuchen Sie es noch einmal.",
	"The server is busy or cannot save just now; nothing was changed. Try again in a moment.":                  "Der Server ist ausgelastet oder kann gerade nicht speichern; nichts wurde geändert. Versuchen Sie es gleich noch einmal.",
	"There is no room left to save this; nothing was changed. The error has been logged for an administrator.": "Es ist kein Platz mehr, um dies zu speichern; nichts wurde geändert. Der Fehler wurde für die Administration protokolliert.",
	"The stored data of this scenario is damaged; an administrator must restore the database from a backup.":   "Die gespeicherten Daten dieses Szenarios sind beschädigt; die Administration muss die Datenbank aus einer Sicherung wiederherstellen.",
	"The scenario is too large to be saved.":                                                                   "Das Szenario ist zu groß, um gespeichert zu werden.",
	"Planning took longer than the %s allowed.":                                                                "Die Planung dauerte länger als die erlaubten %s.",
	"This form has expired or did not come from this site. Go back, reload the page and send it again.":        "Dieses Formular ist abgelaufen oder stammt nicht von dieser Seite. Gehen Sie zurück, laden Sie die Seite neu und senden Sie es noch einmal.",
	"There is no such page.": "Diese Seite gibt es nicht.",
	"Not Found":              "Nicht gefunden", "Forbidden": "Verboten", "Conflict": "Konflikt",
	"Bad Request": "Ungültige Anfrage", "Unprocessable Entity": "Nicht verarbeitbar",
	"Internal Server Error": "Interner Serverfehler", "Service Unavailable": "Nicht verfügbar", "Insufficient Storage": "Zu wenig Speicherplatz",
	"Precondition Failed": "Vorbedingung nicht erfüllt", "Request Entity Too Large": "Anfrage zu groß",

	// Risk panel
	"Risk of missing the deadline":            "Risiko, die Frist zu verpassen",
	"Monte Carlo over uncertain hiring times": "Monte-Carlo-Simulation unsicherer Besetzungszeiten",
	"Trials":                               "Durchläufe",
	"Seed (same seed, same answer)":        "Startwert (gleicher Startwert, gleiches Ergebnis)",
	"Confidence for the decision date (%)": "Sicherheit für den Beschlusstermin (%)",
	"Spread of fixed periods":              "Streuung fester Zeiträume",
	"0.8:1.5 = each fixed period may take 20 % less to 50 % more; recruiting=0.8:1.5 for one phase; empty: only the ranges in the scenario": "0.8:1.5 = jeder feste Zeitraum kann 20 % kürzer bis 50 % länger dauern; recruiting=0.8:1.5 für eine Phase; leer: nur die Spannen im Szenario",
	"Run the risk analysis":                 "Risikoanalyse starten",
	"Latest decision at %s confidence":      "Spätester Beschluss bei %s Sicherheit",
	"Chance that every post is safe":        "Wahrscheinlichkeit, dass jede Stelle sicher ist",
	"%s trials, seed %s":                    "%s Durchläufe, Startwert %s",
	"Productive FTE-months P10 / P50 / P90": "Produktive VZÄ-Monate P10 / P50 / P90",
	"No period of this scenario is a range and no spread is given: every trial is the plan, so every chance is 0 % or 100 %. Give a spread (e.g. 0.8:1.5) to see the risk.": "Kein Zeitraum dieses Szenarios ist eine Spanne und keine Streuung ist angegeben: Jeder Durchlauf ist der Plan, jede Wahrscheinlichkeit also 0 % oder 100 %. Geben Sie eine Streuung an (z. B. 0.8:1.5), um das Risiko zu sehen.",
	"productive by the funding end":                              "produktiv bis zum Förderende",
	"productive for the minimum time":                            "produktiv für die Mindestzeit",
	"productive by the funding end (upper bar, first figure)":    "produktiv bis zum Förderende (oberer Balken, erste Zahl)",
	"productive for the minimum time (lower bar, second figure)": "produktiv für die Mindestzeit (unterer Balken, zweite Zahl)",
	"Risk per post":         "Risiko je Stelle",
	"Productive by the end": "Produktiv bis Förderende",
	"Minimum time met":      "Mindestzeit erreicht",
	"Productive P10":        "Produktiv P10",
	"Give a whole number of trials from 1 to %d.": "Geben Sie eine ganze Zahl von Durchläufen von 1 bis %d an.",
	"Give a whole number from 0 on.":              "Geben Sie eine ganze Zahl ab 0 an.",
	"Give a percentage above 0 and below 100.":    "Geben Sie einen Prozentwert über 0 und unter 100 an.",
	"Write MIN:MAX factors, e.g. 0.8:1.5 (−20 % / +50 %), or per phase: recruiting=0.8:1.5, notice=1:1.5; MIN from 0 to 1, MAX from 1 to 10.": "Schreiben Sie Faktoren MIN:MAX, z. B. 0.8:1.5 (−20 % / +50 %), oder je Phase: recruiting=0.8:1.5, notice=1:1.5; MIN von 0 bis 1, MAX von 1 bis 10.",
	"no decision date in the searched range makes every post safe that often":                                                                 "kein Beschlusstermin im durchsuchten Zeitraum macht jede Stelle so oft sicher",
	"Chance per post of being productive in time":                                                                                             "Wahrscheinlichkeit je Stelle, rechtzeitig produktiv zu sein",
	"Two bars per post: productive by the funding end, and productive for the minimum time; the same figures are in the table below.":         "Zwei Balken je Stelle: produktiv bis zum Förderende und produktiv für die Mindestzeit; dieselben Zahlen stehen in der Tabelle darunter.",
	"%s: productive P10 %s, P50 %s, P90 %s":                                                                                                   "%s: produktiv P10 %s, P50 %s, P90 %s",
	"productive date, P10 to P90 of the risk run (tick: P50)":                                                                                 "Produktivdatum, P10 bis P90 der Risikoanalyse (Strich: P50)",
}
