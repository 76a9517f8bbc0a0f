package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"advisorybot/adapters/memory"
	"advisorybot/bot"
	"advisorybot/bot/rating"
)

// settingsBot is a bot with an in-memory store for settings and the Gate.
func settingsBot(t *testing.T, cfg bot.Config) (*bot.Bot, *memory.Store) {
	t.Helper()
	st := memory.New()
	cfg.Gate, cfg.Settings = st, st
	return fixtureBot(t, cfg), st
}

func TestConfigureValidation(t *testing.T) {
	tests := []struct {
		name   string
		action bot.SettingsAction
		value  string
		code   bot.ProblemCode // "" means accepted
		want   bot.Profile     // the stored profile when accepted
		next   string          // a substring of the problem's next step
	}{
		{"age", bot.SettingsAge, "10", "", bot.Profile{Age: 10}, ""},
		{"age with spaces", bot.SettingsAge, " 7 ", "", bot.Profile{Age: 7}, ""},
		{"youngest age", bot.SettingsAge, "1", "", bot.Profile{Age: 1}, ""},
		{"oldest age", bot.SettingsAge, "17", "", bot.Profile{Age: 17}, ""},
		{"adult age", bot.SettingsAge, "18", bot.ProblemInvalidAge, bot.Profile{}, "from 1 to 17"},
		{"age zero", bot.SettingsAge, "0", bot.ProblemInvalidAge, bot.Profile{}, "from 1 to 17"},
		{"negative age", bot.SettingsAge, "-3", bot.ProblemInvalidAge, bot.Profile{}, "from 1 to 17"},
		{"age in words", bot.SettingsAge, "ten", bot.ProblemInvalidAge, bot.Profile{}, "e.g. age 10"},
		{"fractional age", bot.SettingsAge, "10.5", bot.ProblemInvalidAge, bot.Profile{}, "whole number"},
		{"huge age", bot.SettingsAge, "99999999999999999999", bot.ProblemInvalidAge, bot.Profile{}, "whole number"},
		{"no age", bot.SettingsAge, "", bot.ProblemInvalidAge, bot.Profile{}, "age default"},
		{"age default", bot.SettingsAge, "Default", "", bot.Profile{}, ""},
		{"country", bot.SettingsCountry, "GB", "", bot.Profile{Country: "GB"}, ""},
		{"country in lower case", bot.SettingsCountry, "de", "", bot.Profile{Country: "DE"}, ""},
		{"UK means GB", bot.SettingsCountry, "uk", "", bot.Profile{Country: "GB"}, ""},
		{"unknown country", bot.SettingsCountry, "XX", bot.ProblemInvalidCountry, bot.Profile{}, "AU, BR, CA"},
		{"country name", bot.SettingsCountry, "Germany", bot.ProblemInvalidCountry, bot.Profile{}, "ISO 3166-1"},
		{"no country", bot.SettingsCountry, "", bot.ProblemInvalidCountry, bot.Profile{}, "country default"},
		{"country default", bot.SettingsCountry, "default", "", bot.Profile{}, ""},
		{"public", bot.SettingsVisibility, "public", "", bot.Profile{Visibility: "public"}, ""},
		{"private", bot.SettingsVisibility, "PRIVATE", "", bot.Profile{Visibility: "private"}, ""},
		{"visibility typo", bot.SettingsVisibility, "pubic", bot.ProblemInvalidVisibility, bot.Profile{}, "visibility public"},
		{"no visibility", bot.SettingsVisibility, "", bot.ProblemInvalidVisibility, bot.Profile{}, "visibility private"},
		{"visibility default", bot.SettingsVisibility, "default", "", bot.Profile{}, ""},
		{"unknown setting", "colour", "red", bot.ProblemUnknownSetting, bot.Profile{}, "show, age <1-17>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, st := settingsBot(t, bot.Config{})
			ctx := context.Background()
			// A profile with other settings chosen: a change keeps them, a
			// refused value changes nothing.
			before := bot.Profile{Age: 9, Country: "FR", Visibility: "public"}
			if err := st.SetProfile(ctx, "test:g1", before); err != nil {
				t.Fatal(err)
			}
			r := b.Configure(ctx, bot.SettingsCommand{Platform: "test", Community: "g1", Action: tc.action, Value: tc.value})
			got, _, _ := st.Profile(ctx, "test:g1")
			if tc.code != "" {
				if r.Status != bot.StatusError || r.Error == nil || r.Error.Code != tc.code {
					t.Fatalf("reply %s %+v, want problem %s", r.Status, r.Error, tc.code)
				}
				if !strings.Contains(r.Error.Next, tc.next) {
					t.Errorf("next step %q lacks %q", r.Error.Next, tc.next)
				}
				if got != before {
					t.Errorf("refused value changed the profile to %+v", got)
				}
				return
			}
			if r.Status != bot.StatusSettings || r.Settings == nil || r.Settings.Changed != tc.action {
				t.Fatalf("reply %s %+v %+v", r.Status, r.Error, r.Settings)
			}
			want := before
			switch tc.action {
			case bot.SettingsAge:
				want.Age = tc.want.Age
			case bot.SettingsCountry:
				want.Country = tc.want.Country
			case bot.SettingsVisibility:
				want.Visibility = tc.want.Visibility
			}
			if got != want {
				t.Errorf("stored %+v, want %+v", got, want)
			}
		})
	}
}

func TestConfigureShow(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		country string // the deployment's default
		profile *bot.Profile
		want    []bot.Setting // name, value and default of each
	}{
		{"nothing chosen", "", nil, []bot.Setting{{Name: "age", Value: "12", Default: true}, {Name: "country", Value: "US", Default: true}, {Name: "visibility", Value: "private", Default: true}}},
		{"deployment's country", "GB", nil, []bot.Setting{{Name: "age", Value: "12", Default: true}, {Name: "country", Value: "GB", Default: true}, {Name: "visibility", Value: "private", Default: true}}},
		{"all chosen", "GB", &bot.Profile{Age: 8, Country: "DE", Visibility: "public"}, []bot.Setting{{Name: "age", Value: "8"}, {Name: "country", Value: "DE"}, {Name: "visibility", Value: "public"}}},
		{"private chosen", "", &bot.Profile{Visibility: "private"}, []bot.Setting{{Name: "age", Value: "12", Default: true}, {Name: "country", Value: "US", Default: true}, {Name: "visibility", Value: "private"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, st := settingsBot(t, bot.Config{Country: tc.country})
			if tc.profile != nil {
				if err := st.SetProfile(ctx, "discord:g1", *tc.profile); err != nil {
					t.Fatal(err)
				}
			}
			r := b.Configure(ctx, bot.SettingsCommand{Platform: "discord", Community: "g1"})
			if r.Status != bot.StatusSettings || r.Settings == nil {
				t.Fatalf("reply %s %+v", r.Status, r.Error)
			}
			if r.Settings.Community != "discord:g1" || r.Settings.Changed != "" {
				t.Errorf("view %+v", r.Settings)
			}
			if len(r.Settings.Settings) != len(tc.want) {
				t.Fatalf("settings %+v", r.Settings.Settings)
			}
			for i, w := range tc.want {
				g := r.Settings.Settings[i]
				if g.Name != w.Name || g.Value != w.Value || g.Default != w.Default || g.Meaning == "" {
					t.Errorf("setting %d = %+v, want %+v", i, g, w)
				}
				if !strings.Contains(r.Text, g.Line()) {
					t.Errorf("text %q lacks %q", r.Text, g.Line())
				}
			}
		})
	}
}

func TestConfigureSetThenAnswer(t *testing.T) {
	ctx := context.Background()
	b, _ := settingsBot(t, bot.Config{})
	ask := func(id string) bot.Reply {
		return b.Handle(ctx, bot.Request{Platform: "slack", EventID: id, UserID: "U1", Community: "T1", Text: "Ballerina 2023"})
	}
	if r := ask("q1"); r.Verdict == nil || r.Verdict.Age != 12 || r.Visibility != "" {
		t.Fatalf("before: %+v visibility %q", r.Verdict, r.Visibility)
	}
	for _, c := range []bot.SettingsCommand{
		{Action: bot.SettingsAge, Value: "8", EventID: "s1"},
		{Action: bot.SettingsVisibility, Value: "public", EventID: "s2"},
	} {
		c.Platform, c.Community, c.UserID = "slack", "T1", "U1"
		if r := b.Configure(ctx, c); r.Status != bot.StatusSettings {
			t.Fatalf("%s: %s %+v", c.Action, r.Status, r.Error)
		}
	}
	r := ask("q2")
	if r.Verdict == nil || r.Verdict.Age != 8 || r.Visibility != bot.VisibilityPublic {
		t.Fatalf("after: %+v visibility %q", r.Verdict, r.Visibility)
	}
	if v := b.Visibility(ctx, "slack", "T1"); v != bot.VisibilityPublic {
		t.Errorf("Visibility = %q", v)
	}
	if v := b.Visibility(ctx, "slack", "T2"); v != bot.VisibilityPrivate {
		t.Errorf("Visibility of a community with no settings = %q", v)
	}
	if v := b.Visibility(ctx, "discord", "T1"); v != bot.VisibilityPrivate {
		t.Errorf("settings leak across platforms: %q", v)
	}
	// Reset: the default again, and said so.
	rr := b.Configure(ctx, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "default"})
	if s, _ := rr.Settings.Get(bot.SettingsAge); s.Value != "12" || !s.Default || !strings.Contains(rr.Text, "reset to the default") {
		t.Errorf("after reset: %+v %q", s, rr.Text)
	}
}

func TestConfigureReplayAndLimit(t *testing.T) {
	ctx := context.Background()
	b, st := settingsBot(t, bot.Config{Limits: bot.Limits{UserPerMinute: 2}})
	c := bot.SettingsCommand{Platform: "discord", Community: "g1", Action: bot.SettingsAge, Value: "9", EventID: "i1", UserID: "u1"}
	if r := b.Configure(ctx, c); r.Status != bot.StatusSettings {
		t.Fatalf("first: %s %+v", r.Status, r.Error)
	}
	// Someone else changes the age; a replay of the first command must not
	// put 9 back.
	if err := st.SetProfile(ctx, "discord:g1", bot.Profile{Age: 6}); err != nil {
		t.Fatal(err)
	}
	if r := b.Configure(ctx, c); r.Status != bot.StatusDuplicate {
		t.Fatalf("replay: %s", r.Status)
	}
	if p, _, _ := st.Profile(ctx, "discord:g1"); p.Age != 6 {
		t.Fatalf("a replay changed the profile: %+v", p)
	}
	c.EventID = "i2"
	b.Configure(ctx, c) // the second in the minute
	c.EventID, c.Value = "i3", "5"
	r := b.Configure(ctx, c)
	if r.Status != bot.StatusError || r.Error.Code != bot.ProblemRateLimited {
		t.Fatalf("third in a minute: %s %+v", r.Status, r.Error)
	}
	if p, _, _ := st.Profile(ctx, "discord:g1"); p.Age != 9 {
		t.Fatalf("a refused command changed the profile: %+v", p)
	}
}

// failingSettings fails every call.
type failingSettings struct{ readOK bool }

func (f failingSettings) Profile(context.Context, string) (bot.Profile, bool, error) {
	if f.readOK {
		return bot.Profile{Age: 9}, true, nil
	}
	return bot.Profile{}, false, errors.New("connection refused")
}

func (failingSettings) SetProfile(context.Context, string, bot.Profile) error {
	return errors.New("connection refused")
}

func TestConfigureProblems(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		settings bot.Settings
		cmd      bot.SettingsCommand
		code     bot.ProblemCode
	}{
		{"no store", nil, bot.SettingsCommand{Platform: "slack", Community: "T1"}, bot.ProblemSettingsUnconfigured},
		{"no store, set", nil, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "9"}, bot.ProblemSettingsUnconfigured},
		{"no community", memory.New(), bot.SettingsCommand{Platform: "discord", Action: bot.SettingsAge, Value: "9"}, bot.ProblemNoCommunity},
		{"store down, show", failingSettings{}, bot.SettingsCommand{Platform: "slack", Community: "T1"}, bot.ProblemSettingsUnavailable},
		{"store down, set", failingSettings{}, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "9"}, bot.ProblemSettingsUnavailable},
		{"store cannot write", failingSettings{readOK: true}, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "9"}, bot.ProblemSettingsUnavailable},
		// Validation comes first: a bad value is said to be bad even when
		// the store could not have taken it anyway.
		{"bad value, no store", nil, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "40"}, bot.ProblemInvalidAge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := fixtureBot(t, bot.Config{Settings: tc.settings})
			r := b.Configure(ctx, tc.cmd)
			if r.Status != bot.StatusError || r.Error == nil || r.Error.Code != tc.code {
				t.Fatalf("reply %s %+v, want %s", r.Status, r.Error, tc.code)
			}
			if r.Error.Message == "" || r.Error.Next == "" || r.Text == "" {
				t.Errorf("problem without a message or next step: %+v", r.Error)
			}
		})
	}
}

func TestConfigureEchoIsShort(t *testing.T) {
	b, _ := settingsBot(t, bot.Config{})
	long := strings.Repeat("x", 500) + "\n@everyone"
	r := b.Configure(context.Background(), bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsCountry, Value: long})
	if r.Error == nil || len(r.Error.Message) > 100 || strings.Contains(r.Error.Message, "\n") {
		t.Fatalf("problem %+v", r.Error)
	}
}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		text   string
		action bot.SettingsAction
		value  string
	}{
		{"", bot.SettingsShow, ""},
		{"   ", bot.SettingsShow, ""},
		{"show", bot.SettingsShow, ""},
		{"help", bot.SettingsShow, ""},
		{"age 10", bot.SettingsAge, "10"},
		{"AGE   10", bot.SettingsAge, "10"},
		{"country gb", bot.SettingsCountry, "gb"},
		{"visibility public", bot.SettingsVisibility, "public"},
		{"country United Kingdom", bot.SettingsCountry, "United Kingdom"},
		{"colour red", "colour", "red"},
	}
	for _, tc := range tests {
		a, v := bot.ParseSettings(tc.text)
		if a != tc.action || v != tc.value {
			t.Errorf("ParseSettings(%q) = %q, %q; want %q, %q", tc.text, a, v, tc.action, tc.value)
		}
	}
}

func TestCountryMeaning(t *testing.T) {
	b, _ := settingsBot(t, bot.Config{})
	for country, want := range map[string][]string{
		"US": {"read for US (films: MPAA; shows: TV Parental Guidelines)."},
		"JP": {"read for JP (films: Eirin; shows: none known)", "the US rating stands in"},
	} {
		r := b.Configure(context.Background(), bot.SettingsCommand{Platform: "t", Community: "c", Action: bot.SettingsCountry, Value: country})
		s, _ := r.Settings.Get(bot.SettingsCountry)
		for _, w := range want {
			if !strings.Contains(s.Meaning, w) {
				t.Errorf("%s: meaning %q lacks %q", country, s.Meaning, w)
			}
		}
		if country == "US" && strings.Contains(s.Meaning, "stands in") {
			t.Errorf("US stands in for itself: %q", s.Meaning)
		}
	}
}

// FuzzConfigure: whatever an admin types, the stored profile only ever
// holds valid settings, and a refused command changes nothing.
func FuzzConfigure(f *testing.F) {
	for _, s := range []string{"", "show", "help", "age 10", "age 18", "age -1", "age 0x10", "country uk", "country XX",
		"visibility PUBLIC", "visibility", "age default", "colour red", "age 1٠", "country ＧＢ", "visibility public private"} {
		f.Add(s)
	}
	countries := map[string]bool{"": true}
	for _, c := range rating.Countries() {
		countries[c] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		st := memory.New()
		b := bot.New(bot.Config{Settings: st})
		ctx := context.Background()
		before := bot.Profile{Age: 9, Country: "FR", Visibility: "public"}
		if err := st.SetProfile(ctx, "t:c", before); err != nil {
			t.Fatal(err)
		}
		action, value := bot.ParseSettings(text)
		r := b.Configure(ctx, bot.SettingsCommand{Platform: "t", Community: "c", Action: action, Value: value})
		p, _, _ := st.Profile(ctx, "t:c")
		switch r.Status {
		case bot.StatusError:
			if r.Error == nil || r.Error.Next == "" || p != before {
				t.Fatalf("%q: refused with %+v, profile %+v", text, r.Error, p)
			}
		case bot.StatusSettings:
			if p.Age != 0 && (p.Age < bot.MinProfileAge || p.Age > bot.MaxProfileAge) || !countries[p.Country] ||
				p.Visibility != "" && p.Visibility != bot.VisibilityPrivate && p.Visibility != bot.VisibilityPublic {
				t.Fatalf("%q stored %+v", text, p)
			}
		default:
			t.Fatalf("%q: status %s", text, r.Status)
		}
	})
}
