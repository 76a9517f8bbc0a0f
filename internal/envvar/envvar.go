// Package envvar reads typed configuration from environment variables, with
// errors that name the variable, the value and what is wanted. Adapters and
// cmd/advisorybot share it, so every variable is read and refused alike.
package envvar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration reads a positive duration ("50ms", "30s", "1h"); def when unset.
func Duration(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration such as 50ms, 30s or 1h", name, v)
	}
	return d, nil
}

// Int reads a whole number no smaller than least; def when unset.
func Int(getenv func(string) string, name string, def, least int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		return 0, fmt.Errorf("%s=%q: want a whole number, %d or more", name, v, least)
	}
	return n, nil
}
