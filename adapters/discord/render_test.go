package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
	"advisorybot/internal/replyview"
	"advisorybot/internal/replyview/replytest"
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
	t.Run("details_certification", func(t *testing.T) {
		// An old Details button on a certification: the answer, for the clicker.
		got := marshalIndent(t, discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderDetails(replytest.Cases()[0].Reply)})
		checkGolden(t, "interaction_details_certification.json", got)
		checkNoMentions(t, got)
	})
	for _, tc := range handBuilt(t) {
		t.Run(tc.Name, func(t *testing.T) {
			got := marshalIndent(t, discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: renderData(tc.Reply, view{ephemeral: true})})
			checkGolden(t, "interaction_"+tc.Name+".json", got)
			checkNoMentions(t, got)
		})
	}
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

// handBuilt are the replies the fixture catalog cannot give, and a curated
// answer and help with notes and TMDB's notice.
func handBuilt(t *testing.T) []replytest.Case {
	t.Helper()
	b := fixtureBot(t)
	cases := replytest.Cases()
	notes := b.Handle(context.Background(), bot.Request{Platform: Platform, Options: &bot.Options{ID: "ballerina-2023"}})
	notes.Notes = []string{"Ballerina (2023), the Netflix film: other films or shows may share this name; add a year if you mean another."}
	notes.Notice = bot.TMDBNotice
	help := b.Handle(context.Background(), bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "help"})
	help.Notice = bot.TMDBNotice
	return append(cases, replytest.Case{Name: "curated_notes", Reply: notes}, replytest.Case{Name: "help_notice", Reply: help})
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
			// Titles, descriptors and notes from TMDB are outside text too.
			cert := replytest.Certification(replytest.CertSpec{Title: title, Year: 2020, Kind: bot.MediaFilm, TMDBID: 1, Age: 12,
				System: "MPAA", Value: "R", Country: "US", Descriptors: []string{title}, Release: "theatrical release (" + title + ")", Notes: []string{title}})
			amb := replytest.Ambiguous()
			amb.Candidates[1].Title = title
			for _, r := range []bot.Reply{
				b.Handle(ctx, bot.Request{Platform: Platform, Options: &bot.Options{Title: title}}),
				b.Handle(ctx, bot.Request{Platform: Platform, Kind: bot.KindMention, Text: "is " + title + " family-safe?"}),
				cert, amb,
			} {
				d := renderData(r, view{})
				if r.Status == bot.StatusFound {
					d.Embeds = append(d.Embeds, renderDetails(r).Embeds...)
				}
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
	t.Run("details fit in 6000 characters", func(t *testing.T) {
		long := strings.Repeat("é", 1500)
		r := b.Handle(ctx, bot.Request{Options: &bot.Options{ID: "ballerina-2023"}})
		a := *r.Advisory
		a.Lines = append([]bot.CategoryLine(nil), a.Lines...)
		for i := range a.Lines {
			a.Lines[i].Note = long
		}
		a.Logline, a.CriticVerdict, a.Themes = long, long, []string{long}
		r.Advisory = &a
		e := renderDetails(r).Embeds[0]
		total := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description) + utf8.RuneCountInString(e.Footer.Text)
		for _, f := range e.Fields {
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
			if utf8.RuneCountInString(f.Value) > maxFieldValue {
				t.Errorf("field %q of %d characters", f.Name, utf8.RuneCountInString(f.Value))
			}
		}
		if total > maxEmbedTotal || len(e.Fields) < len(a.Lines) {
			t.Errorf("embed of %d characters, %d fields", total, len(e.Fields))
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
		{Action: actionPick, ID: "tmdb:film:1184918", Age: 8, Topic: "violence"},
		{Action: actionDetails, ID: "tmdb:show:98765432", Age: 12},
		{Action: actionShare, ID: "tmdb:film:1"},
	}
	for _, c := range round {
		got, err := parseCustomID(c.String())
		if err != nil || got != c {
			t.Errorf("parse(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
	}
	bad := []string{"", "adv", "adv:pick:x:8", "xyz:pick:x:8:", "adv:drop:x::", "adv:pick:x:abc:", "adv:pick:x:0:",
		"adv:pick:x:100:", "adv:pick:x::gore", "adv:pick:x:::", "adv:pick:" + strings.Repeat("z", 100) + "::",
		"adv:pick:tmdb::1::", "adv:pick::film:1::", "adv:pick:tmdb:film:1:8", "adv:pick:Ballerina::", "adv:pick:a b::", "adv:pick:tmdb:film:<@1>::"}
	for _, s := range bad {
		if c, err := parseCustomID(s); err == nil {
			t.Errorf("parse(%q) = %+v, want an error", s, c)
		}
	}
}

// TestRenderAnswerRules: what users see names its source and never a file
// of the repository, never shows curators' notes, lists a category once
// per message, answers a topic question with that topic first, says when
// only the rating is known, and shows every note and TMDB's notice.
func TestRenderAnswerRules(t *testing.T) {
	b := fixtureBot(t)
	ctx := context.Background()
	var replies []bot.Reply
	for _, o := range []bot.Options{{ID: "ballerina-2023"}, {ID: "ballerina-2023", Age: 8}, {ID: "ballerina-2023", Age: 17},
		{ID: "ballerina-2023", Topic: "profanity"}, {ID: "ballerina-2016"}, {ID: "fixture-meadow-friends"}, {ID: "fixture-storm-harbor", Age: 9}} {
		replies = append(replies, b.Handle(ctx, bot.Request{Platform: Platform, Options: &o}))
	}
	for _, c := range handBuilt(t) {
		replies = append(replies, c.Reply)
	}
	for _, r := range replies {
		if r.Status != bot.StatusFound {
			d := renderData(r, view{})
			if r.Notice != "" && (d.Embeds[0].Footer == nil || !strings.Contains(d.Embeds[0].Footer.Text, r.Notice)) {
				t.Errorf("%s: notice not in the footer", r.Status)
			}
			continue
		}
		name := r.Match.Label()
		a := r.Advisory
		for _, d := range []*discordgo.InteractionResponseData{renderData(r, view{}), renderDetails(r)} {
			e := d.Embeds[0]
			all := strings.Join(embedTexts(e), "\n") + "\n" + e.URL
			if ref := a.Source.Reference; ref != "" && !strings.HasPrefix(ref, "https://") && strings.Contains(all, ref) {
				t.Errorf("%s: shows the file path %q", name, ref)
			}
			if !strings.Contains(e.Footer.Text, "Source: "+a.Source.Name) {
				t.Errorf("%s: footer %q does not name the source", name, e.Footer.Text)
			}
			if r.Notice != "" && !strings.Contains(e.Footer.Text, r.Notice) {
				t.Errorf("%s: footer %q lacks the notice", name, e.Footer.Text)
			}
			if a.Rating.Note != "" && strings.Contains(all, escape(a.Rating.Note)) {
				t.Errorf("%s: shows the curators' note", name)
			}
			for _, l := range a.Lines {
				if n := strings.Count(all, l.Label+":"); n > 1 {
					t.Errorf("%s: %q listed %d times in one message:\n%s", name, l.Label, n, all)
				}
			}
		}
		e := renderData(r, view{}).Embeds[0]
		for _, n := range r.Notes {
			if !strings.Contains(strings.Join(embedTexts(e), "\n"), escape(n)) {
				t.Errorf("%s: note %q not shown", name, n)
			}
		}
		if r.Focus != nil {
			l := a.Lines[0]
			if want := "**" + l.Label + ": " + l.Severity + "**"; !strings.HasPrefix(e.Description, want) {
				t.Errorf("%s: topic answer does not lead with %q: %q", name, want, e.Description)
			}
		}
		if r.Verdict.Evidence == bot.EvidenceRating {
			if r.Focus == nil && !strings.Contains(e.Description, escape(replyview.CertificationOnly)) {
				t.Errorf("%s: a certification answer does not say it is one: %q", name, e.Description)
			}
			if !strings.Contains(e.URL, "themoviedb.org") {
				t.Errorf("%s: no link to the source: %q", name, e.URL)
			}
		}
	}
}

// TestPickRoundTrip: every choice rendered for a list mixing review ids and
// TMDB ids comes back, through the interaction handler, as the bot's
// Options.ID, with the age asked — as buttons and as a select menu.
func TestPickRoundTrip(t *testing.T) {
	amb := replytest.Ambiguous()
	many := amb
	many.Candidates = nil
	for i := range 8 {
		many.Candidates = append(many.Candidates, bot.TitleRef{ID: replytest.TMDBID(bot.MediaShow, 900000000+i), Title: "Ballerina", Year: 2000 + i, Kind: bot.MediaShow})
	}
	for _, r := range []bot.Reply{amb, many} {
		rows := renderData(r, view{ephemeral: true}).Components
		type click struct{ customID, value, want string }
		var clicks []click
		for _, row := range rows {
			for _, c := range row.(discordgo.ActionsRow).Components {
				switch c := c.(type) {
				case discordgo.Button:
					if len(c.CustomID) > maxCustomID {
						t.Errorf("custom_id %q over %d characters", c.CustomID, maxCustomID)
					}
					clicks = append(clicks, click{c.CustomID, "", ""})
				case discordgo.SelectMenu:
					for _, o := range c.Options {
						clicks = append(clicks, click{c.CustomID, o.Value, o.Value})
					}
				}
			}
		}
		if len(clicks) != len(r.Candidates) {
			t.Fatalf("%d choices for %d candidates", len(clicks), len(r.Candidates))
		}
		for i, c := range clicks {
			want := r.Candidates[i].ID
			cb := &countingBot{Answerer: answerWith{r}}
			var values []string
			if c.value != "" {
				values = []string{c.value}
			}
			msg := map[string]any{"message": map[string]any{"id": "800000000000000008", "flags": 64}}
			respond(t, newTestHandler(t, cb, nil), payload(t, discordgo.InteractionMessageComponent, componentData(c.customID, values...), msg))
			got := cb.lastRequest().Options
			if got == nil || got.ID != want || got.Age != 8 {
				t.Errorf("choice %q %q reached the bot as %+v, want ID %q, age 8", c.customID, c.value, got, want)
			}
		}
	}
}

// answerWith answers every question with one reply.
type answerWith struct{ r bot.Reply }

func (a answerWith) Handle(context.Context, bot.Request) bot.Reply       { return a.r }
func (a answerWith) Suggest(context.Context, string, int) []bot.TitleRef { return nil }

// FuzzCustomID: any custom_id either fails to parse or parses to a value
// that writes back to a custom_id parsing to the same value.
func FuzzCustomID(f *testing.F) {
	for _, s := range []string{"adv:pick:ballerina-2016:8:", "adv:pick:tmdb:film:1184918:8:violence", "adv:details:tmdb:show:1:12:",
		"adv:pick:::", "adv:pick:tmdb::1::", "adv:share:a:b:c:d:e:f:g", "adv:pick:x:08:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCustomID(s)
		if err != nil {
			return
		}
		back, err := parseCustomID(c.String())
		if err != nil || back != c {
			t.Fatalf("%q parses to %+v, which writes %q, which parses to %+v, %v", s, c, c.String(), back, err)
		}
	})
}
