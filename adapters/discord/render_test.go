package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
)

func marshalIndent(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestRenderGolden pins the embed and component JSON of each kind of reply.
func TestRenderGolden(t *testing.T) {
	b := fixtureBot(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  bot.Request
	}{
		{"found", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "Ballerina", Year: 2023}}},
		{"found_age", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{ID: "ballerina-2023", Age: 8}}},
		{"ambiguous", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "Ballerina"}}},
		{"ambiguous_age", bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "can my 8 year old watch Ballerina?"}},
		{"not_found", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "Frozen"}}},
		{"not_found_suggestions", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "Ballerina", Year: 1999}}},
		{"topic", bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "how much swearing is in Ballerina 2023"}},
		{"help", bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "help"}},
		{"no_title", bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "what about the language?"}},
		{"fixture", bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "can my 8 year old watch Fixture Meadow Friends?"}},
		// User text shows as typed, never as a link (masked or bare).
		{"not_found_masked_link", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "[Free Nitro](https://evil.example)"}}},
		{"not_found_bare_url", bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "https://evil.example/nitro <http://evil.example> **x**"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.Handle(ctx, tc.req)
			resp := discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderData(r, view{ephemeral: true})}
			got := marshalIndent(t, resp)
			checkGolden(t, "interaction_"+tc.name+".json", got)
			checkNoMentions(t, got)
		})
	}
	t.Run("details", func(t *testing.T) {
		r := b.Handle(ctx, bot.Request{Platform: Platform, Options: &bot.Options{ID: "ballerina-2023"}})
		got := marshalIndent(t, discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderDetails(r)})
		checkGolden(t, "interaction_details.json", got)
		checkNoMentions(t, got)
	})
	t.Run("ambiguous_masked_link", func(t *testing.T) {
		r := b.Handle(ctx, bot.Request{Platform: Platform, Kind: bot.KindCommand, Options: &bot.Options{Title: "Ballerina"}})
		r.Query.Title = "[Ballerina](https://evil.example)"
		got := marshalIndent(t, discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderData(r, view{ephemeral: true})})
		checkGolden(t, "interaction_ambiguous_masked_link.json", got)
		checkNoMentions(t, got)
	})
	t.Run("message_masked_link", func(t *testing.T) {
		r := b.Handle(ctx, bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "<@100000000000000001> is [Free Nitro](https://evil.example) family-safe?"})
		got := marshalIndent(t, renderMessage(r, &discordgo.MessageReference{MessageID: "700000000000000008", ChannelID: "400000000000000004", GuildID: "300000000000000003"}))
		checkGolden(t, "message_masked_link.json", got)
		checkNoMentions(t, got)
	})
	t.Run("message", func(t *testing.T) {
		r := b.Handle(ctx, bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "<@100000000000000001> is Ballerina 2023 family-safe?"})
		no := false
		got := marshalIndent(t, renderMessage(r, &discordgo.MessageReference{MessageID: "700000000000000007", ChannelID: "400000000000000004", GuildID: "300000000000000003", FailIfNotExists: &no}))
		checkGolden(t, "message_found.json", got)
		checkNoMentions(t, got)
	})
}

// checkNoMentions asserts allowed_mentions is present with an empty parse list.
func checkNoMentions(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.Contains(b, []byte(`"allowed_mentions": {
      "parse": [],`)) && !bytes.Contains(b, []byte(`"allowed_mentions": {
    "parse": [],`)) {
		t.Errorf("allowed_mentions is not an explicit empty parse list:\n%s", b)
	}
}

func TestRenderRules(t *testing.T) {
	b := fixtureBot(t)
	ctx := context.Background()
	found := b.Handle(ctx, bot.Request{Options: &bot.Options{ID: "ballerina-2023"}})
	t.Run("verdict colours", func(t *testing.T) {
		tests := []struct {
			level bot.Level
			want  int
		}{{bot.Safe, colourSafe}, {bot.Caution, colourCaution}, {bot.NotSafe, colourNotSafe}, {bot.Unknown, colourUnknown}}
		for _, tc := range tests {
			if got := colour(&bot.Verdict{Level: tc.level}); got != tc.want {
				t.Errorf("colour(%s) = %#x, want %#x", tc.level, got, tc.want)
			}
		}
	})
	t.Run("share only when ephemeral", func(t *testing.T) {
		for _, eph := range []bool{true, false} {
			d := renderData(found, view{ephemeral: eph})
			raw, _ := json.Marshal(d)
			if got := strings.Contains(string(raw), "adv:share:"); got != eph {
				t.Errorf("ephemeral=%v: share button present=%v", eph, got)
			}
			if got := d.Flags == discordgo.MessageFlagsEphemeral; got != eph {
				t.Errorf("ephemeral=%v: flags %d", eph, d.Flags)
			}
		}
	})
	t.Run("one line per category", func(t *testing.T) {
		e := renderData(found, view{}).Embeds[0]
		var lines string
		for _, f := range e.Fields {
			if f.Name == "What's in it" {
				lines = f.Value
			}
		}
		for _, l := range found.Advisory.Lines {
			if !strings.Contains(lines, l.Label+": **"+l.Severity+"**") {
				t.Errorf("no line for %s in %q", l.Label, lines)
			}
		}
		if strings.Contains(e.Description, found.Advisory.Lines[0].Note) {
			t.Error("long category notes belong behind Details, not in the advisory")
		}
	})
	t.Run("duplicate sends nothing", func(t *testing.T) {
		if d := renderData(bot.Reply{Status: bot.StatusDuplicate}, view{}); d != nil {
			t.Errorf("got %+v", d)
		}
		if m := renderMessage(bot.Reply{Status: bot.StatusDuplicate}, nil); m != nil {
			t.Errorf("got %+v", m)
		}
	})
	t.Run("user text is not markdown", func(t *testing.T) {
		r := b.Handle(ctx, bot.Request{Options: &bot.Options{Title: "**Zzyzx** ||x|| @everyone"}})
		d := renderData(r, view{})
		if s := d.Embeds[0].Description; strings.Contains(s, "||x||") || !strings.Contains(s, `\|\|x\|\|`) {
			t.Errorf("title not escaped: %q", s)
		}
	})
	t.Run("user text never becomes a link", func(t *testing.T) {
		hostile := []string{
			"[Free Nitro](https://evil.example)",
			"[https://discord.com](https://evil.example)",
			"https://evil.example/nitro",
			"HTTPS://EVIL.EXAMPLE",
			"<https://evil.example>",
			"<steam:/run/1>",
			"discord://-/channels/1/2",
			"[x]\\(https://evil.example)",
			"\\[x\\](https://evil.example)",
			"[x](<https://evil.example>)",
		}
		for _, title := range hostile {
			for _, r := range []bot.Reply{
				b.Handle(ctx, bot.Request{Platform: Platform, Options: &bot.Options{Title: title}}),
				b.Handle(ctx, bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "is " + title + " family-safe?"}),
			} {
				d := renderData(r, view{})
				for _, e := range d.Embeds {
					for _, text := range embedTexts(e) {
						if linkLike.MatchString(text) || maskedLink.MatchString(text) {
							t.Errorf("%q: rendered %q, which Discord would show as a link", title, text)
						}
					}
				}
			}
		}
	})
	t.Run("many candidates become a select menu", func(t *testing.T) {
		var refs []bot.TitleRef
		for i := range 30 {
			refs = append(refs, bot.TitleRef{ID: "t-" + strings.Repeat("x", i), Title: "T", Year: 2000 + i})
		}
		c := choices(refs, customID{Action: actionPick, Age: 8})
		row := c[0].(discordgo.ActionsRow)
		menu, ok := row.Components[0].(discordgo.SelectMenu)
		if !ok {
			t.Fatalf("got %T, want a select menu", row.Components[0])
		}
		if len(menu.Options) != maxSelectOpts || menu.CustomID != "adv:pick::8:" {
			t.Errorf("menu %q with %d options", menu.CustomID, len(menu.Options))
		}
	})
	t.Run("long ids fall back to a select menu", func(t *testing.T) {
		c := choices([]bot.TitleRef{{ID: strings.Repeat("y", 95), Title: "Y", Year: 2001}}, customID{Action: actionPick})
		if _, ok := c[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu); !ok {
			t.Errorf("a custom_id over 100 characters must not be a button")
		}
	})
	t.Run("clip", func(t *testing.T) {
		if got := clip("ééééé", 3); got != "éé…" {
			t.Errorf("clip = %q", got)
		}
		if got := clip("abc", 3); got != "abc" {
			t.Errorf("clip = %q", got)
		}
	})
}

// linkLike is a scheme's colon and slash side by side: how every URL form
// Discord links starts (https://…, <scheme:/…>).
var linkLike = regexp.MustCompile(`:/`)

// maskedLink is "](" not escaped: the middle of a masked link.
var maskedLink = regexp.MustCompile(`(^|[^\\])(\\\\)*\]\(`)

// embedTexts are the markdown texts of an embed (not its url).
func embedTexts(e *discordgo.MessageEmbed) []string {
	texts := []string{e.Title, e.Description}
	for _, f := range e.Fields {
		texts = append(texts, f.Name, f.Value)
	}
	if e.Footer != nil {
		texts = append(texts, e.Footer.Text)
	}
	return texts
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ballerina", "Ballerina"},
		{"[Free Nitro](https://evil.example)", `\[Free Nitro\]\(https:` + zwsp + `//evil.example\)`},
		{"**x** ||y|| `z` ~~w~~ > q _u_", "\\*\\*x\\*\\* \\|\\|y\\|\\| \\`z\\` \\~\\~w\\~\\~ \\> q \\_u\\_"},
		{`a\b`, `a\\b`},
		{"<steam:/run>", "<steam:" + zwsp + "/run\\>"},
		{"time 10:30 / 2", "time 10:30 / 2"},
		{"Ballerina (2016) · film · PG", `Ballerina \(2016\) · film · PG`},
		{"@everyone", "@everyone"}, // shown as typed; allowed_mentions keeps it from pinging
	}
	for _, tc := range tests {
		if got := escape(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCustomID(t *testing.T) {
	round := []customID{
		{Action: actionPick, ID: "ballerina-2016"},
		{Action: actionPick, ID: "ballerina-2016", Age: 8, Topic: "profanity"},
		{Action: actionShare, ID: "ballerina-2023", Age: 12},
		{Action: actionDetails, ID: "ballerina-2023", Age: 12, Topic: "violence"},
		{Action: actionPick},
	}
	for _, c := range round {
		got, err := parseCustomID(c.String())
		if err != nil || got != c {
			t.Errorf("parse(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
	}
	bad := []string{"", "adv", "adv:pick:x:8", "xyz:pick:x:8:", "adv:drop:x::", "adv:pick:x:abc:", "adv:pick:x:0:",
		"adv:pick:x:100:", "adv:pick:x::gore", "adv:pick:x:::", "adv:pick:" + strings.Repeat("z", 100) + "::"}
	for _, s := range bad {
		if c, err := parseCustomID(s); err == nil {
			t.Errorf("parse(%q) = %+v, want an error", s, c)
		}
	}
}
