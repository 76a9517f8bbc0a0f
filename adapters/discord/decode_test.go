package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestDecodeMatchesDiscordgo: on Discord-shaped payloads the adapter's
// small struct reads the same fields as discordgo's full decoder.
func TestDecodeMatchesDiscordgo(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "interactions", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatal("no payloads", err)
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			body, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeInteraction(body)
			if err != nil {
				t.Fatal(err)
			}
			var want discordgo.Interaction
			if err := json.Unmarshal(body, &want); err != nil {
				t.Fatal(err)
			}
			if got.ID != want.ID || got.ApplicationID != want.AppID || got.Type != want.Type || got.Token != want.Token ||
				got.GuildID != want.GuildID || got.ChannelID != want.ChannelID {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
			wantUser := ""
			if want.Member != nil && want.Member.User != nil {
				wantUser = want.Member.User.ID
			} else if want.User != nil {
				wantUser = want.User.ID
			}
			if got.userID() != wantUser {
				t.Errorf("user %q, want %q", got.userID(), wantUser)
			}
			if want.Member != nil && (got.Member == nil || got.Member.Permissions != strconv.FormatInt(want.Member.Permissions, 10)) {
				t.Errorf("member %+v, want permissions %d", got.Member, want.Member.Permissions)
			}
			if want.Message != nil && (got.Message == nil || got.Message.Flags != want.Message.Flags) {
				t.Errorf("message %+v, want flags %d", got.Message, want.Message.Flags)
			}
			switch d := want.Data.(type) {
			case discordgo.ApplicationCommandInteractionData:
				if got.Data.Name != d.Name || len(got.Data.Options) != len(d.Options) {
					t.Errorf("data %+v, want %+v", got.Data, d)
				}
			case discordgo.MessageComponentInteractionData:
				if got.Data.CustomID != d.CustomID || strings.Join(got.Data.Values, ",") != strings.Join(d.Values, ",") {
					t.Errorf("data %+v, want %+v", got.Data, d)
				}
			}
		})
	}
}

func TestDecodeInteraction(t *testing.T) {
	good := []string{
		` {"type":1} `,
		`{"type":2,"id":"1","token":"t\"x","member":null,"user":null,"message":null,"data":null,"extra":[1,-2.5e3,true,false,null,{"a":[[]]},"\u00e9"]}`,
		`{"type":2,"id":"\u0031","token":"t"}`,
	}
	for _, s := range good {
		if _, err := decodeInteraction([]byte(s)); err != nil {
			t.Errorf("decode(%s): %v", s, err)
		}
	}
	bad := []string{
		``, `null`, `[]`, `{}`, `{"type":"x"}`, `{"type":2}`, `{"type":2,"id":"1"}`, `{"type":2,"id":"1","token":"t","data":[]}`,
		`{"type":1}x`, `{"type":1,}`, `{"type" 1}`, `{"type":1`, `{"type":1,"x":"`, `{"type":1,"x":[1,}`, `{type:1}`,
		`{"type":"1"}`, `{"type":256}`, `{"type":-1}`, `{"type":2,"id":1,"token":"t"}`, `{"type":2,"id":"1","token":"t","member":[]}`,
		`{"type":2,"id":"1","token":"t","message":{"flags":"x"}}`, `{"type":2,"id":"1","token":"t","data":{"options":{}}}`,
	}
	for _, s := range bad {
		if i, err := decodeInteraction([]byte(s)); err == nil || !errors.Is(err, ErrBadInteraction) {
			t.Errorf("decode(%s) = %+v, %v; want ErrBadInteraction", s, i, err)
		}
	}
	i, err := decodeInteraction([]byte(`{"type":2,"id":"1","token":"t\"x"}`))
	if err != nil || i.Token != `t"x` {
		t.Errorf("escaped token: %+v %v", i, err)
	}
	if i, err := decodeInteraction([]byte(`{"type":1}`)); err != nil || i.Type != discordgo.InteractionPing {
		t.Errorf("ping: %+v, %v", i, err)
	}
}

func BenchmarkDecode(b *testing.B) {
	body, err := os.ReadFile("testdata/interactions/command_realistic.json")
	if err != nil {
		b.Fatal(err)
	}
	body = bytes.TrimSpace(body)
	b.Run("interaction", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeInteraction(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("discordgo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var i discordgo.Interaction
			if err := json.Unmarshal(body, &i); err != nil {
				b.Fatal(err)
			}
		}
	})
}
