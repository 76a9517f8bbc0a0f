package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"advisorybot/adapters/memory"
	slackadapter "advisorybot/adapters/slack"
	"advisorybot/adapters/slack/slacktestws"
	"advisorybot/bot"
)

// Users of workspace T1 as users.info describes them.
var testUsers = []slacktestws.User{
	{ID: "UADMIN", TeamID: "T1", IsAdmin: true},
	{ID: "UOWNER", TeamID: "T1", IsOwner: true},
	{ID: "UPRIMARY", TeamID: "T1", IsAdmin: true, IsOwner: true, IsPrimaryOwner: true},
	{ID: "UMEMBER", TeamID: "T1"},
	{ID: "UFOREIGN", TeamID: "T9", IsAdmin: true, IsOwner: true}, // an admin of another workspace, in a shared channel
	{ID: "UGONE", TeamID: "T1", IsAdmin: true, Deleted: true},
}

// settingsBody is a /advisory-settings slash command from user in T1.
func settingsBody(user, text, responseURL string) string {
	return url.Values{
		"token": {"legacy"}, "team_id": {"T1"}, "team_domain": {"family"}, "channel_id": {"C1"}, "channel_name": {"general"},
		"user_id": {user}, "user_name": {"someone"}, "command": {slackadapter.SettingsCommandName}, "text": {text},
		"api_app_id": {"A1"}, "response_url": {responseURL}, "trigger_id": {"13345224609.738474920." + strconv.FormatInt(triggers.Add(1), 16)},
	}.Encode()
}

// settingsHarness is an adapter on a real bot with its own store; the fake
// Slack knows testUsers.
func settingsHarness(t *testing.T) (*harness, *bot.Bot, *memory.Store) {
	t.Helper()
	st := memory.New()
	b := newBotWith(t, st)
	// The harness wraps the bot to count questions, which hides its
	// settings: they are given explicitly.
	h := newHarnessFor(t, b, slackadapter.Config{Settings: b})
	for _, u := range testUsers {
		h.api.SetUser(u)
	}
	return h, b, st
}

type commandResponse struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []map[string]any `json:"blocks"`
}

func slashCommand(t *testing.T, h *harness, body string) commandResponse {
	t.Helper()
	rec := httptest.NewRecorder()
	h.a.Commands().ServeHTTP(rec, signed("/slack/commands", formType, body))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got commandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
	}
	return got
}

func usersInfoCalls(api *slacktestws.WebAPI) int {
	n := 0
	for _, c := range api.Calls() {
		if c.Method == "users.info" {
			n++
		}
	}
	return n
}

// TestSettingsByAdminsOnly: signed slash commands. Admins and owners of
// the workspace change settings; members, admins of another workspace,
// deactivated admins and users Slack does not know are refused, and
// nothing changes. Every answer is ephemeral.
func TestSettingsByAdminsOnly(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		user string
		text string
		want string      // in the answer's text
		got  bot.Profile // stored afterwards
	}{
		{"admin sets the age", "UADMIN", "age 10", "Age set to 10.", bot.Profile{Age: 10}},
		{"owner sets public", "UOWNER", "visibility public", "Visibility set to public.", bot.Profile{Visibility: "public"}},
		{"primary owner sets the country", "UPRIMARY", "country uk", "Rating country set to GB.", bot.Profile{Country: "GB"}},
		{"admin shows", "UADMIN", "", "Settings: Age: 12 (default) · Rating country: US (default) · Visibility: private (default)", bot.Profile{}},
		{"admin asks for help", "UADMIN", "help", "Settings: Age: 12 (default)", bot.Profile{}},
		{"member refused", "UMEMBER", "age 10", "Only workspace admins and owners can change the bot's settings.", bot.Profile{}},
		{"member refused to show", "UMEMBER", "show", "Only workspace admins and owners can change the bot's settings.", bot.Profile{}},
		{"another workspace's admin refused", "UFOREIGN", "visibility public", "Only workspace admins and owners", bot.Profile{}},
		{"deactivated admin refused", "UGONE", "visibility public", "Only workspace admins and owners", bot.Profile{}},
		{"unknown user", "UNOBODY", "visibility public", "I could not check that you are a workspace admin.", bot.Profile{}},
		{"invalid age", "UADMIN", "age twelve", "“twelve” is not an age I can use.", bot.Profile{}},
		{"unknown setting", "UADMIN", "colour red", "I have no setting called “colour”.", bot.Profile{}},
		{"user text stays text", "UADMIN", "country <!everyone> <https://x.example|y>", "&lt;!everyone&gt;", bot.Profile{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _, st := settingsHarness(t)
			got := slashCommand(t, h, settingsBody(tc.user, tc.text, h.api.ResponseURL("s")))
			if got.ResponseType != "ephemeral" || len(got.Blocks) == 0 {
				t.Errorf("response_type %q with %d blocks", got.ResponseType, len(got.Blocks))
			}
			if !strings.Contains(got.Text, tc.want) {
				t.Errorf("text %q lacks %q", got.Text, tc.want)
			}
			if strings.Contains(got.Text, "<!everyone>") || strings.Contains(got.Text, "<https") {
				t.Errorf("user text became markup: %q", got.Text)
			}
			if p, _, _ := st.Profile(ctx, "slack:T1"); p != tc.got {
				t.Errorf("stored %+v, want %+v", p, tc.got)
			}
			if h.bot.n.Load() != 0 {
				t.Errorf("a settings command reached the bot as a question")
			}
		})
	}
}

// TestSettingsAdminCheckCached: users.info is asked once per user for a
// while, for admins and for the refused alike.
func TestSettingsAdminCheckCached(t *testing.T) {
	h, _, _ := settingsHarness(t)
	for _, user := range []string{"UADMIN", "UMEMBER"} {
		before := usersInfoCalls(h.api)
		for range 3 {
			slashCommand(t, h, settingsBody(user, "show", h.api.ResponseURL("s")))
		}
		if n := usersInfoCalls(h.api) - before; n != 1 {
			t.Errorf("%s: %d users.info calls for 3 commands, want 1", user, n)
		}
	}
	// The call names the user.
	for _, c := range h.api.Calls() {
		if c.Method == "users.info" && c.Form.Get("user") == "" {
			t.Errorf("users.info without a user: %v", c.Form)
		}
	}
}

// TestSettingsReplayed: the same command delivered twice (same trigger_id)
// changes the settings once; a later change is not undone by the replay.
func TestSettingsReplayed(t *testing.T) {
	ctx := context.Background()
	h, b, st := settingsHarness(t)
	body := settingsBody("UADMIN", "age 9", h.api.ResponseURL("s"))
	slashCommand(t, h, body)
	b.Configure(ctx, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsAge, Value: "6"})
	rec := httptest.NewRecorder()
	h.a.Commands().ServeHTTP(rec, signed("/slack/commands", formType, body))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("replay answered %d %q, want an empty 200", rec.Code, rec.Body)
	}
	if p, _, _ := st.Profile(ctx, "slack:T1"); p.Age != 6 {
		t.Errorf("profile %+v after a replay, want age 6", p)
	}
}

// TestVisibilityInChannel: with public answers chosen, /advisory answers
// go in_channel with no Share button; help stays ephemeral; private puts
// them back.
func TestVisibilityInChannel(t *testing.T) {
	ctx := context.Background()
	h, b, _ := settingsHarness(t)
	set := func(v string) {
		if r := b.Configure(ctx, bot.SettingsCommand{Platform: "slack", Community: "T1", Action: bot.SettingsVisibility, Value: v}); r.Status != bot.StatusSettings {
			t.Fatalf("setting %s: %+v", v, r.Error)
		}
	}
	check := func(stage, text, responseType string, share bool) {
		t.Helper()
		got := slashCommand(t, h, commandBody(text, h.api.ResponseURL("c")))
		hasShare := strings.Contains(strings.Join(actionIDs(got.Blocks), ","), slackadapter.ActionShare)
		if got.ResponseType != responseType || hasShare != share {
			t.Errorf("%s: response_type %q, share button %v; want %q, %v", stage, got.ResponseType, hasShare, responseType, share)
		}
	}
	check("nothing chosen", "Ballerina 2023", "ephemeral", true)
	set("public")
	check("public", "Ballerina 2023", "in_channel", false)
	check("public, ambiguous", "Ballerina", "in_channel", false)
	check("public, help", "", "ephemeral", false)
	set("private")
	check("private", "Ballerina 2023", "ephemeral", true)
}

// TestVisibilityLateAnswer: a slow answer posted through response_url is
// in_channel too when the community chose public answers.
func TestVisibilityLateAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBotWith(t, memory.New())
		if err := b.SetProfile(context.Background(), "slack", "T1", bot.Profile{Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
		a, fake, run := inBubble(t, slowBot{b, 5 * time.Second}, slackadapter.Config{})
		stop := run()
		defer stop()
		<-serveCommand(a, httptest.NewRecorder(), "Ballerina 2023")
		calls := fake.Calls()
		if len(calls) != 1 || calls[0].Method != "response_url" || calls[0].JSON["response_type"] != "in_channel" {
			t.Errorf("late answer %+v", calls)
		}
	})
}

// TestSettingsSocketMode: the same command over Socket Mode is acked and
// answered through its response_url; a member is refused.
func TestSettingsSocketMode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sm := slacktestws.NewSocketMode()
	api := slacktestws.NewWebAPI(sm)
	t.Cleanup(func() { sm.Close(); api.Stop() })
	for _, u := range testUsers {
		api.SetUser(u)
	}
	st := memory.New()
	b := newBotWith(t, st)
	a, err := slackadapter.New(slackadapter.Config{Bot: b, BotToken: "xoxb-test", AppToken: "xapp-1-A1-1-test", APIURL: api.GetAPIURL(),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	runAdapter(t, a)
	smCtx, smCancel := context.WithCancel(ctx)
	smDone := make(chan error, 1)
	go func() { smDone <- a.RunSocketMode(smCtx) }()
	t.Cleanup(func() {
		smCancel()
		if err := <-smDone; !errors.Is(err, context.Canceled) {
			t.Errorf("RunSocketMode: %v", err)
		}
	})
	if err := sm.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	from := 0
	for i, tc := range []struct {
		user, want string
		age        int
	}{
		{"UMEMBER", "Only workspace admins and owners can change the bot's settings.", 0},
		{"UADMIN", "Age set to 8.", 8},
	} {
		env := "env-settings-" + strconv.Itoa(i)
		payload, _ := json.Marshal(map[string]any{
			"token": "x", "team_id": "T1", "team_domain": "family", "channel_id": "C1", "channel_name": "general",
			"user_id": tc.user, "user_name": "someone", "command": slackadapter.SettingsCommandName, "text": "age 8",
			"response_url": api.ResponseURL(env), "trigger_id": "1.2." + strconv.Itoa(i), "api_app_id": "A1",
		})
		if err := sm.Send(slacktestws.Envelope{EnvelopeID: env, Type: "slash_commands", AcceptsResponsePayload: true, Payload: payload}); err != nil {
			t.Fatal(err)
		}
		if _, err := sm.WaitAck(ctx, env); err != nil {
			t.Fatal(err)
		}
		c, next, err := api.WaitCall(ctx, from, func(c slacktestws.Call) bool { return c.Path == "/response/"+env })
		if err != nil {
			t.Fatal(err)
		}
		from = next + 1
		if c.JSON["response_type"] != "ephemeral" || !strings.Contains(c.JSON["text"].(string), tc.want) {
			t.Errorf("%s: answered %v", tc.user, c.JSON)
		}
		if p, _, _ := st.Profile(ctx, "slack:T1"); p.Age != tc.age {
			t.Errorf("%s: profile %+v, want age %d", tc.user, p, tc.age)
		}
	}
}
