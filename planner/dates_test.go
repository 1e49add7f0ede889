package planner

import (
	"math/big"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr bool
	}{
		{in: "P3M", want: Period{Months: 3}},
		{in: "P1Y2M", want: Period{Years: 1, Months: 2}},
		{in: "P6W", want: Period{Weeks: 6}},
		{in: "P10D", want: Period{Days: 10}},
		{in: "P2M2W", want: Period{Months: 2, Weeks: 2}},
		{in: "P1Y2M3W4D", want: Period{Years: 1, Months: 2, Weeks: 3, Days: 4}},
		{in: "P0D", want: Period{}},
		{in: "P0Y", want: Period{}},
		{in: "P3X", wantErr: true},
		{in: "PT5H", wantErr: true},
		{in: "P1MT5H", wantErr: true},
		{in: "P-1M", wantErr: true},
		{in: "P1.5M", wantErr: true},
		{in: "P1,5M", wantErr: true},
		{in: "P", wantErr: true},
		{in: "", wantErr: true},
		{in: "3M", wantErr: true},
		{in: "p3m", wantErr: true},
		{in: "P1M2Y", wantErr: true}, // out of order
		{in: "P1M1M", wantErr: true}, // repeated
		{in: "PM", wantErr: true},
		{in: "P3", wantErr: true},
		{in: "P+3M", wantErr: true},
		{in: " P3M", wantErr: true},
		{in: "P99999999999999999999Y", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParsePeriod(%q) error = %v, want error: %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParsePeriod(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if !tt.wantErr {
				if again, _ := ParsePeriod(got.String()); again != got {
					t.Errorf("ParsePeriod(%q).String() = %q does not parse back", tt.in, got.String())
				}
			}
		})
	}
}

func TestPeriodArithmetic(t *testing.T) {
	tests := []struct {
		from, period, add, subtract string
	}{
		// BGB §188(3): the last day of a shorter month.
		{from: "2021-01-31", period: "P1M", add: "2021-02-28", subtract: "2020-12-31"},
		{from: "2020-01-31", period: "P1M", add: "2020-02-29", subtract: "2019-12-31"},
		{from: "2020-02-29", period: "P1Y", add: "2021-02-28", subtract: "2019-02-28"},
		{from: "2020-02-29", period: "P4Y", add: "2024-02-29", subtract: "2016-02-29"},
		{from: "2021-10-31", period: "P1M", add: "2021-11-30", subtract: "2021-09-30"},
		{from: "2021-08-31", period: "P6M", add: "2022-02-28", subtract: "2021-02-28"},
		{from: "2021-03-31", period: "P1M", add: "2021-04-30", subtract: "2021-02-28"},
		// Months first, then days: 2021-02-28 + 1 day.
		{from: "2021-01-31", period: "P1M1D", add: "2021-03-01", subtract: "2020-12-30"},
		{from: "2021-01-31", period: "P1M1W", add: "2021-03-07", subtract: "2020-12-24"},
		{from: "2021-12-15", period: "P1Y1M", add: "2023-01-15", subtract: "2020-11-15"},
		{from: "2021-12-31", period: "P2M", add: "2022-02-28", subtract: "2021-10-31"},
		{from: "2021-09-08", period: "P6W", add: "2021-10-20", subtract: "2021-07-28"},
		{from: "2021-09-08", period: "P0D", add: "2021-09-08", subtract: "2021-09-08"},
		{from: "2021-12-25", period: "P10D", add: "2022-01-04", subtract: "2021-12-15"},
		{from: "2022-12-31", period: "P10Y", add: "2032-12-31", subtract: "2012-12-31"},
		{from: "1900-01-01", period: "P1Y", add: "1901-01-01", subtract: "1899-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.from+"+"+tt.period, func(t *testing.T) {
			from, p := mustDate(t, tt.from), MustParsePeriod(tt.period)
			if got := p.AddTo(from).String(); got != tt.add {
				t.Errorf("%s ⊕ %s = %s, want %s", tt.from, tt.period, got, tt.add)
			}
			if got := p.SubtractFrom(from).String(); got != tt.subtract {
				t.Errorf("%s ⊖ %s = %s, want %s", tt.from, tt.period, got, tt.subtract)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"2021-09-08", true}, {"1900-01-01", true}, {"2199-12-31", true}, {"2020-02-29", true},
		{"1899-12-31", false}, {"2200-01-01", false}, {"2021-02-29", false}, {"2021-13-01", false},
		{"2021-00-10", false}, {"2021-04-31", false}, {"2021-9-8", false}, {"08.09.2021", false},
		{"2021-09-08T00:00:00Z", false}, {"", false}, {"２０２１-09-08", false}, {"+021-09-08", false},
	} {
		_, err := ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok: %v", tt.in, err, tt.ok)
		}
	}
}

func TestAlign(t *testing.T) {
	tests := []struct {
		in                string
		any, month, quart string
	}{
		{in: "2022-01-01", any: "2022-01-01", month: "2022-01-01", quart: "2022-01-01"},
		{in: "2022-01-02", any: "2022-01-02", month: "2022-02-01", quart: "2022-04-01"},
		{in: "2022-04-01", any: "2022-04-01", month: "2022-04-01", quart: "2022-04-01"},
		{in: "2022-04-02", any: "2022-04-02", month: "2022-05-01", quart: "2022-07-01"},
		{in: "2022-05-01", any: "2022-05-01", month: "2022-05-01", quart: "2022-07-01"},
		{in: "2022-06-30", any: "2022-06-30", month: "2022-07-01", quart: "2022-07-01"},
		{in: "2022-10-01", any: "2022-10-01", month: "2022-10-01", quart: "2022-10-01"},
		{in: "2022-10-02", any: "2022-10-02", month: "2022-11-01", quart: "2023-01-01"},
		{in: "2022-12-31", any: "2022-12-31", month: "2023-01-01", quart: "2023-01-01"},
		{in: "2022-12-01", any: "2022-12-01", month: "2022-12-01", quart: "2023-01-01"},
	}
	for _, tt := range tests {
		d := mustDate(t, tt.in)
		for _, c := range []struct {
			a    Alignment
			want string
		}{{AlignAny, tt.any}, {AlignMonthStart, tt.month}, {AlignQuarterStart, tt.quart}} {
			if got := c.a.align(d).String(); got != c.want {
				t.Errorf("align(%s, %s) = %s, want %s", tt.in, c.a, got, c.want)
			}
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	tests := []struct {
		from, to string
		want     string // months, rounded to 2 places
		exact    int64  // in 1/monthsDenominator, where it matters
	}{
		{from: "2022-07-01", to: "2022-12-31", want: "6.00", exact: 6 * monthsDenominator},
		{from: "2022-02-15", to: "2022-02-28", want: "0.50", exact: monthsDenominator / 2},
		{from: "2024-02-15", to: "2024-02-29", want: "0.52"}, // 15/29
		{from: "2022-01-31", to: "2022-02-01", want: "0.07"}, // 1/31 + 1/28
		{from: "2022-01-01", to: "2022-01-01", want: "0.03"},
		{from: "2021-10-01", to: "2022-12-31", want: "15.00", exact: 15 * monthsDenominator},
		{from: "2021-01-01", to: "2022-12-31", want: "24.00", exact: 24 * monthsDenominator},
		{from: "2022-12-31", to: "2022-12-30", want: "0.00", exact: 0},
		{from: "2023-01-01", to: "2022-12-31", want: "0.00", exact: 0},
		{from: "2022-03-16", to: "2022-04-15", want: "1.02"}, // 16/31 + 15/30
	}
	for _, tt := range tests {
		got := monthsBetween(mustDate(t, tt.from), mustDate(t, tt.to))
		if s := monthsDecimal(got).String(); s != tt.want {
			t.Errorf("months(%s, %s) = %s, want %s", tt.from, tt.to, s, tt.want)
		}
		if tt.exact != 0 && got != tt.exact {
			t.Errorf("months(%s, %s) = %d/%d, want exactly %d/%d", tt.from, tt.to, got, monthsDenominator, tt.exact, monthsDenominator)
		}
	}
}

func TestRounding(t *testing.T) {
	tests := []struct {
		num, den int64
		places   uint8
		want     string
	}{
		{num: 1, den: 200, places: 2, want: "0.01"}, // 0.005 half away from zero
		{num: -1, den: 200, places: 2, want: "-0.01"},
		{num: 1, den: 201, places: 2, want: "0.00"},
		{num: 2090000, den: 12, places: 2, want: "174166.67"},
		{num: 1, den: 6, places: 4, want: "0.1667"},
		{num: 5, den: 100000, places: 4, want: "0.0001"}, // 0.00005
		{num: 0, den: 7, places: 2, want: "0.00"},
	}
	var l ledger
	for _, tt := range tests {
		if got := l.round(big.NewInt(tt.num), big.NewInt(tt.den), tt.places).String(); got != tt.want {
			t.Errorf("round(%d/%d, %d) = %s, want %s", tt.num, tt.den, tt.places, got, tt.want)
		}
	}
	if got := roundInt(-5, 10); got != -1 {
		t.Errorf("roundInt(-5, 10) = %d, want -1", got)
	}
}

// TestMinDays checks that minDays never exceeds days(p) from any date of
// four years, for periods with and without months.
func TestMinDays(t *testing.T) {
	periods := []string{"P1M", "P2M", "P3M", "P1Y", "P1Y1M", "P5M2W", "P11M", "P13M", "P10D", "P0D"}
	start := mustDate(t, "2019-01-01")
	for _, text := range periods {
		p := MustParsePeriod(text)
		least := int64(1 << 62)
		for d := start; d < start+4*366; d++ {
			least = min(least, int64(p.DaysFrom(d)))
		}
		if got := p.minDays(); got > least {
			t.Errorf("%s.minDays() = %d, more than the fewest days %d", text, got, least)
		}
	}
}
