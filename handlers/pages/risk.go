package pages

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

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
func parseRiskForm(q url.Values, l planner.Lang) (riskForm, planner.RiskOptions, bool) {
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
	if opts.Trials, err = strconv.Atoi(strings.TrimSpace(f.Trials)); err != nil || opts.Trials < 1 || opts.Trials > planner.MaxTrials {
		f.Errors["trials"] = fmt.Sprintf(tr(l, "Give a whole number of trials from 1 to %d."), PageMaxTrials)
	} else if opts.Trials > PageMaxTrials {
		f.Capped = fmt.Sprintf(tr(l, "This page runs at most %d trials, not the %d asked for; the API (POST /api/v1/risk) runs up to %d."),
			PageMaxTrials, opts.Trials, planner.MaxTrials)
		opts.Trials = PageMaxTrials
		f.Trials = strconv.Itoa(PageMaxTrials)
	}
	if opts.Seed, err = strconv.ParseUint(strings.TrimSpace(f.Seed), 10, 64); err != nil || opts.Seed > planner.MaxSeed {
		f.Errors["seed"] = tr(l, "Give a whole number from 0 on.")
	}
	percent, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f.Confidence), ",", "."), 64)
	if err != nil || !(percent > 0 && percent < 100) {
		f.Errors["confidence"] = tr(l, "Give a percentage above 0 and below 100.")
	}
	opts.Confidence = percent / 100
	if strings.TrimSpace(f.Spread) != "" {
		if opts.Spread, err = planner.ParseSpread(f.Spread); err == nil {
			check := planner.DefaultRiskOptions()
			check.Spread = opts.Spread
			err = check.Validate()
		}
		if err != nil {
			f.Errors["spread"] = tr(l, "Write MIN:MAX factors, e.g. 0.8:1.5 (−20 % / +50 %), or per phase: recruiting=0.8:1.5, notice=1:1.5; MIN from 0 to 1, MAX from 1 to 10.")
		}
	}
	return f, opts, len(f.Errors) == 0
}
