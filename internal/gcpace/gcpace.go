// Package gcpace sets how often the garbage collector runs in advisorybot's
// servers. Their live heap is a few megabytes, so at Go's default pace
// (GOGC=100) a loaded server collects a hundred times a second or more, and
// on a small machine each cycle delays the requests queued behind it: the
// Discord load test's p99 was 5–8% higher (docs/BENCHMARKS.md).
package gcpace

import "runtime/debug"

// Percent is the GOGC servers run at unless the environment sets GOGC. It
// trades memory for latency: the heap may grow to five times the live data.
// GOMEMLIMIT, when set, still caps it.
const Percent = 400

// Apply sets the collector's pace to Percent unless gogc (the value of the
// GOGC environment variable) is set, which the runtime has already
// applied. It reports the percent in effect.
func Apply(gogc string) int {
	if gogc != "" {
		old := debug.SetGCPercent(-1)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(Percent)
	return Percent
}
