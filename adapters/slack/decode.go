package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// errBadPayload marks a request whose body cannot be decoded: HTTP 400.
var errBadPayload = errors.New("bad payload")

// DecodeCommand parses a slash command's form body. It reads only the
// fields the adapter uses, without building a url.Values map: slash
// commands are the hot path.
func DecodeCommand(body []byte) (slack.SlashCommand, error) {
	var c slack.SlashCommand
	s := string(body)
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		var dst *string
		switch k {
		case "command":
			dst = &c.Command
		case "text":
			dst = &c.Text
		case "user_id":
			dst = &c.UserID
		case "team_id":
			dst = &c.TeamID
		case "channel_id":
			dst = &c.ChannelID
		case "response_url":
			dst = &c.ResponseURL
		case "trigger_id":
			dst = &c.TriggerID
		case "enterprise_id":
			dst = &c.EnterpriseID
		case "api_app_id":
			dst = &c.APIAppID
		default:
			continue
		}
		if strings.IndexByte(v, '%') >= 0 || strings.IndexByte(v, '+') >= 0 {
			u, err := url.QueryUnescape(v)
			if err != nil {
				return slack.SlashCommand{}, fmt.Errorf("%w: slash command field %s: %v", errBadPayload, k, err)
			}
			v = u
		}
		*dst = v
	}
	if c.Command == "" || c.UserID == "" {
		return slack.SlashCommand{}, fmt.Errorf("%w: not a slash command (no command or user_id)", errBadPayload)
	}
	return c, nil
}

// Envelope is a decoded Events API request.
type Envelope struct {
	Type      string // url_verification, event_callback, app_rate_limited
	Challenge string
	TeamID    string
	EventID   string
	// Inner is *slackevents.AppMentionEvent or *slackevents.MessageEvent;
	// nil for event types the bot does not answer.
	Inner any
}

// DecodeEvent parses an Events API body. The outer envelope is routed here
// so that an event type the app did not expect is acknowledged and ignored,
// not rejected; the inner events use slackevents' types.
func DecodeEvent(body []byte) (Envelope, error) {
	var outer struct {
		Type      string          `json:"type"`
		Challenge string          `json:"challenge"`
		TeamID    string          `json:"team_id"`
		EventID   string          `json:"event_id"`
		Event     json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		return Envelope{}, fmt.Errorf("%w: event: %v", errBadPayload, err)
	}
	e := Envelope{Type: outer.Type, Challenge: outer.Challenge, TeamID: outer.TeamID, EventID: outer.EventID}
	switch outer.Type {
	case slackevents.URLVerification:
		if outer.Challenge == "" {
			return Envelope{}, fmt.Errorf("%w: url_verification without a challenge", errBadPayload)
		}
	case slackevents.AppRateLimited:
	case slackevents.CallbackEvent:
		if len(outer.Event) == 0 || bytes.Equal(outer.Event, []byte("null")) {
			return Envelope{}, fmt.Errorf("%w: event_callback without an event", errBadPayload)
		}
		inner, err := decodeInner(outer.Event)
		if err != nil {
			return Envelope{}, err
		}
		e.Inner = inner
	default:
		return Envelope{}, fmt.Errorf("%w: unknown Events API type %q", errBadPayload, outer.Type)
	}
	return e, nil
}

func decodeInner(raw json.RawMessage) (any, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%w: inner event: %v", errBadPayload, err)
	}
	var v any
	switch slackevents.EventsAPIType(head.Type) {
	case slackevents.AppMention:
		v = &slackevents.AppMentionEvent{}
	case slackevents.Message:
		v = &slackevents.MessageEvent{}
	default:
		return nil, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("%w: %s event: %v", errBadPayload, head.Type, err)
	}
	return v, nil
}

// DecodeInteraction parses an interactivity request: a form with a JSON
// "payload" field.
func DecodeInteraction(body []byte) (slack.InteractionCallback, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return slack.InteractionCallback{}, fmt.Errorf("%w: interaction form: %v", errBadPayload, err)
	}
	payload := form.Get("payload")
	if payload == "" {
		return slack.InteractionCallback{}, fmt.Errorf("%w: interaction without a payload", errBadPayload)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		return slack.InteractionCallback{}, fmt.Errorf("%w: interaction payload: %v", errBadPayload, err)
	}
	return cb, nil
}
