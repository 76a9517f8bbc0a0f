package gcpace

import (
	"runtime/debug"
	"testing"
)

func TestApply(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	if got := Apply(""); got != Percent || current() != Percent {
		t.Errorf("without GOGC: Apply = %d, in effect %d; want %d", got, current(), Percent)
	}
	debug.SetGCPercent(50) // as the runtime does for GOGC=50
	if got := Apply("50"); got != 50 || current() != 50 {
		t.Errorf("with GOGC=50: Apply = %d, in effect %d; want 50 (the operator's choice)", got, current())
	}
}

func current() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}
