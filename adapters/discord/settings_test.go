package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/adapters/discord/discordtest"
	"advisorybot/adapters/memory"
	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/internal/redistest"
)

const testGuild = "300000000000000003"

// Permission sets as Discord sends them in member.permissions: a member
// (the default payload's), one with Manage Server, an administrator.
const (
	permsMember  = "2248473465835073" // neither MANAGE_GUILD nor ADMINISTRATOR
	permsManage  = "2248473465835105" // + MANAGE_GUILD (0x20)
	permsAdmin   = "2248473465835081" // + ADMINISTRATOR (0x8)
	settingsUser = "500000000000000005"
)

// settingsInteraction is an /advisory-settings interaction: sub is the
// subcommand, value its option (nil for none), perms the member's
// permissions ("" for none), id the interaction id.
func settingsInteraction(t testing.TB, id, perms, sub string, value any) []byte {
	t.Helper()
	subOpt := map[string]any{"name": sub, "type": discordgo.ApplicationCommandOptionSubCommand}
	if value != nil {
		typ := discordgo.ApplicationCommandOptionString
		if _, ok := value.(int); ok {
			typ = discordgo.ApplicationCommandOptionInteger
		}
		subOpt["options"] = []map[string]any{{"name": sub, "type": typ, "value": value}}
	}
	member := map[string]any{"user": map[string]any{"id": settingsUser, "username": "parent", "discriminator": "0"},
		"roles": []string{}, "joined_at": "2024-01-01T00:00:00.000000+00:00"}
	if perms != "" {
		member["permissions"] = perms
	}
	data := map[string]any{"id": "600000000000000016", "name": SettingsCommandName, "type": 1, "options": []any{subOpt}}
	return payload(t, discordgo.InteractionApplicationCommand, data, map[string]any{"id": id, "member": member})
}

// storeBot is the fixture bot on st, with limits that polling cannot reach.
func storeBot(t testing.TB, st interface {
	bot.Gate
	bot.Settings
}) *bot.Bot {
	t.Helper()
	live, err := catalog.NewLive(os.DirFS("../../testdata/reviews"))
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(bot.Config{Catalog: live, Gate: st, Settings: st,
		Limits: bot.Limits{UserPerMinute: 100_000, CommunityPerMinute: 100_000}})
}

// post sends a signed interaction to the endpoint and returns the status
// and the decoded response (nil Data when there is none).
func post(t *testing.T, hh http.Handler, priv []byte, body []byte) (int, respView) {
	t.Helper()
	rec := httptest.NewRecorder()
	hh.ServeHTTP(rec, signedRequest(priv, body))
	if rec.Code != http.StatusOK {
		return rec.Code, respView{}
	}
	return rec.Code, decodeResponse(t, rec.Body.Bytes())
}

func embedText(r respView) string {
	if r.Data == nil || len(r.Data.Embeds) == 0 {
		return ""
	}
	e := r.Data.Embeds[0]
	s := []string{e.Title, e.Description}
	for _, f := range e.Fields {
		s = append(s, f.Name, f.Value)
	}
	return strings.Join(s, "\n")
}

// TestSettingsCommandRegistered: /advisory-settings is registered for
// Manage Server, in servers only, with the subcommands and choices the
// bot accepts.
func TestSettingsCommandRegistered(t *testing.T) {
	var cmd *discordgo.ApplicationCommand
	for _, c := range Commands() {
		if c.Name == SettingsCommandName {
			cmd = c
		}
	}
	if cmd == nil {
		t.Fatalf("no /%s in Commands()", SettingsCommandName)
	}
	b, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"default_member_permissions":"32"`, `"dm_permission":false`, `"contexts":[0]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("registration lacks %s: %s", want, b)
		}
	}
	// Discord's limits: descriptions 1-100 characters, choice names 1-100.
	var walk func(opts []*discordgo.ApplicationCommandOption)
	walk = func(opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			if n := len([]rune(o.Description)); n < 1 || n > 100 {
				t.Errorf("option %s: description of %d characters", o.Name, n)
			}
			for _, c := range o.Choices {
				if n := len([]rune(c.Name)); n < 1 || n > 100 {
					t.Errorf("choice %v: name of %d characters", c.Value, n)
				}
			}
			walk(o.Options)
		}
	}
	if n := len([]rune(cmd.Description)); n < 1 || n > 100 {
		t.Errorf("description of %d characters", n)
	}
	walk(cmd.Options)
	subs := map[string]*discordgo.ApplicationCommandOption{}
	for _, o := range cmd.Options {
		if o.Type != discordgo.ApplicationCommandOptionSubCommand {
			t.Errorf("option %s is not a subcommand", o.Name)
		}
		subs[o.Name] = o
	}
	for _, name := range []string{"show", "age", "country", "visibility"} {
		if subs[name] == nil {
			t.Fatalf("no subcommand %s", name)
		}
	}
	age := subs["age"].Options[0]
	if age.Type != discordgo.ApplicationCommandOptionInteger || !age.Required || *age.MinValue != bot.MinProfileAge || age.MaxValue != bot.MaxProfileAge {
		t.Errorf("age option %+v", age)
	}
	var countries []string
	for _, c := range subs["country"].Options[0].Choices {
		countries = append(countries, c.Value.(string))
		if len(c.Name) > maxOptionLabel {
			t.Errorf("choice name %q too long", c.Name)
		}
	}
	if len(countries) > maxChoices {
		t.Errorf("%d country choices; Discord allows %d (use autocomplete)", len(countries), maxChoices)
	}
	if want := append(rating.Countries(), "default"); !slices.Equal(countries, want) {
		t.Errorf("country choices %v, want %v", countries, want)
	}
	var vis []string
	for _, c := range subs["visibility"].Options[0].Choices {
		vis = append(vis, c.Value.(string))
	}
	if !slices.Equal(vis, []string{bot.VisibilityPrivate, bot.VisibilityPublic}) {
		t.Errorf("visibility choices %v", vis)
	}
}

// TestSettingsByAdminsOnly: signed requests to the HTTP endpoint. Members
// with Manage Server or Administrator change settings; others, and
// requests without permissions, are refused and change nothing; every
// answer is ephemeral.
func TestSettingsByAdminsOnly(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		perms string
		sub   string
		value any
		title string      // the answer's first embed title
		want  bot.Profile // stored afterwards
	}{
		{"manage server sets the age", permsManage, "age", 10, "Age: 10", bot.Profile{Age: 10}},
		{"administrator sets public", permsAdmin, "visibility", "public", "Visibility: public", bot.Profile{Visibility: "public"}},
		{"manage server sets the country", permsManage, "country", "GB", "Rating country: GB", bot.Profile{Country: "GB"}},
		{"admin sees the settings", permsManage, "show", nil, "Settings for this server", bot.Profile{}},
		{"member refused", permsMember, "age", 10, "Only members with Manage Server can change the bot's settings.", bot.Profile{}},
		{"member refused even to show", permsMember, "show", nil, "Only members with Manage Server can change the bot's settings.", bot.Profile{}},
		{"no permissions refused", "", "visibility", "public", "Only members with Manage Server can change the bot's settings.", bot.Profile{}},
		{"garbled permissions refused", "lots", "visibility", "public", "Only members with Manage Server can change the bot's settings.", bot.Profile{}},
		{"unknown country", permsManage, "country", "XX", "I know no rating system for “XX”.", bot.Profile{}},
		{"adult age", permsManage, "age", 30, "30 is an adult's age; the community's age is a child's.", bot.Profile{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := memory.New()
			hh, priv := testEndpoint(t, Config{Bot: storeBot(t, st), Sender: newRecordingSender()})
			code, r := post(t, hh, priv, settingsInteraction(t, "1200000000000000101", tc.perms, tc.sub, tc.value))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if r.Type != int(discordgo.InteractionResponseChannelMessageWithSource) || r.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
				t.Errorf("type %d flags %d: settings answers are ephemeral messages", r.Type, r.Data.Flags)
			}
			if r.title() != tc.title {
				t.Errorf("title %q, want %q\n%s", r.title(), tc.title, embedText(r))
			}
			if r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil || len(r.Data.AllowedMentions.Parse) != 0 {
				t.Errorf("allowed_mentions %+v", r.Data.AllowedMentions)
			}
			got, _, _ := st.Profile(ctx, "discord:"+testGuild)
			if got != tc.want {
				t.Errorf("stored %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSettingsShowAndReplay(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	hh, priv := testEndpoint(t, Config{Bot: storeBot(t, st), Sender: newRecordingSender()})
	_, r := post(t, hh, priv, settingsInteraction(t, "1200000000000000201", permsManage, "show", nil))
	text := embedText(r)
	for _, want := range []string{"Age: 12 (default)", "Rating country: US (default)", "Visibility: private (default)", "a 12-year-old"} {
		if !strings.Contains(text, want) {
			t.Errorf("show lacks %q:\n%s", want, text)
		}
	}
	set := settingsInteraction(t, "1200000000000000202", permsManage, "age", 9)
	if code, _ := post(t, hh, priv, set); code != http.StatusOK {
		t.Fatalf("set: %d", code)
	}
	// Another admin changes it; the first request, replayed, must not put
	// 9 back.
	if code, _ := post(t, hh, priv, settingsInteraction(t, "1200000000000000203", permsManage, "age", 7)); code != http.StatusOK {
		t.Fatalf("second set: %d", code)
	}
	if code, _ := post(t, hh, priv, set); code != http.StatusConflict {
		t.Errorf("replay: status %d, want 409", code)
	}
	if p, _, _ := st.Profile(ctx, "discord:"+testGuild); p.Age != 7 {
		t.Errorf("profile after a replay %+v, want age 7", p)
	}
	_, r = post(t, hh, priv, settingsInteraction(t, "1200000000000000204", permsManage, "show", nil))
	if text := embedText(r); !strings.Contains(text, "Age: 7\n") || strings.Contains(text, "Age: 7 (default)") {
		t.Errorf("show after set:\n%s", text)
	}
}

func TestSettingsOutsideAServer(t *testing.T) {
	h := newTestHandler(t, fixtureBot(t), nil)
	body := payload(t, discordgo.InteractionApplicationCommand,
		map[string]any{"id": "600000000000000016", "name": SettingsCommandName, "type": 1, "options": []any{map[string]any{"name": "show", "type": 1}}},
		map[string]any{"guild_id": nil, "member": nil, "user": map[string]any{"id": settingsUser, "username": "parent", "discriminator": "0"}})
	r := respond(t, h, body)
	if r.title() != "Settings belong to a server." || r.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("DM: %q flags %d", r.title(), r.Data.Flags)
	}
}

func TestSettingsWithoutStore(t *testing.T) {
	// The bot's Settings are unavailable through the Answerer alone.
	h := newTestHandler(t, &countingBot{Answerer: fixtureBot(t)}, nil)
	i, err := decodeInteraction(settingsInteraction(t, "1200000000000000301", permsManage, "show", nil))
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	if err := h.interact(context.Background(), i, func(b []byte, _ bool) { got = b }); err != nil {
		t.Fatal(err)
	}
	if r := decodeResponse(t, got); r.title() != "Settings are not available on this deployment." {
		t.Errorf("title %q", r.title())
	}
}

// TestVisibility: with public answers chosen, /advisory answers are
// posted for everyone (no Share button); help and problems stay private;
// private (or nothing chosen) keeps them ephemeral.
func TestVisibility(t *testing.T) {
	b := storeBot(t, memory.New())
	h := newTestHandler(t, b, nil)
	ctx := context.Background()
	n := 0
	ask := func(title string) respView {
		n++
		body := payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, title)),
			map[string]any{"id": strconv.Itoa(1300000000000000000 + n)})
		return respond(t, h, body)
	}
	set := func(v string) {
		if r := b.Configure(ctx, bot.SettingsCommand{Platform: Platform, Community: testGuild, Action: bot.SettingsVisibility, Value: v}); r.Status != bot.StatusSettings {
			t.Fatalf("setting %s: %+v", v, r.Error)
		}
	}
	type want struct {
		title     string
		ephemeral bool
		share     bool
	}
	check := func(stage string, r respView, w want) {
		t.Helper()
		eph := r.Data.Flags&int(discordgo.MessageFlagsEphemeral) != 0
		share := slices.ContainsFunc(r.customIDs(), func(id string) bool { return strings.HasPrefix(id, "adv:share:") })
		if r.title() != w.title || eph != w.ephemeral || share != w.share || r.Type != int(discordgo.InteractionResponseChannelMessageWithSource) {
			t.Errorf("%s: %q type %d ephemeral %v share %v, want %+v", stage, r.title(), r.Type, eph, share, w)
		}
	}
	found := "Ballerina (2023) · film · TV-MA"
	check("nothing chosen", ask("Ballerina 2023"), want{found, true, true})
	set("public")
	check("public", ask("Ballerina 2023"), want{found, false, false})
	check("public, ambiguous", ask("Ballerina"), want{"Which one do you mean?", false, false})
	check("public, not found", ask("Frozen"), want{"Not found", false, false})
	check("public, help", ask(""), want{"advisorybot: is it family-safe?", true, false})
	set("private")
	check("private", ask("Ballerina 2023"), want{found, true, true})
}

// TestVisibilityDeferral: a slow answer's deferral already says whether
// the answer will be ephemeral, from the community's choice.
func TestVisibilityDeferral(t *testing.T) {
	for _, tc := range []struct {
		visibility string
		deferral   string
	}{
		{"public", `{"type":5}`},
		{"private", `{"type":5,"data":{"flags":64}}`},
	} {
		t.Run(tc.visibility, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := storeBot(t, memory.New())
				if err := b.SetProfile(context.Background(), Platform, testGuild, bot.Profile{Visibility: tc.visibility}); err != nil {
					t.Fatal(err)
				}
				s := newRecordingSender()
				// The bot takes 3 s, past the 2 s budget; Settings come from the
				// bot itself, which the slow wrapper hides.
				h, err := NewHandler(Config{Bot: &countingBot{Answerer: b, delay: 3 * time.Second}, Sender: s, Settings: b})
				if err != nil {
					t.Fatal(err)
				}
				i, err := decodeInteraction(ballerinaCommand(t))
				if err != nil {
					t.Fatal(err)
				}
				var sent []string
				if err := h.interact(context.Background(), i, func(b []byte, deferred bool) { sent = append(sent, string(b)) }); err != nil {
					t.Fatal(err)
				}
				if len(sent) != 1 || sent[0] != tc.deferral {
					t.Fatalf("sent %q, want the deferral %s", sent, tc.deferral)
				}
				e := s.edited()
				if len(e) != 1 || len(e[0].Embeds) == 0 || e[0].Embeds[0].Title != "Ballerina (2023) · film · TV-MA" {
					t.Fatalf("edit %+v", e)
				}
				// The edit cannot change the message's visibility: its Share
				// button must match the deferral.
				comps, _ := json.Marshal(e[0].Components)
				share := strings.Contains(string(comps), `"custom_id":"adv:share:`)
				if share != (tc.visibility == "private") {
					t.Errorf("Share button %v on a %s answer", share, tc.visibility)
				}
			})
		})
	}
}

// TestSettingsOverGateway: the same command over the gateway, answered
// through the callback endpoint; a member is refused.
func TestSettingsOverGateway(t *testing.T) {
	fake := discordtest.New(t)
	st := memory.New()
	startGateway(t, fake, Config{Bot: storeBot(t, st)}, 0, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.WaitIdentify(ctx, 1); err != nil {
		t.Fatal(err)
	}
	type callback struct {
		Type int `json:"type"`
		Data struct {
			Flags  int `json:"flags"`
			Embeds []struct {
				Title string `json:"title"`
			} `json:"embeds"`
		} `json:"data"`
	}
	from := 0
	for _, tc := range []struct {
		id, perms, title string
		age              int
	}{
		{"1200000000000000401", permsMember, "Only members with Manage Server can change the bot's settings.", 0},
		{"1200000000000000402", permsManage, "Age: 8", 8},
	} {
		dispatchJSON(t, fake, "INTERACTION_CREATE", settingsInteraction(t, tc.id, tc.perms, "age", 8))
		req, i, err := fake.WaitRequest(ctx, from, func(r discordtest.Request) bool {
			return isCallback(r) && strings.Contains(r.Path, "/interactions/"+tc.id+"/")
		})
		if err != nil {
			t.Fatal(err)
		}
		from = i + 1
		var cb callback
		if err := req.JSON(&cb); err != nil {
			t.Fatal(err)
		}
		if cb.Type != 4 || cb.Data.Flags != 64 || len(cb.Data.Embeds) == 0 || cb.Data.Embeds[0].Title != tc.title {
			t.Errorf("%s: callback %s", tc.perms, req.Body)
		}
		if p, _, _ := st.Profile(ctx, "discord:"+testGuild); p.Age != tc.age {
			t.Errorf("%s: profile %+v, want age %d", tc.perms, p, tc.age)
		}
	}
}

// TestSettingsReachOtherReplicas: two replicas, each a bot on its own
// Redis store (with its in-process settings cache) sharing one
// redis-server. An admin makes answers public through one replica's
// endpoint; the other's /advisory answers become public within a second.
func TestSettingsReachOtherReplicas(t *testing.T) {
	srv := redistest.Start(t)
	replica := func() (http.Handler, []byte) {
		st, err := redisstore.Open(redisstore.Config{Addrs: []string{srv.Addr}}, "advisorybot:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return testEndpoint(t, Config{Bot: storeBot(t, st), Sender: newRecordingSender()})
	}
	a, privA := replica()
	b, privB := replica()
	n := 0
	askB := func() (ephemeral bool) {
		n++
		body := payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina 2023")),
			map[string]any{"id": strconv.Itoa(1400000000000000000 + n)})
		code, r := post(t, b, privB, body)
		if code != http.StatusOK || r.title() != "Ballerina (2023) · film · TV-MA" {
			t.Fatalf("replica b: %d %q", code, r.title())
		}
		return r.Data.Flags&int(discordgo.MessageFlagsEphemeral) != 0
	}
	// b has read (and cached) the guild's settings: private.
	for range 2 {
		if !askB() {
			t.Fatal("answers public before any setting")
		}
	}
	if code, r := post(t, a, privA, settingsInteraction(t, "1200000000000000501", permsManage, "visibility", "public")); code != http.StatusOK || r.title() != "Visibility: public" {
		t.Fatalf("setting through replica a: %d %q", code, r.title())
	}
	start := time.Now()
	for askB() {
		if time.Since(start) > time.Second {
			t.Fatalf("replica b still answers privately %v after the change", time.Since(start))
		}
		time.Sleep(5 * time.Millisecond) // polling another replica; the deadline is what is asserted
	}
	t.Logf("replica b answers publicly %v after the change", time.Since(start).Round(time.Millisecond))
}
