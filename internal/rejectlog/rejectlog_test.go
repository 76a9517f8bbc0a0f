package rejectlog_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"advisorybot/internal/rejectlog"
)

func TestFloodLogsOneLinePerReasonAndInterval(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(1_700_000_000, 0)
	counts := map[string]int{}
	l := rejectlog.New(slog.New(slog.NewTextHandler(&buf, nil)), 10*time.Second,
		rejectlog.WithClock(func() time.Time { return now }),
		rejectlog.WithCounter(func(r string) { counts[r]++ }))
	ctx := context.Background()

	for range 10_000 {
		l.Reject(ctx, "bad_signature")
		l.Reject(ctx, "stale_timestamp")
	}
	if got := strings.Count(buf.String(), "\n"); got != 2 {
		t.Fatalf("10,000 rejections of two reasons in one interval wrote %d lines, want 2:\n%s", got, buf.String())
	}
	now = now.Add(11 * time.Second)
	l.Reject(ctx, "bad_signature")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "suppressed_since_last=9999") {
		t.Fatalf("the next interval's first line should report the 9999 suppressed; got:\n%s", buf.String())
	}
	if counts["bad_signature"] != 10_001 || counts["stale_timestamp"] != 10_000 {
		t.Fatalf("counter saw %v, want every rejection", counts)
	}
}
