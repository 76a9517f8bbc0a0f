package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// errBadPayload marks a request whose body cannot be decoded: HTTP 400.
var errBadPayload = errors.New("bad payload")

// commandFields are the form fields DecodeCommand keeps, in the order of
// the indexes commandField gives. Fields the adapter never reads
// (channel_id, trigger_id, api_app_id, user_name, ...) are skipped
// undecoded.
var commandFields = [...]string{"command", "text", "user_id", "team_id", "response_url"}

// responseURLField is response_url's index in commandFields: kept as sent.
const responseURLField = 4

// Command is a slash command as the adapter reads it.
type Command struct {
	Command string // "/advisory"
	Text    string
	UserID  string
	TeamID  string
	// responseURL is response_url still form-encoded: only an answer that
	// misses the ack needs it, so the hot path does not decode its many
	// escapes.
	responseURL string
}

// ResponseURL is the command's response_url, decoded.
func (c Command) ResponseURL() (string, error) {
	u, err := url.QueryUnescape(c.responseURL)
	if err != nil {
		return "", fmt.Errorf("%w: slash command field response_url: %v", errBadPayload, err)
	}
	return u, nil
}

// DecodeCommand parses a slash command's form body as url.ParseQuery would
// (the first value of a field wins), reading only the fields the adapter
// uses; response_url is decoded when it is asked for. Slash commands are
// the hot path, so it makes one allocation: the values are written into
// one string and sliced from it.
func DecodeCommand(body []byte) (Command, error) {
	var raw [len(commandFields)][]byte
	var seen [len(commandFields)]bool
	size := 0
	for rest := body; len(rest) > 0; {
		pair := rest
		if i := bytes.IndexByte(rest, '&'); i >= 0 {
			pair, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		k, v := pair, []byte(nil)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			k, v = pair[:i], pair[i+1:]
		}
		i := commandField(k)
		if i < 0 || seen[i] {
			continue
		}
		seen[i], raw[i] = true, v
		size += len(v)
	}
	// Decoded into a buffer on the stack (values only shrink), then copied
	// into the one string every field is sliced from.
	var scratch [256]byte
	out := scratch[:]
	if size > len(scratch) {
		out = make([]byte, size)
	}
	var ends [len(commandFields)]int
	n := 0
	for i, v := range raw {
		if i == responseURLField {
			n += copy(out[n:], v)
		} else {
			m, err := decodeFormValue(out[n:], v)
			if err != nil {
				return Command{}, fmt.Errorf("%w: slash command field %s: %v", errBadPayload, commandFields[i], err)
			}
			n += m
		}
		ends[i] = n
	}
	s := string(out[:n])
	c := Command{ // in the order of commandFields
		Command:     s[:ends[0]],
		Text:        s[ends[0]:ends[1]],
		UserID:      s[ends[1]:ends[2]],
		TeamID:      s[ends[2]:ends[3]],
		responseURL: s[ends[3]:ends[4]],
	}
	if c.Command == "" || c.UserID == "" {
		return Command{}, fmt.Errorf("%w: not a slash command (no command or user_id)", errBadPayload)
	}
	return c, nil
}

// commandField is the index of a form key in commandFields, or -1.
func commandField(k []byte) int {
	switch string(k) { // compared in place: no allocation
	case "command":
		return 0
	case "text":
		return 1
	case "user_id":
		return 2
	case "team_id":
		return 3
	case "response_url":
		return responseURLField
	}
	// Keys are escaped like values, though Slack never escapes these. A
	// "+" decodes to a space, which no field name has.
	if bytes.IndexByte(k, '%') >= 0 {
		if u, err := url.QueryUnescape(string(k)); err == nil && u != string(k) {
			return commandField([]byte(u))
		}
	}
	return -1
}

// decodeFormValue writes v, decoded from application/x-www-form-urlencoded
// ("+" is a space, "%XX" a byte), to dst, which is at least as long, and
// says how many bytes it wrote.
func decodeFormValue(dst, v []byte) (int, error) {
	dst = dst[:len(v)]
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case '+':
			c = ' '
		case '%':
			if i+2 >= len(v) || !isHex(v[i+1]) || !isHex(v[i+2]) {
				return 0, fmt.Errorf("invalid escape %q", v[i:min(i+3, len(v))])
			}
			c = unhex(v[i+1])<<4 | unhex(v[i+2])
			i += 2
		}
		dst[n] = c
		n++
	}
	return n, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
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
