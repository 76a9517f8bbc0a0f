// Package goroutines lets tests check that goroutines have ended, by the
// function they run: a goroutine that closes its done channel is still on
// its way out when a waiter wakes, so a test gives it a moment.
package goroutines

import (
	"runtime"
	"strings"
	"time"
)

// Count is how many goroutines have frame (e.g. "(*settingsCache).run(")
// on their stacks.
func Count(frame string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), frame)
}

// Settle waits, up to within, for the count of frame to come down to
// want, and returns the count it ended at.
func Settle(frame string, want int, within time.Duration) int {
	deadline := time.Now().Add(within)
	n := Count(frame)
	for n != want && time.Now().Before(deadline) {
		runtime.Gosched()
		n = Count(frame)
	}
	return n
}
