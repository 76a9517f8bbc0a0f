package bot

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"advisorybot/bot/rating"
)

// A community's admins choose what "family-safe" means for it: the age
// answers judge for, the country whose ratings are read, and whether
// answers are shown to everyone. Configure reads and changes these
// settings for every platform (and the operator's shell) alike; adapters
// only check that whoever asks is an admin and render the Reply.

// StatusSettings marks a Reply that shows a community's settings
// (Reply.Settings), after a change or on request.
const StatusSettings Status = "settings"

// SettingsAction is what a settings command does.
type SettingsAction string

// Settings actions; each setting is also the action that changes it.
const (
	SettingsShow       SettingsAction = "show"
	SettingsAge        SettingsAction = "age"
	SettingsCountry    SettingsAction = "country"
	SettingsVisibility SettingsAction = "visibility"
)

// Visibility values of a Profile, and of Reply.Visibility.
const (
	VisibilityPrivate = "private"
	VisibilityPublic  = "public"
)

// Bounds of a community's age. A profile describes the children a
// community asks for, so it is a child's age: at 18 every rating admits
// the viewer, and a profile of 18 would quietly turn every "family-safe?"
// in the community into "fine for adults", which is not what the bot is
// for. A question can still name any age for itself ("for my 19 year
// old", /advisory's age option). 0 is not offered: it is the stored
// "not chosen".
const (
	MinProfileAge = 1
	MaxProfileAge = 17
)

// settingsDefault is the value that resets a setting to the deployment's
// default.
const settingsDefault = "default"

// maxEchoed bounds how much of a rejected value a reply repeats.
const maxEchoed = 40

// SettingsCommand is one settings command, from a community's admin or
// the operator's shell.
type SettingsCommand struct {
	Platform  string
	Community string
	// Action is what to do; "" shows the settings.
	Action SettingsAction
	// Value is the new value as typed; "default" resets the setting.
	Value string
	// EventID is the platform's id for the delivery: a replay is answered
	// once and changes nothing. UserID charges the user's rate limit.
	// Both are optional (the shell has neither).
	EventID string
	UserID  string
}

// Setting is one setting as it applies: the community's choice or, when
// it has made none, the deployment's default.
type Setting struct {
	Name    SettingsAction `json:"name"`
	Value   string         `json:"value"`
	Default bool           `json:"default"`
	// Meaning says what the value does, for people.
	Meaning string `json:"meaning"`
}

// SettingsView is a community's settings as they apply.
type SettingsView struct {
	// Community is the settings key, "<platform>:<community id>".
	Community string `json:"community"`
	// Settings are age, country and visibility, in that order.
	Settings []Setting `json:"settings"`
	// Changed names the setting the command changed; "" for show.
	Changed SettingsAction `json:"changed,omitempty"`
}

// Get returns the named setting.
func (v SettingsView) Get(name SettingsAction) (Setting, bool) {
	for _, s := range v.Settings {
		if s.Name == name {
			return s, true
		}
	}
	return Setting{}, false
}

// Line is one setting as a line of text: "Age: 12 (default)".
func (s Setting) Line() string {
	l := settingLabel(s.Name) + ": " + s.Value
	if s.Default {
		l += " (default)"
	}
	return l
}

func settingLabel(a SettingsAction) string {
	switch a {
	case SettingsAge:
		return "Age"
	case SettingsCountry:
		return "Rating country"
	case SettingsVisibility:
		return "Visibility"
	}
	return string(a)
}

// Problem codes of settings commands.
const (
	// ProblemUnknownSetting: the command names no setting the bot has.
	ProblemUnknownSetting ProblemCode = "unknown_setting"
	// ProblemInvalidAge: the age is not a whole number from MinProfileAge
	// to MaxProfileAge.
	ProblemInvalidAge ProblemCode = "invalid_age"
	// ProblemInvalidCountry: no rating system is known for the country.
	ProblemInvalidCountry ProblemCode = "invalid_country"
	// ProblemInvalidVisibility: the visibility is not private or public.
	ProblemInvalidVisibility ProblemCode = "invalid_visibility"
	// ProblemNoCommunity: settings belong to a server or workspace, and
	// the command came from outside one (a direct message).
	ProblemNoCommunity ProblemCode = "no_community"
	// ProblemNotAdmin: the user may not change the community's settings
	// (adapters check this; the bot does not know platform roles).
	ProblemNotAdmin ProblemCode = "not_admin"
	// ProblemSettingsUnconfigured: the deployment has no settings store.
	ProblemSettingsUnconfigured ProblemCode = "settings_unconfigured"
	// ProblemSettingsUnavailable: the settings store failed; nothing changed.
	ProblemSettingsUnavailable ProblemCode = "settings_unavailable"
)

// SettingsUsage lists the settings commands, for Next lines.
const SettingsUsage = "show, age <1-17>, country <code>, visibility <private|public>"

// ParseSettings reads a settings command typed as text ("age 10",
// "country gb", "visibility public", "" or "show"): the first word is the
// action, the rest the value. Configure validates both.
func ParseSettings(text string) (SettingsAction, string) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return SettingsShow, ""
	}
	a := SettingsAction(strings.ToLower(f[0]))
	if a == "help" {
		// The settings shown say how to change each one.
		a = SettingsShow
	}
	return a, strings.Join(f[1:], " ")
}

// Configure runs a settings command: it shows the community's settings,
// or validates a new value, stores it through the Settings port and shows
// the result. Invalid values, a missing store and a failing one are
// Replies with a Problem and change nothing. Two admins changing different
// settings at the same instant may lose one change: the port stores whole
// profiles (read, change, write), and settings change rarely.
func (b *Bot) Configure(ctx context.Context, c SettingsCommand) Reply {
	c.Action = cmp.Or(c.Action, SettingsShow)
	q := Query{}
	change, p := settingsChange(c)
	if p != nil {
		return problemReply(q, *p)
	}
	switch {
	case c.Community == "":
		return problemReply(q, Problem{Code: ProblemNoCommunity, Message: "Settings belong to a server or workspace.",
			Next: "Run the command in a channel of the server or workspace whose settings you want."})
	case b.cfg.Settings == nil:
		return problemReply(q, Problem{Code: ProblemSettingsUnconfigured, Message: "This deployment has nowhere to keep settings.",
			Next: "Ask whoever runs the bot to set REDIS_URL or ADVISORYBOT_SETTINGS_FILE."})
	}
	if r, ok := b.admitSettings(ctx, c); !ok {
		return r
	}
	key := c.Platform + ":" + c.Community
	prof, _, err := b.cfg.Settings.Profile(ctx, key)
	if err != nil {
		b.log.WarnContext(ctx, "reading settings", "community", key, "err", err)
		return problemReply(q, unavailable())
	}
	if c.Action != SettingsShow {
		next := change(prof)
		if err := b.cfg.Settings.SetProfile(ctx, key, next); err != nil {
			b.log.WarnContext(ctx, "storing settings", "community", key, "setting", c.Action, "err", err)
			return problemReply(q, unavailable())
		}
		b.log.InfoContext(ctx, "community settings changed", "community", key, "setting", c.Action,
			"value", c.Value, "user", c.UserID)
		prof = next
	}
	v := b.settingsView(key, prof)
	if c.Action != SettingsShow {
		v.Changed = c.Action
	}
	return Reply{Query: q, Status: StatusSettings, Candidates: []TitleRef{}, Settings: &v, Text: settingsText(v)}
}

func unavailable() Problem {
	return Problem{Code: ProblemSettingsUnavailable, Message: "The settings could not be read or saved just now; nothing was changed.",
		Next: "Please try again in a minute."}
}

// settingsChange validates a command and returns how it changes a profile
// (nil for show), or the problem with it.
func settingsChange(c SettingsCommand) (func(Profile) Profile, *Problem) {
	v := strings.TrimSpace(c.Value)
	reset := strings.EqualFold(v, settingsDefault)
	switch c.Action {
	case SettingsShow:
		return nil, nil
	case SettingsAge:
		if reset {
			return func(p Profile) Profile { p.Age = 0; return p }, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < MinProfileAge || n > MaxProfileAge {
			return nil, &Problem{Code: ProblemInvalidAge, Message: ageProblem(v),
				Next: fmt.Sprintf("Give the age of the children the community asks for, a whole number from %d to %d (e.g. age 10), or age default for %d.", MinProfileAge, MaxProfileAge, defaultProfileAge)}
		}
		return func(p Profile) Profile { p.Age = n; return p }, nil
	case SettingsCountry:
		if reset {
			return func(p Profile) Profile { p.Country = ""; return p }, nil
		}
		code, err := rating.ParseCountry(v)
		if err != nil {
			msg := "Which country's ratings should I use?"
			if v != "" {
				msg = fmt.Sprintf("I know no rating system for “%s”.", echo(v))
			}
			return nil, &Problem{Code: ProblemInvalidCountry, Message: msg,
				Next: "Give one of " + strings.Join(rating.Countries(), ", ") + " (ISO 3166-1 codes; UK also means GB), or country default."}
		}
		return func(p Profile) Profile { p.Country = code; return p }, nil
	case SettingsVisibility:
		vis := strings.ToLower(v)
		switch {
		case reset:
			return func(p Profile) Profile { p.Visibility = ""; return p }, nil
		case vis == VisibilityPrivate || vis == VisibilityPublic:
			return func(p Profile) Profile { p.Visibility = vis; return p }, nil
		}
		msg := "Should answers be private or public?"
		if v != "" {
			msg = fmt.Sprintf("“%s” is not a visibility.", echo(v))
		}
		return nil, &Problem{Code: ProblemInvalidVisibility, Message: msg,
			Next: "Give visibility private (answers only the asker sees, with a button to share) or visibility public (answers everyone in the channel sees)."}
	}
	return nil, &Problem{Code: ProblemUnknownSetting, Message: fmt.Sprintf("I have no setting called “%s”.", echo(string(c.Action))),
		Next: "Use one of: " + SettingsUsage + "."}
}

func ageProblem(v string) string {
	if v == "" {
		return "Which age should answers judge for?"
	}
	if n, err := strconv.Atoi(v); err == nil && n > MaxProfileAge {
		return fmt.Sprintf("%d is an adult's age; the community's age is a child's.", n)
	}
	return fmt.Sprintf("“%s” is not an age I can use.", echo(v))
}

// echo is a rejected value as a reply may repeat it: short, one line.
// (Renderers escape it: it is user text.)
func echo(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxEchoed {
		s = string([]rune(s)[:maxEchoed-1]) + "…"
	}
	return s
}

// admitSettings de-duplicates the delivery and charges the user's rate
// limit, as for questions: a replayed command changes nothing twice, and
// settings commands cannot be sent faster than questions. An unavailable
// Gate is worked around, as for questions.
func (b *Bot) admitSettings(ctx context.Context, c SettingsCommand) (Reply, bool) {
	if b.cfg.Gate == nil || c.EventID == "" && c.UserID == "" {
		return Reply{}, true
	}
	a := b.admission(Request{Platform: c.Platform, Community: c.Community, UserID: c.UserID, EventID: c.EventID})
	adm, err := b.cfg.Gate.Admit(ctx, a)
	if err != nil {
		b.log.WarnContext(ctx, "shared state unavailable; changing settings without de-duplication or limits", "err", err)
		return Reply{}, true
	}
	if r, refused := refusal(Query{}, a, adm, "sent"); refused {
		return r, false
	}
	return Reply{}, true
}

// settingsView is a profile as it applies, defaults filled in.
func (b *Bot) settingsView(key string, p Profile) SettingsView {
	age := Setting{Name: SettingsAge, Value: strconv.Itoa(p.Age)}
	if p.Age <= 0 {
		age.Value, age.Default = strconv.Itoa(defaultProfileAge), true
	}
	age.Meaning = fmt.Sprintf("Answers judge for %s unless the question names an age.", AgePhrase(mustAtoi(age.Value)))

	country := Setting{Name: SettingsCountry, Value: p.Country}
	if p.Country == "" {
		country.Value, country.Default = cmp.Or(b.cfg.Country, rating.FallbackCountry), true
	}
	country.Meaning = countryMeaning(country.Value)

	vis := Setting{Name: SettingsVisibility, Value: p.Visibility}
	if p.Visibility != VisibilityPublic && p.Visibility != VisibilityPrivate {
		vis.Value, vis.Default = VisibilityPrivate, true
	}
	vis.Meaning = "Answers to /advisory are shown only to whoever asked, with a button to share them in the channel."
	if vis.Value == VisibilityPublic {
		vis.Meaning = "Answers to /advisory are posted in the channel for everyone; help and problems stay private."
	}
	return SettingsView{Community: key, Settings: []Setting{age, country, vis}}
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// countryMeaning names the boards whose ratings a country uses.
func countryMeaning(code string) string {
	boards := []string{}
	for _, m := range []rating.Media{rating.Film, rating.Show} {
		name := "none known"
		if s, err := rating.SystemFor(code, m); err == nil {
			name = s.Name()
		}
		boards = append(boards, string(m)+"s: "+name)
	}
	m := fmt.Sprintf("Ratings from the title database are read for %s (%s)", code, strings.Join(boards, "; "))
	if code != rating.FallbackCountry {
		m += fmt.Sprintf("; where a title has none there, the %s rating stands in and the answer says so", rating.FallbackCountry)
	}
	return m + ". Curated reviews keep their own rating."
}

// settingsText is the one-line summary of a settings reply.
func settingsText(v SettingsView) string {
	lines := make([]string, len(v.Settings))
	for i, s := range v.Settings {
		lines[i] = s.Line()
	}
	all := strings.Join(lines, " · ")
	if v.Changed == "" {
		return "Settings: " + all
	}
	s, _ := v.Get(v.Changed)
	if s.Default {
		return fmt.Sprintf("%s reset to the default, %s. %s Now: %s", settingLabel(v.Changed), s.Value, s.Meaning, all)
	}
	return fmt.Sprintf("%s set to %s. %s Now: %s", settingLabel(v.Changed), s.Value, s.Meaning, all)
}

// Visibility is the community's choice for answers, VisibilityPublic or
// VisibilityPrivate (also when it chose nothing or its settings cannot be
// read). Adapters that must commit to a visibility before the answer
// exists (a Discord deferral) ask here; it reads the same profile the
// answer will, from the store's in-process cache when it has one.
func (b *Bot) Visibility(ctx context.Context, platform, community string) string {
	if b.profile(ctx, Request{Platform: platform, Community: community}).Visibility == VisibilityPublic {
		return VisibilityPublic
	}
	return VisibilityPrivate
}
