#!/usr/bin/env python3
"""An independent reference for grantplan's plan arithmetic.

It is written from the rules of docs/scenario.md (dates and periods, the
schedule, HR capacity, money, flags, the summary, cost, own share and
budget years), as plainly as it can be: dates are datetime.date, money is
fractions.Fraction, every amount is a sum over days, and the searches try
date after date. It is slow on purpose and meant for small scenarios.

It reads a JSON array of valid scenarios on stdin and writes a JSON array
of plans: the fields of the plan document that the rules fix (no titles,
no messages), with every decimal as a string rounded half away from zero.
reference_test.go compares them with the planner's plans.

Only the standard library is used.
"""

import json
import re
import sys
from datetime import date, timedelta
from fractions import Fraction

ONE_DAY = timedelta(days=1)

# --- dates and periods ---------------------------------------------------

PERIOD_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def parse_date(s):
    return date.fromisoformat(s)


def parse_period(value):
    """A period as (months, days); a range uses its likely value."""
    if isinstance(value, dict):
        value = value["likely"]
    m = PERIOD_RE.match(value)
    if not m or value == "P":
        raise ValueError("bad period %r" % value)
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return (12 * y + mo, 7 * w + d)


def days_in_month(year, month):
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_months(d, months):
    """Months added keeping the day of month, clamped to the month's last day."""
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def plus(d, period):
    """d ⊕ P: months first (clamped), then days."""
    months, days = period
    return add_months(d, months) + timedelta(days=days)


def minus(d, period):
    """d ⊖ P: months first (clamped), then days."""
    months, days = period
    return add_months(d, -months) - timedelta(days=days)


def align(d, start_on):
    if start_on == "any":
        return d
    if start_on == "month_start":
        if d.day == 1:
            return d
        return add_months(date(d.year, d.month, 1), 1)
    if start_on == "quarter_start":
        if d.day == 1 and d.month in (1, 4, 7, 10):
            return d
        first = date(d.year, d.month, 1)
        while True:
            first = add_months(first, 1)
            if first.month in (1, 4, 7, 10):
                return first
    raise ValueError("bad start_on %r" % start_on)


def is_zero(period):
    return period == (0, 0)


# --- the scenario ---------------------------------------------------------

def number(x):
    """A JSON number (read as a string-exact Fraction or an int) as a Fraction."""
    return Fraction(x)


BUILTIN = {
    "recruiting": "P3M",
    "notice": "P3M",
    "onboarding": "P3M",
    "start_on": "month_start",
    "monthly_cost": 0,
    "fte": 1,
    "employment": "fixed",
}


class Source:
    def __init__(self, raw):
        self.id = raw["id"]
        self.name = raw.get("name", "")
        self.start = parse_date(raw["start"])
        self.end = parse_date(raw["end"])
        self.rate = number(raw["rate"]) if raw.get("rate") is not None else Fraction(1)
        self.per_fte_year = number(raw["per_fte_year"]) if raw.get("per_fte_year") is not None else None
        self.cap = number(raw["cap"]) if raw.get("cap") is not None else None
        self.raw_cap = raw.get("cap")


class Dependency:
    def __init__(self, raw):
        if isinstance(raw, str):
            raw = {"ref": raw}
        ref = raw["ref"]
        self.group = ref[len("group:"):] if ref.startswith("group:") else None
        self.position = None if self.group is not None else ref
        self.event = raw.get("event") or "filled"
        self.lag = parse_period(raw.get("lag") or "P0D")
        self.count = raw.get("count")


class Position:
    def __init__(self, raw, defaults, sources, index):
        def field(name):
            if raw.get(name) is not None:
                return raw[name]
            if defaults.get(name) is not None:
                return defaults[name]
            return BUILTIN[name]

        self.index = index
        self.id = raw["id"]
        self.group = raw.get("group")
        self.recruiting = parse_period(field("recruiting"))
        self.notice = parse_period(field("notice"))
        self.onboarding = parse_period(field("onboarding"))
        self.start_on = field("start_on")
        self.monthly_cost = number(field("monthly_cost"))
        self.fte = number(field("fte"))
        self.employment = field("employment")
        earliest = raw.get("earliest") or defaults.get("earliest")
        self.earliest = parse_date(earliest) if earliest else None
        self.after = [Dependency(d) for d in (raw.get("after") or [])]
        fid = raw.get("funding") or defaults.get("funding") or sources[0].id
        self.source = next(s for s in sources if s.id == fid)


class Scenario:
    def __init__(self, raw):
        self.start = parse_date(raw["start"])
        self.min_productive = parse_period(raw.get("min_productive") or "P6M")
        self.hr_capacity = raw.get("hr_capacity") or 0
        self.sources = [Source(s) for s in raw["funding"]]
        defaults = raw.get("defaults") or {}
        self.positions = [Position(p, defaults, self.sources, i) for i, p in enumerate(raw["positions"])]
        latest_end = max(s.end for s in self.sources)
        if raw.get("horizon") is not None:
            self.horizon = parse_date(raw["horizon"])
        else:
            self.horizon = date(latest_end.year, 12, 31)
        if self.horizon < latest_end:
            raise ValueError("horizon before the latest funding end")
        raises = []
        for r in raw.get("pay_raises") or []:
            raises.append((parse_date(r["from"]), 1 + number(r["percent"]) / 100))
        raises.sort()
        self.raise_dates = [d for d, _ in raises]
        # factors[k]: the pay factor in force after the first k raises.
        self.factors = [Fraction(1)]
        for _, f in raises:
            self.factors.append(self.factors[-1] * f)
        for p in self.positions:
            for dep in p.after:
                dep.members = self.members(dep, p)

    def members(self, dep, p):
        if dep.group is None:
            return [next(q for q in self.positions if q.id == dep.position)]
        return [q for q in self.positions if q.group == dep.group and q is not p]


# --- the schedule ----------------------------------------------------------

class Dates:
    __slots__ = ("ready", "hiring_start", "recruited", "filled", "productive")


def chain(p, hiring_start):
    """recruited, filled and productive when hiring starts on the given day."""
    recruited = plus(hiring_start, p.recruiting)
    filled = align(plus(recruited, p.notice), p.start_on)
    productive = plus(filled, p.onboarding)
    return recruited, filled, productive


def event_date(dates, event):
    return getattr(dates, event)


def full_segments(intervals, k):
    """The days on which k or more of the half-open intervals run, as
    sorted, disjoint half-open [a, b) segments."""
    edges = {}
    for a, b in intervals:
        edges[a] = edges.get(a, 0) + 1
        edges[b] = edges.get(b, 0) - 1
    segments = []
    running = 0
    open_at = None
    for d in sorted(edges):
        running += edges[d]
        if running >= k and open_at is None:
            open_at = d
        elif running < k and open_at is not None:
            segments.append((open_at, d))
            open_at = None
    return segments


def hiring_start_under_capacity(ready, recruiting, intervals, k):
    """The earliest t >= ready such that on every day of [t, t ⊕ recruiting)
    fewer than k of the scheduled recruitments run."""
    if is_zero(recruiting):
        return ready
    segments = full_segments(intervals, k)
    t = ready
    while True:
        end = plus(t, recruiting)
        clash = None
        for a, b in segments:
            if a < end and t < b:
                clash = (a, b)
                break
        if clash is None:
            return t
        # Every t' in [t, b) clashes too: either t' lies in the full segment
        # or its window, ending no earlier than t's, reaches the segment's
        # first day. So the next candidate is b.
        t = max(t + ONE_DAY, clash[1])


def schedule(sc, start):
    """The dates of every position, with the given planning start."""
    dates = [None] * len(sc.positions)
    intervals = []
    left = list(range(len(sc.positions)))
    while left:
        best = None
        for i in left:
            p = sc.positions[i]
            if any(dates[q.index] is None for dep in p.after for q in dep.members):
                continue
            ready = start
            if p.earliest is not None and p.earliest > ready:
                ready = p.earliest
            for dep in p.after:
                events = sorted(event_date(dates[q.index], dep.event) for q in dep.members)
                k = dep.count if dep.count is not None else len(events)
                gate = plus(events[k - 1], dep.lag)
                if gate > ready:
                    ready = gate
            if best is None or ready < best[0]:
                best = (ready, i)
        if best is None:
            raise ValueError("dependency cycle")
        ready, i = best
        left.remove(i)
        p = sc.positions[i]
        if sc.hr_capacity > 0:
            hs = hiring_start_under_capacity(ready, p.recruiting, intervals, sc.hr_capacity)
        else:
            hs = ready
        d = Dates()
        d.ready = ready
        d.hiring_start = hs
        d.recruited, d.filled, d.productive = chain(p, hs)
        dates[i] = d
        if not is_zero(p.recruiting):
            intervals.append((hs, d.recruited))
    return dates


# --- money -------------------------------------------------------------------

def day_groups(sc, a, b):
    """The days of [a, b] counted by (days in their month, raises in force)."""
    counts = {}
    u = a
    k = 0
    while k < len(sc.raise_dates) and sc.raise_dates[k] <= u:
        k += 1
    while u <= b:
        while k < len(sc.raise_dates) and sc.raise_dates[k] <= u:
            k += 1
        key = (days_in_month(u.year, u.month), k)
        counts[key] = counts.get(key, 0) + 1
        u += ONE_DAY
    return counts


def cost(sc, p, a, b):
    """Σ over days u in [a, b] of pay(u) · fte / n(u)."""
    total = Fraction(0)
    for (n, k), c in day_groups(sc, a, b).items():
        total += c * p.monthly_cost * sc.factors[k] * p.fte / n
    return total


def funded(sc, p, a, b):
    """Σ over days u in [a, b] of min(rate · pay(u), per_fte_year / 12) · fte / n(u)."""
    src = p.source
    total = Fraction(0)
    for (n, k), c in day_groups(sc, a, b).items():
        monthly = src.rate * p.monthly_cost * sc.factors[k]
        if src.per_fte_year is not None:
            monthly = min(monthly, src.per_fte_year / 12)
        total += c * monthly * p.fte / n
    return total


def months(a, b):
    """Σ over the months [a, b] touches of its days there / the month's days."""
    total = Fraction(0)
    u = a
    while u <= b:
        total += Fraction(1, days_in_month(u.year, u.month))
        u += ONE_DAY
    return total


def intersect(a, b, c, d):
    return max(a, c), min(b, d)


# --- searches ------------------------------------------------------------------

TEN_YEARS = (120, 0)


def latest_hiring_start(sc, p):
    E = p.source.end
    lo = minus(E, TEN_YEARS)
    limit = E + ONE_DAY
    h = E
    while h >= lo:
        _, _, productive = chain(p, h)
        if plus(productive, sc.min_productive) <= limit:
            return h
        h -= ONE_DAY
    return None


def safe_for(sc, p, productive):
    """No NOT_FILLED, NOT_PRODUCTIVE or SHORT flag (filled <= productive)."""
    E = p.source.end
    return productive <= E and plus(productive, sc.min_productive) <= E + ONE_DAY


def all_safe(sc, start):
    return all(safe_for(sc, p, d.productive) for p, d in zip(sc.positions, schedule(sc, start)))


def latest_safe_start(sc, exhaustive=False):
    ends = [s.end for s in sc.sources]
    lo = minus(min(ends), TEN_YEARS)
    hi = max(ends)
    if not exhaustive:
        # Every post hires on or after the start, and its dates only move
        # later as its hiring start does: no start after the latest day a
        # post could hire alone and still be safe can be safe.
        for p in sc.positions:
            h = min(hi, p.source.end)
            while h >= lo and not safe_for(sc, p, chain(p, h)[2]):
                h -= ONE_DAY
            if h < lo:
                return None
            hi = h
    # With an earliest date on every post, a start on or before all of them
    # leaves every ready date, and so the whole schedule, unchanged.
    floor = None
    if not exhaustive and all(p.earliest is not None for p in sc.positions):
        floor = min(p.earliest for p in sc.positions)
    d = hi
    while d >= lo:
        if all_safe(sc, d):
            return d
        if floor is not None and d <= floor:
            return None
        d -= ONE_DAY
    return None


# --- the plan ------------------------------------------------------------------

def round_half_away(x, places):
    scale = 10 ** places
    q = abs(x) * scale
    n = int(q)
    if q - n >= Fraction(1, 2):
        n += 1
    sign = "-" if x < 0 and n != 0 else ""
    s = str(n).rjust(places + 1, "0")
    return sign + s[:-places] + "." + s[-places:]


def money(x):
    return round_half_away(x, 2)


def iso(d):
    return d.isoformat() if d is not None else None


SEVERITY = {
    "NOT_FILLED_BEFORE_EXPIRY": "critical",
    "NOT_PRODUCTIVE_BEFORE_EXPIRY": "critical",
    "SHORT_PRODUCTIVE_WINDOW": "warning",
    "FILLED_BEFORE_FUNDING": "warning",
    "CAPACITY_DELAY": "info",
    "BUDGET_EXCEEDED": "warning",
}
RANK = {"critical": 0, "warning": 1, "info": 2}


def plan(raw, exhaustive=False):
    sc = Scenario(raw)
    dates = schedule(sc, sc.start)
    mp = sc.min_productive
    horizon = sc.horizon
    out_positions = []
    flags = []
    exact = []
    for p, d in zip(sc.positions, dates):
        S, E = p.source.start, p.source.end
        own = []
        if d.filled > E:
            own.append(("NOT_FILLED_BEFORE_EXPIRY", (d.filled - E).days))
        elif d.productive > E:
            own.append(("NOT_PRODUCTIVE_BEFORE_EXPIRY", (d.productive - E).days))
        elif plus(d.productive, mp) > E + ONE_DAY:
            own.append(("SHORT_PRODUCTIVE_WINDOW", (plus(d.productive, mp) - (E + ONE_DAY)).days))
        if d.filled < S:
            own.append(("FILLED_BEFORE_FUNDING", (S - d.filled).days))
        if d.hiring_start > d.ready:
            own.append(("CAPACITY_DELAY", (d.hiring_start - d.ready).days))
        own.sort(key=lambda f: (RANK[SEVERITY[f[0]]], f[0]))
        for code, days in own:
            flags.append({"code": code, "severity": SEVERITY[code], "position": p.id,
                          "days": days, "_key": (RANK[SEVERITY[code]], 0, p.index, code)})

        funded_from = max(d.filled, S)
        funded_cost = funded(sc, p, funded_from, E)
        onboarding_cost = funded(sc, p, funded_from, min(d.productive - ONE_DAY, E))
        if p.employment == "fixed":
            employed = (d.filled, E)
        else:
            employed = (d.filled, horizon)
        total_cost = cost(sc, p, *employed)
        after = intersect(*employed, E + ONE_DAY, horizon)
        cost_after = cost(sc, p, *after) if p.employment == "permanent" else Fraction(0)
        own_share = max(total_cost - funded_cost, Fraction(0))
        productive_months = months(d.productive, E)
        lhs = latest_hiring_start(sc, p)
        exact.append({"p": p, "d": d, "funded": funded_cost, "onboarding": onboarding_cost,
                      "total": total_cost, "after": cost_after, "employed": employed,
                      "funded_from": funded_from, "productive_months": productive_months})
        out_positions.append({
            "id": p.id,
            "funding": p.source.id,
            "employment": p.employment,
            "ready": iso(d.ready),
            "hiring_start": iso(d.hiring_start),
            "recruited": iso(d.recruited),
            "filled": iso(d.filled),
            "productive": iso(d.productive),
            "funding_end": iso(E),
            "productive_days": (E - d.productive).days + 1 if d.productive <= E else 0,
            "productive_months": money(productive_months),
            "funded_cost": money(funded_cost),
            "onboarding_cost": money(onboarding_cost),
            "total_cost": money(total_cost),
            "own_share": money(own_share),
            "cost_after_funding": money(cost_after),
            "latest_hiring_start": iso(lhs),
            "slack_days": (lhs - d.hiring_start).days if lhs is not None else None,
            "flags": [code for code, _ in own],
        })

    funding_out = []
    total_drawn = Fraction(0)
    total_unclaimed = Fraction(0)
    for si, src in enumerate(sc.sources):
        mine = [e for e in exact if e["p"].source is src]
        need = sum((e["funded"] for e in mine), Fraction(0))
        flat = None
        if src.per_fte_year is not None:
            flat = sum((src.per_fte_year / 12 * e["p"].fte * months(src.start, src.end) for e in mine), Fraction(0))
        if src.cap is not None and flat is not None:
            available = min(src.cap, flat)
        elif src.cap is not None:
            available = src.cap
        else:
            available = flat
        over_by = max(need - src.cap, Fraction(0)) if src.cap is not None else None
        unclaimed = max(available - need, Fraction(0)) if available is not None else None
        if unclaimed is not None:
            total_unclaimed += unclaimed
        total_drawn += min(need, src.cap) if src.cap is not None else need
        if src.cap is not None and need > src.cap:
            flags.append({"code": "BUDGET_EXCEEDED", "severity": "warning", "funding": src.id,
                          "days": None, "_key": (RANK["warning"], 1, si, "BUDGET_EXCEEDED")})
        funding_out.append({
            "id": src.id,
            "start": iso(src.start),
            "end": iso(src.end),
            "cap": money(src.cap) if src.cap is not None else None,
            "need": money(need),
            "available": money(available) if available is not None else None,
            "over_by": money(over_by) if over_by is not None else None,
            "unclaimed": money(unclaimed) if unclaimed is not None else None,
        })
    flags.sort(key=lambda f: f["_key"])
    for f in flags:
        del f["_key"]

    budget = []
    if sc.start <= horizon:
        left_of_cap = {src.id: src.cap for src in sc.sources}
        for year in range(sc.start.year, horizon.year + 1):
            jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
            year_cost = Fraction(0)
            for e in exact:
                a, b = intersect(*e["employed"], jan1, dec31)
                year_cost += cost(sc, e["p"], a, b)
            per_source = []
            year_funded = Fraction(0)
            for src in sc.sources:
                amount = Fraction(0)
                for e in exact:
                    if e["p"].source is not src:
                        continue
                    a, b = intersect(e["funded_from"], src.end, jan1, dec31)
                    amount += funded(sc, e["p"], a, b)
                if src.cap is not None:
                    amount = max(Fraction(0), min(amount, left_of_cap[src.id]))
                    left_of_cap[src.id] -= amount
                year_funded += amount
                per_source.append({"id": src.id, "funded": money(amount)})
            budget.append({"year": year, "cost": money(year_cost), "funded": money(year_funded),
                           "own_share": money(year_cost - year_funded), "funding": per_source})

    productive_fte = sum((e["p"].fte * e["productive_months"] for e in exact), Fraction(0))
    potential_fte = sum((e["p"].fte * months(max(sc.start, e["p"].source.start), e["p"].source.end)
                         for e in exact), Fraction(0))
    utilization = productive_fte / potential_fte if potential_fte != 0 else Fraction(0)
    total_cost = sum((e["total"] for e in exact), Fraction(0))
    lss = latest_safe_start(sc, exhaustive)
    summary = {
        "positions": len(sc.positions),
        "critical": sum(1 for f in flags if f["severity"] == "critical"),
        "warnings": sum(1 for f in flags if f["severity"] == "warning"),
        "infos": sum(1 for f in flags if f["severity"] == "info"),
        "last_filled": iso(max(d.filled for d in dates)),
        "last_productive": iso(max(d.productive for d in dates)),
        "productive_fte_months": money(productive_fte),
        "potential_fte_months": money(potential_fte),
        "utilization": round_half_away(utilization, 4),
        "funded_cost": money(sum((e["funded"] for e in exact), Fraction(0))),
        "onboarding_cost": money(sum((e["onboarding"] for e in exact), Fraction(0))),
        "unclaimed": money(total_unclaimed),
        "total_cost": money(total_cost),
        "own_share": money(total_cost - total_drawn),
        "cost_after_funding": money(sum((e["after"] for e in exact), Fraction(0))),
        "latest_safe_start": iso(lss),
        "funding": funding_out,
        "budget": budget,
    }
    return {"start": iso(sc.start), "positions": out_positions, "flags": flags, "summary": summary}


def main():
    exhaustive = "--exhaustive" in sys.argv[1:]
    scenarios = json.load(sys.stdin, parse_float=Fraction)
    out = [plan(raw, exhaustive) for raw in scenarios]
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
