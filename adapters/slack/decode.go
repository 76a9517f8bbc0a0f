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

const formType = "application/x-www-form-urlencoded"

// DecodeCommand parses a slash command's form body with url.ParseQuery
// into slack-go's SlashCommand. (slack.SlashCommandParse does the same from
// an *http.Request; here the body has been read for the signature already,
// and a request rebuilt around it would be read and copied again.)
func DecodeCommand(body []byte) (slack.SlashCommand, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return slack.SlashCommand{}, fmt.Errorf("%w: slash command form: %v", errBadPayload, err)
	}
	c := slack.SlashCommand{ // every field, as slack.SlashCommandParse fills them
		Token:               form.Get("token"),
		TeamID:              form.Get("team_id"),
		TeamDomain:          form.Get("team_domain"),
		EnterpriseID:        form.Get("enterprise_id"),
		EnterpriseName:      form.Get("enterprise_name"),
		IsEnterpriseInstall: form.Get("is_enterprise_install") == "true",
		ChannelID:           form.Get("channel_id"),
		ChannelName:         form.Get("channel_name"),
		UserID:              form.Get("user_id"),
		UserName:            form.Get("user_name"),
		Command:             form.Get("command"),
		Text:                form.Get("text"),
		ResponseURL:         form.Get("response_url"),
		TriggerID:           form.Get("trigger_id"),
		APIAppID:            form.Get("api_app_id"),
	}
	if c.Command == "" || c.UserID == "" {
		return slack.SlashCommand{}, fmt.Errorf("%w: not a slash command (no command or user_id)", errBadPayload)
	}
	return c, nil
}

// isSSLCheck reports Slack's check of a slash command URL's certificate: a
// form with ssl_check=1 (and a token), and no command.
func isSSLCheck(body []byte) bool {
	if !bytes.Contains(body, []byte("ssl_check=")) {
		return false
	}
	form, err := url.ParseQuery(string(body))
	return err == nil && form.Get("ssl_check") == "1" && form.Get("command") == ""
}

// DecodeEvent parses an Events API body with slackevents.ParseEvent. The
// signature has been checked, so the deprecated verification token is not.
// Only the envelope types the Events API sends are accepted.
func DecodeEvent(body []byte) (slackevents.EventsAPIEvent, error) {
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		return slackevents.EventsAPIEvent{}, fmt.Errorf("%w: event: %v", errBadPayload, err)
	}
	switch ev.Type {
	case slackevents.URLVerification:
		if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); !ok || v.Challenge == "" {
			return slackevents.EventsAPIEvent{}, fmt.Errorf("%w: url_verification without a challenge", errBadPayload)
		}
	case slackevents.CallbackEvent, slackevents.AppRateLimited:
	default:
		return slackevents.EventsAPIEvent{}, fmt.Errorf("%w: unknown Events API type %q", errBadPayload, ev.Type)
	}
	return ev, nil
}

// DecodeInteraction parses an interactivity request: a form whose
// "payload" field is slack-go's InteractionCallback in JSON.
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
