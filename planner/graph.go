package planner

import (
	"strings"
)

// graph holds who waits for whom. A group dependency is kept as one entry
// under its group rather than one edge per member, so that "every
// position waits for a large group" stays linear in size.
type graph struct {
	// dependents[q] lists the positions with a dependency naming q itself,
	// once per such dependency.
	dependents [][]int
	// groupDependents[g] lists the positions with a dependency on group g,
	// once per such dependency.
	groupDependents map[string][]int
	// waiting[p] is the number of (dependency, member) pairs of p.
	waiting []int
}

func (s *Scenario) buildGraph() graph {
	g := graph{
		dependents:      make([][]int, len(s.Positions)),
		groupDependents: make(map[string][]int),
		waiting:         make([]int, len(s.Positions)),
	}
	for p := range s.Positions {
		for _, dep := range s.Positions[p].After {
			if group, ok := strings.CutPrefix(dep.Ref, "group:"); ok {
				g.groupDependents[group] = append(g.groupDependents[group], p)
				g.waiting[p] += len(dep.Members)
				if dep.Self >= 0 {
					g.waiting[p]--
				}
			} else {
				g.dependents[dep.Members[0]] = append(g.dependents[dep.Members[0]], p)
				g.waiting[p]++
			}
		}
	}
	return g
}

// release calls f for every position that waits once more for q, once per
// such wait.
func (g *graph) release(s *Scenario, q int, f func(p int)) {
	for _, p := range g.dependents[q] {
		f(p)
	}
	if group := s.Positions[q].Group; group != "" {
		for _, p := range g.groupDependents[group] {
			if p != q {
				f(p)
			}
		}
	}
}

// maxCycleReports bounds how many dependency cycles one error lists.
const maxCycleReports = 10

// orderPositions finds a topological order of the positions (each after
// everything it waits for) and reports the dependency cycles that prevent
// one.
func (d *decoder) orderPositions(s *Scenario) {
	g := s.buildGraph()
	waiting := append([]int(nil), g.waiting...)
	order := make([]int, 0, len(s.Positions))
	for p, n := range waiting {
		if n == 0 {
			order = append(order, p)
		}
	}
	for next := 0; next < len(order); next++ {
		g.release(s, order[next], func(p int) {
			waiting[p]--
			if waiting[p] == 0 {
				order = append(order, p)
			}
		})
	}
	if len(order) == len(s.Positions) {
		s.order, s.graph = order, g
		return
	}
	d.reportCycles(s, waiting)
}

// reportCycles names the dependency cycles among the positions that are
// still waiting after a topological sort, in input order.
func (d *decoder) reportCycles(s *Scenario, waiting []int) {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make([]uint8, len(s.Positions))
	for p, n := range waiting {
		if n == 0 {
			state[p] = done // sorted, so on no cycle
		}
	}
	currentDep := make([]int, len(s.Positions))
	var path []int
	reported := 0
	var visit func(p int)
	visit = func(p int) {
		state[p] = onPath
		path = append(path, p)
		for k := range s.Positions[p].After {
			currentDep[p] = k
			s.Positions[p].After[k].waitsFor(func(m int) {
				switch {
				case reported == maxCycleReports:
				case state[m] == onPath:
					reported++
					d.reportCycle(s, path, m, currentDep[m])
				case state[m] == unvisited:
					visit(m)
				}
			})
		}
		path = path[:len(path)-1]
		state[p] = done
	}
	for p := range s.Positions {
		if state[p] == unvisited && reported < maxCycleReports {
			visit(p)
		}
	}
}

func (d *decoder) reportCycle(s *Scenario, path []int, start, dep int) {
	var names []string
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == start {
			for _, p := range path[i:] {
				names = append(names, s.Positions[p].ID)
			}
			break
		}
	}
	names = append(names, s.Positions[start].ID)
	d.problem(s.Positions[start].After[dep].path, ProblemDependencyCycle, strings.Join(names, " -> "))
}
