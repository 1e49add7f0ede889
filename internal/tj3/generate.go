package tj3

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// Generate returns a scenario of n posts (n ≥ 1) in JSON, the same for the
// same n and seed, that TaskJuggler can schedule exactly: phases and lags
// in weeks and days, start_on "any", dependencies on single posts and on
// whole groups, no HR capacity.
//
// It is shaped like a large programme: an overhead group of about one post
// in fifty, hired in a staggered chain, whose filling gates the first post
// of each department; the department's other posts follow their head or
// each other's hiring start; and the departments form a tree of four children each, in
// which each waits until every post of its parent department is recruited.
// For 1,000 posts the dates stay within about four years, well inside
// TaskJuggler's calendar.
func Generate(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x6772616e74706c61)) // "grantpla"
	weeks := func(lo, hi int) string {
		w, d := lo+r.IntN(hi-lo+1), r.IntN(7)
		if d == 0 || r.IntN(2) == 0 {
			return fmt.Sprintf("P%dW", w)
		}
		return fmt.Sprintf("P%dW%dD", w, d)
	}

	type dependency struct {
		Ref   string `json:"ref"`
		Event string `json:"event,omitempty"`
		Lag   string `json:"lag,omitempty"`
	}
	type position struct {
		ID         string  `json:"id"`
		Title      string  `json:"title"`
		Group      string  `json:"group"`
		Location   string  `json:"location,omitempty"`
		Recruiting string  `json:"recruiting,omitempty"`
		Notice     string  `json:"notice,omitempty"`
		Onboarding string  `json:"onboarding,omitempty"`
		Earliest   string  `json:"earliest,omitempty"`
		FTE        float64 `json:"fte,omitempty"`
		Cost       int     `json:"monthly_cost,omitempty"`
		Funding    string  `json:"funding,omitempty"`
		After      []any   `json:"after,omitempty"`
	}
	positions := make([]position, 0, n)
	phases := func(p *position) {
		if r.IntN(3) > 0 {
			p.Recruiting = weeks(8, 16)
		}
		if r.IntN(3) > 0 {
			p.Notice = []string{"P0D", "P2W", "P4W", "P6W", "P13W"}[r.IntN(5)]
		}
		if r.IntN(3) > 0 {
			p.Onboarding = weeks(4, 12)
		}
		p.Cost = 4500 + 100*r.IntN(20)
		if r.IntN(5) == 0 {
			p.FTE = []float64{0.5, 0.75}[r.IntN(2)]
		}
	}

	overhead := max(1, n/50)
	for i := range min(overhead, n) {
		p := position{
			ID:       fmt.Sprintf("ovh-%d", i+1),
			Title:    fmt.Sprintf("Programme coordination %d", i+1),
			Group:    "overhead",
			Location: "Head office",
			Funding:  "state",
		}
		phases(&p)
		if i > 0 {
			// HR starts one procedure a week or two after the last.
			p.After = []any{dependency{Ref: positions[i-1].ID, Event: "hiring_start", Lag: weeks(1, 2)}}
		}
		positions = append(positions, p)
	}

	fundings := []string{"state", "federal", "county"}
	for department := 0; len(positions) < n; department++ {
		group := fmt.Sprintf("dept-%d", department)
		size := min(8+r.IntN(9), n-len(positions))
		head := len(positions)
		for j := range size {
			p := position{
				ID:       fmt.Sprintf("%s-%d", group, j+1),
				Title:    fmt.Sprintf("Case manager %d, department %d", j+1, department),
				Group:    group,
				Location: fmt.Sprintf("Town %d", department),
				Funding:  fundings[r.IntN(len(fundings))],
			}
			phases(&p)
			switch {
			case j == 0:
				p.After = append(p.After, dependency{Ref: "group:overhead", Lag: "P2W"})
				if department > 0 {
					parent := fmt.Sprintf("group:dept-%d", (department-1)/4)
					p.After = append(p.After, dependency{Ref: parent, Event: "recruited", Lag: weeks(2, 4)})
				}
			case r.IntN(3) == 0:
				p.After = append(p.After, positions[head].ID) // after the head is filled
			case r.IntN(2) == 0:
				p.After = append(p.After, dependency{Ref: positions[head].ID, Event: "productive"})
			default:
				previous := positions[len(positions)-1].ID
				p.After = append(p.After, dependency{Ref: previous, Event: "hiring_start", Lag: "P1W"})
			}
			if r.IntN(10) == 0 {
				p.Earliest = fmt.Sprintf("2027-%02d-01", 1+r.IntN(12))
			}
			positions = append(positions, p)
		}
	}

	scenario := map[string]any{
		"name":           fmt.Sprintf("Generated programme of %d posts (seed %d)", n, seed),
		"start":          "2026-03-02",
		"min_productive": "P26W",
		"defaults": map[string]any{
			"recruiting": "P12W", "notice": "P6W", "onboarding": "P8W",
			"start_on": "any", "monthly_cost": 5200, "fte": 1,
		},
		"funding": []map[string]any{
			{"id": "state", "name": "State programme", "start": "2026-01-01", "end": "2030-12-31"},
			{"id": "federal", "name": "Federal co-funding", "start": "2026-07-01", "end": "2029-06-30", "rate": 0.8},
			{"id": "county", "name": "County budget", "start": "2026-01-01", "end": "2032-12-31",
				"per_fte_year": 60000, "cap": 50000000},
		},
		"positions": positions,
	}
	data, err := json.MarshalIndent(scenario, "", "  ")
	if err != nil {
		panic("tj3: Generate: " + err.Error()) // only plain values above
	}
	return data
}
