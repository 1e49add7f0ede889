package pages

import (
	"net/url"
	"strconv"
	"strings"

	"grantplan/form"
	"grantplan/locale"
	"grantplan/planner"
)

// riskForm is the risk form's input as the user typed it, and its errors.
type riskForm struct {
	Run                              bool
	Trials, Seed, Confidence, Spread string
	Errors                           map[string]string
	// Capped, if not empty, says that the trials asked for were more than
	// a page runs (PageMaxTrials), and how many ran.
	Capped string
}

// PageMaxTrials is the most trials a page runs: a risk run starts from a
// GET link, which anyone may send around, so a page caps it and says so.
// The API runs up to planner.MaxTrials.
const PageMaxTrials = 10_000

// parseRiskForm reads the risk form from a query. Confidence is a
// percentage on the page (80), a ratio in the planner (0.8).
func parseRiskForm(q url.Values, l locale.Lang) (riskForm, planner.RiskOptions, bool) {
	f := riskForm{
		Run:    q.Get("risk") != "",
		Trials: q.Get("trials"), Seed: q.Get("seed"), Confidence: q.Get("confidence"), Spread: q.Get("spread"),
		Errors: map[string]string{},
	}
	if f.Trials == "" {
		f.Trials = strconv.Itoa(planner.DefaultTrials)
	}
	if f.Seed == "" {
		f.Seed = "0"
	}
	if f.Confidence == "" {
		f.Confidence = "80"
	}
	opts := planner.DefaultRiskOptions()
	var err error
	// Trials, seed and confidence are number controls, which a browser
	// sends plain; the spread is text in the page's language.
	trials, ok := form.WholeNumber(f.Trials)
	if opts.Trials = trials; !ok || opts.Trials < 1 || opts.Trials > planner.MaxTrials {
		f.Errors["trials"] = l.Printf("page.risk.trials_invalid", PageMaxTrials)
	} else if opts.Trials > PageMaxTrials {
		f.Capped = l.Printf("page.risk.trials_capped", PageMaxTrials, opts.Trials, planner.MaxTrials)
		opts.Trials = PageMaxTrials
		f.Trials = strconv.Itoa(PageMaxTrials)
	}
	if opts.Seed, err = strconv.ParseUint(strings.TrimSpace(f.Seed), 10, 64); err != nil || opts.Seed > planner.MaxSeed {
		f.Errors["seed"] = l.Text("page.risk.seed_invalid")
	}
	percent, err := locale.English.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Confidence), "%")))
	if err != nil || !(percent > 0 && percent < 100) {
		f.Errors["confidence"] = l.Text("page.risk.confidence_invalid")
	}
	opts.Confidence = percent / 100
	if strings.TrimSpace(f.Spread) != "" {
		if opts.Spread, err = l.ParseSpread(f.Spread); err == nil {
			check := planner.DefaultRiskOptions()
			check.Spread = opts.Spread
			err = check.Validate()
		}
		if err != nil {
			f.Errors["spread"] = l.Text("page.risk.spread_invalid")
		}
	}
	return f, opts, len(f.Errors) == 0
}
