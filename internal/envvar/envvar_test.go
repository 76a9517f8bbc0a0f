package envvar_test

import (
	"strings"
	"testing"
	"time"

	"advisorybot/internal/envvar"
)

func TestRead(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	durations := []struct {
		v       string
		want    time.Duration
		wantErr string
	}{
		{"", time.Minute, ""},
		{" 50ms ", 50 * time.Millisecond, ""},
		{"2", 0, `X="2": want a positive duration`},
		{"0s", 0, `X="0s": want a positive duration`},
		{"-1s", 0, `X="-1s": want a positive duration`},
	}
	for _, tc := range durations {
		got, err := envvar.Duration(env(tc.v), "X", time.Minute)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Duration(%q) = %v, %v; want error %q", tc.v, got, err, tc.wantErr)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("Duration(%q) = %v, %v; want %v", tc.v, got, err, tc.want)
		}
	}
	ints := []struct {
		v       string
		least   int
		want    int
		wantErr string
	}{
		{"", 1, 7, ""},
		{"0", 0, 0, ""},
		{"0", 1, 0, `X="0": want a whole number, 1 or more`},
		{"-1", 0, 0, `X="-1": want a whole number, 0 or more`},
		{"ten", 0, 0, `X="ten": want a whole number, 0 or more`},
	}
	for _, tc := range ints {
		got, err := envvar.Int(env(tc.v), "X", 7, tc.least)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("Int(%q, %d) = %v, %v; want error %q", tc.v, tc.least, got, err, tc.wantErr)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("Int(%q, %d) = %v, %v; want %v", tc.v, tc.least, got, err, tc.want)
		}
	}
}
