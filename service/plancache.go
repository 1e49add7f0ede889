package service

import (
	"container/list"
	"crypto/sha256"
	"sync"

	"grantplan/planner"
)

// A plan depends on the scenario's JSON and nothing else (the planner has
// no clock), so the plans of recent bodies are kept by the SHA-256 of the
// body and given again, decoded, planned and written as JSON once: the
// same scenario planned again (a stored revision shown on a page, the
// same document posted by a client) costs a hash. The cache is bounded
// by an estimate of the bytes it holds and drops the plans used least
// recently. Plans with a risk run or another start are not kept.
type planCache struct {
	mu      sync.Mutex
	max     int64
	size    int64
	entries map[[sha256.Size]byte]*list.Element
	recent  *list.List // of *cachedPlan, the most recently used first
}

// DefaultPlanCacheSize is the bytes of plans kept unless Options say
// otherwise.
const DefaultPlanCacheSize = 32 << 20

// maxCachedBody is the largest body whose plan is kept: a plan of a
// large scenario is rarely asked for twice in a row, and would push out
// many small ones.
const maxCachedBody = 256 << 10

// A cachedPlan is a body's scenario and plan; they are shared by every
// caller and never changed.
type cachedPlan struct {
	key      [sha256.Size]byte
	scenario *planner.Scenario
	plan     *planner.Plan
	size     int64

	jsonOnce sync.Once
	json     []byte
	jsonErr  error
}

// planBytesPerBodyByte estimates the memory of a plan and its scenario
// from the body's size: the demo's 4.5 KB of JSON decode and plan into
// some 60 KB of objects, and its plan writes 10 KB of JSON.
const planBytesPerBodyByte = 16

func newPlanCache(maxBytes int64) *planCache {
	return &planCache{max: maxBytes, entries: map[[sha256.Size]byte]*list.Element{}, recent: list.New()}
}

// A planKey is the key of a body's plan: its SHA-256, if the body is
// kept at all.
type planKey struct {
	sum  [sha256.Size]byte
	kept bool
}

// key returns the key of body, hashed once for a get and the put that
// follows it when the plan is not kept yet.
func (c *planCache) key(body []byte) planKey {
	if c == nil || len(body) > maxCachedBody {
		return planKey{}
	}
	return planKey{sum: sha256.Sum256(body), kept: true}
}

// get returns the cached plan of key, or nil.
func (c *planCache) get(key planKey) *cachedPlan {
	if !key.kept {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key.sum]
	if !ok {
		return nil
	}
	c.recent.MoveToFront(e)
	return e.Value.(*cachedPlan)
}

// put keeps the scenario and plan of body, whose key is key, and returns
// the entry; nil if the body is not kept.
func (c *planCache) put(key planKey, body []byte, scenario *planner.Scenario, plan *planner.Plan) *cachedPlan {
	if !key.kept {
		return nil
	}
	entry := &cachedPlan{key: key.sum, scenario: scenario, plan: plan, size: int64(len(body)) * planBytesPerBodyByte}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[entry.key]; ok {
		c.recent.MoveToFront(e)
		return e.Value.(*cachedPlan)
	}
	c.entries[entry.key] = c.recent.PushFront(entry)
	c.size += entry.size
	for c.size > c.max && c.recent.Len() > 1 {
		oldest := c.recent.Back()
		gone := c.recent.Remove(oldest).(*cachedPlan)
		delete(c.entries, gone.key)
		c.size -= gone.size
	}
	return entry
}

// PlanJSON is the plan's JSON document (docs/scenario.md, The plan):
// written once for a plan that is kept, and given again.
func (p *Planned) PlanJSON() ([]byte, error) {
	if p.cached == nil || p.cached.plan != p.Plan {
		return p.Plan.MarshalJSON()
	}
	c := p.cached
	c.jsonOnce.Do(func() { c.json, c.jsonErr = c.plan.MarshalJSON() })
	return c.json, c.jsonErr
}
