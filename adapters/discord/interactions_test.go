package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
)

func respond(t *testing.T, h *Handler, body []byte) respView {
	t.Helper()
	i, err := decodeInteraction(body)
	if err != nil {
		t.Fatal(err)
	}
	var sent [][]byte
	err = h.interact(context.Background(), i, func(b []byte, deferred bool) {
		if deferred {
			t.Error("answered within the budget, yet deferred")
		}
		sent = append(sent, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 {
		t.Fatalf("sent %d responses, want 1", len(sent))
	}
	return decodeResponse(t, sent[0])
}

func TestRespond(t *testing.T) {
	ephemeralMsg := map[string]any{"message": map[string]any{"id": "800000000000000008", "flags": 64}}
	publicMsg := map[string]any{"message": map[string]any{"id": "800000000000000008", "flags": 0}}
	tests := []struct {
		name      string
		body      []byte
		typ       discordgo.InteractionResponseType
		title     string // first embed's title
		ephemeral bool
		ids       []string // component custom_ids
		req       *bot.Options
	}{
		{"command found", payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina"), opt("year", discordgo.ApplicationCommandOptionInteger, 2023)), nil),
			discordgo.InteractionResponseChannelMessageWithSource, "Ballerina (2023) · film · TV-MA", true,
			[]string{"adv:details:ballerina-2023:12:", "adv:share:ballerina-2023:12:"}, &bot.Options{Title: "Ballerina", Year: 2023}},
		{"command with age and topic", payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina 2023"), opt("age", discordgo.ApplicationCommandOptionInteger, 17), opt("topic", discordgo.ApplicationCommandOptionString, "profanity")), nil),
			discordgo.InteractionResponseChannelMessageWithSource, "Ballerina (2023) · film · TV-MA", true,
			[]string{"adv:details:ballerina-2023:17:profanity", "adv:share:ballerina-2023:17:profanity"}, &bot.Options{Title: "Ballerina 2023", Age: 17, Topic: "profanity"}},
		{"command from autocomplete", payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "id:ballerina-2016")), nil),
			discordgo.InteractionResponseChannelMessageWithSource, "Ballerina (2016) · film · PG", true,
			[]string{"adv:share:ballerina-2016:12:"}, &bot.Options{ID: "ballerina-2016"}},
		{"command ambiguous", payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina")), nil),
			discordgo.InteractionResponseChannelMessageWithSource, "Which one do you mean?", true,
			[]string{"adv:pick:ballerina-2016::", "adv:pick:ballerina-2023::"}, &bot.Options{Title: "Ballerina"}},
		{"unknown command", payload(t, discordgo.InteractionApplicationCommand, map[string]any{"name": "other"}, nil),
			discordgo.InteractionResponseChannelMessageWithSource, "I don't know that command.", true, nil, nil},
		{"pick updates the message", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:ballerina-2023:8:"), ephemeralMsg),
			discordgo.InteractionResponseUpdateMessage, "Ballerina (2023) · film · TV-MA", true,
			[]string{"adv:details:ballerina-2023:8:", "adv:share:ballerina-2023:8:"}, &bot.Options{ID: "ballerina-2023", Age: 8}},
		{"pick on a public message", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:ballerina-2023::"), publicMsg),
			discordgo.InteractionResponseUpdateMessage, "Ballerina (2023) · film · TV-MA", false,
			[]string{"adv:details:ballerina-2023:12:"}, &bot.Options{ID: "ballerina-2023"}},
		{"pick from a select menu", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:::violence", "ballerina-2016"), ephemeralMsg),
			discordgo.InteractionResponseUpdateMessage, "Ballerina (2016) · film · PG", true,
			[]string{"adv:share:ballerina-2016:12:violence"}, &bot.Options{ID: "ballerina-2016", Topic: "violence"}},
		{"share posts publicly", payload(t, discordgo.InteractionMessageComponent, componentData("adv:share:ballerina-2023:12:"), ephemeralMsg),
			discordgo.InteractionResponseChannelMessageWithSource, "Ballerina (2023) · film · TV-MA", false,
			[]string{"adv:details:ballerina-2023:12:"}, &bot.Options{ID: "ballerina-2023", Age: 12}},
		{"details", payload(t, discordgo.InteractionMessageComponent, componentData("adv:details:ballerina-2023:12:"), publicMsg),
			discordgo.InteractionResponseChannelMessageWithSource, "Details: Ballerina (2023) · film · TV-MA", true, nil, &bot.Options{ID: "ballerina-2023", Age: 12}},
		{"stale choice", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:gone-1999::"), ephemeralMsg),
			discordgo.InteractionResponseUpdateMessage, "That choice is no longer available.", true, nil, &bot.Options{ID: "gone-1999"}},
		{"unknown button", payload(t, discordgo.InteractionMessageComponent, componentData("someone-else:1"), publicMsg),
			discordgo.InteractionResponseChannelMessageWithSource, "I don't recognise that button.", true, nil, nil},
		{"empty select", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:::"), publicMsg),
			discordgo.InteractionResponseChannelMessageWithSource, "Nothing was chosen.", true, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := &countingBot{Answerer: fixtureBot(t)}
			r := respond(t, newTestHandler(t, cb, nil), tc.body)
			if discordgo.InteractionResponseType(r.Type) != tc.typ {
				t.Errorf("type %d, want %d", r.Type, tc.typ)
			}
			if r.title() != tc.title {
				t.Errorf("title %q, want %q", r.title(), tc.title)
			}
			if got := r.Data.Flags&64 != 0; got != tc.ephemeral && tc.typ != discordgo.InteractionResponseUpdateMessage {
				t.Errorf("ephemeral %v, want %v", got, tc.ephemeral)
			}
			if !slices.Equal(r.customIDs(), tc.ids) {
				t.Errorf("custom_ids %q, want %q", r.customIDs(), tc.ids)
			}
			if r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil || len(r.Data.AllowedMentions.Parse) != 0 {
				t.Errorf("allowed_mentions %+v, want an empty parse list", r.Data.AllowedMentions)
			}
			if tc.req == nil {
				if cb.handled.Load() != 0 {
					t.Error("the bot was asked")
				}
				return
			}
			req := cb.lastRequest()
			if *req.Options != *tc.req {
				t.Errorf("options %+v, want %+v", *req.Options, *tc.req)
			}
			if req.Platform != Platform || req.UserID != "500000000000000005" || req.Community != "300000000000000003" || req.Conversation != "400000000000000004" {
				t.Errorf("request %+v", req)
			}
		})
	}
}

func TestAutocomplete(t *testing.T) {
	focused := func(v any) []byte {
		o := opt("title", discordgo.ApplicationCommandOptionString, v)
		o["focused"] = true
		return payload(t, discordgo.InteractionApplicationCommandAutocomplete, commandData(o), nil)
	}
	tests := []struct {
		name string
		body []byte
		want []string // choice names
	}{
		{"prefix", focused("Bal"), []string{"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA"}},
		{"typo", focused("balerina"), []string{"Ballerina (2016) · film · PG", "Ballerina (2023) · film · TV-MA"}},
		{"nothing", focused("zzzzzzzz"), []string{}},
		{"no focus", payload(t, discordgo.InteractionApplicationCommandAutocomplete, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Bal")), nil), []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := respond(t, newTestHandler(t, fixtureBot(t), nil), tc.body)
			if r.Type != int(discordgo.InteractionApplicationCommandAutocompleteResult) {
				t.Errorf("type %d", r.Type)
			}
			names := []string{}
			for _, c := range r.Data.Choices {
				names = append(names, c.Name)
				if !strings.HasPrefix(c.Value, titleIDPrefix) {
					t.Errorf("choice value %q does not carry the review id", c.Value)
				}
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("choices %q, want %q", names, tc.want)
			}
		})
	}
}

// TestDeferral: past the budget the callback is a deferral and the answer
// follows, before interact returns, by editing the original response.
func TestDeferral(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"command", payload(t, discordgo.InteractionApplicationCommand, commandData(opt("title", discordgo.ApplicationCommandOptionString, "Ballerina 2023")), nil), `{"type":5,"data":{"flags":64}}`},
		{"pick", payload(t, discordgo.InteractionMessageComponent, componentData("adv:pick:ballerina-2023::"), nil), `{"type":6}`},
		{"share", payload(t, discordgo.InteractionMessageComponent, componentData("adv:share:ballerina-2023::"), nil), `{"type":5}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { synctest.Test(t, func(t *testing.T) { testDeferral(t, tc.body, tc.want) }) })
	}
}

func testDeferral(t *testing.T, body []byte, want string) {
	s := newRecordingSender()
	// The default budget (2 s) and timeout (10 s); the bot takes 3 s.
	h, err := NewHandler(Config{Bot: &countingBot{Answerer: fixtureBot(t), delay: 3 * time.Second}, Sender: s})
	if err != nil {
		t.Fatal(err)
	}
	i, err := decodeInteraction(body)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	type sent struct {
		body     []byte
		deferred bool
		at       time.Duration
	}
	var got []sent
	err = h.interact(context.Background(), i, func(b []byte, deferred bool) {
		// The answer must not be edited in before the deferral is out.
		if len(s.edited()) > 0 {
			t.Error("follow-up sent before the deferral")
		}
		got = append(got, sent{b, deferred, time.Since(start)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].deferred || string(got[0].body) != want || got[0].at != 2*time.Second {
		t.Fatalf("sent %+v, want one deferral %s at 2s", got, want)
	}
	e := s.edited()
	if len(e) != 1 || len(e[0].Embeds) == 0 || e[0].Embeds[0].Title != "Ballerina (2023) · film · TV-MA" {
		t.Fatalf("follow-up %+v", e)
	}
	if am := e[0].AllowedMentions; am == nil || am.Parse == nil || len(am.Parse) != 0 {
		t.Errorf("follow-up allowed_mentions %+v", am)
	}
}

// TestAnswerTimeout: when the bot is still working at the answer timeout
// (10 s by default), the deferral is edited to say it took too long and
// what to do, and an answer that comes later is dropped.
func TestAnswerTimeout(t *testing.T) {
	for _, honoursCtx := range []bool{true, false} {
		t.Run(fmt.Sprintf("bot honours its context: %v", honoursCtx), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newRecordingSender()
				bb := newBlockingBot(fixtureBot(t), honoursCtx)
				h, err := NewHandler(Config{Bot: bb, Sender: s})
				if err != nil {
					t.Fatal(err)
				}
				i, err := decodeInteraction(ballerinaCommand(t))
				if err != nil {
					t.Fatal(err)
				}
				var deferrals []string
				done := make(chan error)
				go func() {
					done <- h.interact(context.Background(), i, func(b []byte, deferred bool) {
						if deferred {
							deferrals = append(deferrals, string(b))
						}
					})
				}()
				time.Sleep(10*time.Second - time.Nanosecond)
				synctest.Wait()
				if n := len(s.edited()); n != 0 {
					t.Fatalf("%d edits before the timeout", n)
				}
				time.Sleep(time.Nanosecond)
				synctest.Wait()
				e := s.edited()
				if len(e) != 1 || len(e[0].Embeds) == 0 || e[0].Embeds[0].Title != "Sorry, that took too long to answer." ||
					e[0].Embeds[0].Description != "Please try again in a minute with /advisory." || len(e[0].Components) != 0 {
					t.Fatalf("at the timeout: edits %s, want one saying it took too long", mustMarshal(t, e))
				}
				if am := e[0].AllowedMentions; am == nil || am.Parse == nil || len(am.Parse) != 0 {
					t.Errorf("allowed_mentions %+v", am)
				}
				if !honoursCtx {
					select {
					case <-done:
						t.Fatal("interact returned while the bot was still working")
					default:
					}
				}
				close(bb.release)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				if len(deferrals) != 1 || deferrals[0] != `{"type":5,"data":{"flags":64}}` {
					t.Errorf("deferrals %q", deferrals)
				}
				if n := len(s.edited()); n != 1 {
					t.Errorf("%d edits, want only the one saying it took too long: the late answer must be dropped", n)
				}
			})
		})
	}
}

// TestReplayAfterDeferral: a replay recognised only after the deferral
// went out (a slow Deduper) does not edit the original response, which
// belongs to the first delivery.
func TestReplayAfterDeferral(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newRecordingSender()
		h, err := NewHandler(Config{Bot: slowDuplicate{}, Sender: s})
		if err != nil {
			t.Fatal(err)
		}
		i, err := decodeInteraction(ballerinaCommand(t))
		if err != nil {
			t.Fatal(err)
		}
		deferred := 0
		if err := h.interact(context.Background(), i, func(_ []byte, d bool) {
			if d {
				deferred++
			}
		}); err != nil || deferred != 1 {
			t.Fatalf("deferrals %d, err %v", deferred, err)
		}
		if e := s.edited(); len(e) != 0 {
			t.Errorf("a replay edited the original response: %s", mustMarshal(t, e))
		}
	})
}

// slowDuplicate recognises every request as a duplicate, after 3 s (of a
// synctest bubble's fake time).
type slowDuplicate struct{ Answerer }

func (slowDuplicate) Handle(context.Context, bot.Request) bot.Reply {
	time.Sleep(3 * time.Second)
	return bot.Reply{Status: bot.StatusDuplicate}
}

func TestNewHandlerTimeouts(t *testing.T) {
	b := fixtureBot(t)
	if _, err := NewHandler(Config{Bot: b, Sender: newRecordingSender(), Budget: 3 * time.Second, AnswerTimeout: 3 * time.Second}); err == nil {
		t.Error("an answer timeout no longer than the budget was accepted")
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOptInt(t *testing.T) {
	tests := []struct {
		v    any
		want int
	}{{float64(12), 12}, {float64(12.5), 0}, {float64(-3), 0}, {"17", 17}, {" 8 ", 8}, {"x", 0}, {nil, 0}, {true, 0}, {float64(1e20), 0}}
	for _, tc := range tests {
		if got := optInt(tc.v); got != tc.want {
			t.Errorf("optInt(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}
