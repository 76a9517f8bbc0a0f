package tmdb_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"advisorybot/adapters/tmdb"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    tmdb.Config
		wantErr string
	}{
		{"nothing set: disabled", nil, tmdb.Config{}, ""},
		{"everything", map[string]string{
			"TMDB_TOKEN": " tok ", "TMDB_API_KEY": "key", "TMDB_API_URL": "http://127.0.0.1:8080/3/",
			"TMDB_LANGUAGE": "de-DE", "TMDB_TIMEOUT": "1500ms", "TMDB_RATE": "20",
		}, tmdb.Config{Token: "tok", APIKey: "key", BaseURL: "http://127.0.0.1:8080/3/", Language: "de-DE",
			Timeout: 1500 * time.Millisecond, Rate: 20}, ""},
		{"bad timeout", map[string]string{"TMDB_TIMEOUT": "2"}, tmdb.Config{}, "TMDB_TIMEOUT"},
		{"negative timeout", map[string]string{"TMDB_TIMEOUT": "-1s"}, tmdb.Config{}, "TMDB_TIMEOUT"},
		{"bad rate", map[string]string{"TMDB_RATE": "fast"}, tmdb.Config{}, "TMDB_RATE"},
		{"zero rate", map[string]string{"TMDB_RATE": "0"}, tmdb.Config{}, "TMDB_RATE"},
		{"relative URL", map[string]string{"TMDB_API_URL": "api.themoviedb.org/3"}, tmdb.Config{}, "TMDB_API_URL"},
		{"ftp URL", map[string]string{"TMDB_API_URL": "ftp://example.org/3"}, tmdb.Config{}, "TMDB_API_URL"},
		{"URL with a query", map[string]string{"TMDB_API_URL": "https://example.org/3?api_key=x"}, tmdb.Config{}, "TMDB_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tmdb.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if got.Enabled() != (tt.want.Token != "" || tt.want.APIKey != "") {
				t.Errorf("Enabled() = %v", got.Enabled())
			}
		})
	}
}

func TestConfigURLWithCredentialsIsNotEchoed(t *testing.T) {
	_, err := tmdb.ConfigFromEnv(func(k string) string {
		return map[string]string{"TMDB_API_URL": "https://user:s3cret@example.org/3"}[k]
	})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("err = %v; want an error that does not show the password", err)
	}
}

func TestNewNeedsACredential(t *testing.T) {
	_, err := tmdb.New(tmdb.Config{})
	if err == nil || !strings.Contains(err.Error(), "TMDB_TOKEN") {
		t.Fatalf("err = %v, want one naming TMDB_TOKEN", err)
	}
	if _, err := tmdb.New(tmdb.Config{APIKey: "k", BaseURL: "not a url"}); err == nil {
		t.Fatal("a malformed base URL was accepted")
	}
	if _, err := tmdb.New(tmdb.Config{Token: "t"}); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}
