// Package data embeds the demo scenarios, so that `grantplan serve` can
// store one on first start wherever the binary runs.
package data

import _ "embed"

// DemoID is the id under which the demo scenario is stored.
const DemoID = "kim-siegen-wittgenstein"

// Demo is the KIM Siegen-Wittgenstein scenario of 2021 (README).
//
//go:embed kim-siegen-wittgenstein.json
var Demo []byte

// DemoUncertain is the demo with its hiring times as ranges (min, likely,
// max), for the risk run; its likely values are the demo's, so its plan is
// the demo's.
//
//go:embed kim-siegen-wittgenstein-uncertain.json
var DemoUncertain []byte
