package goroutines

import (
	"testing"
	"time"
)

func parked(stop <-chan struct{}) { <-stop }

func TestSettle(t *testing.T) {
	const frame = "goroutines.parked("
	stop := make(chan struct{})
	for range 3 {
		go parked(stop)
	}
	if n := Settle(frame, 3, 2*time.Second); n != 3 {
		t.Fatalf("%d parked goroutines counted, want 3", n)
	}
	if n := Settle(frame, 0, 50*time.Millisecond); n != 3 {
		t.Fatalf("settled at %d while all 3 still run", n)
	}
	close(stop)
	if n := Settle(frame, 0, 2*time.Second); n != 0 {
		t.Fatalf("%d left after they were stopped", n)
	}
}
