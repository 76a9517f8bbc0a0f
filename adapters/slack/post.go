package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/slack-go/slack"
)

// response is a message sent through response_url or in a slash command's
// HTTP response body, as Slack reads it.
type response struct {
	ResponseType    string `json:"response_type,omitempty"`
	ReplaceOriginal bool   `json:"replace_original,omitempty"`
	DeleteOriginal  bool   `json:"delete_original,omitempty"`
	Message
}

// marshal is json.Marshal without HTML escaping: Slack reads JSON, not
// HTML, and "\u0026" is six bytes where "&" is one. (User text is escaped
// for mrkdwn before it gets here.)
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(2 << 10) // an advisory's answer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// respond POSTs to a response_url.
func (a *Adapter) respond(ctx context.Context, url string, r response) error {
	if url == "" {
		return errors.New("no response_url to answer through")
	}
	body, err := marshal(r)
	if err != nil {
		return fmt.Errorf("encoding response: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building response_url request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("posting to response_url: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("posting to response_url: status %s", res.Status)
	}
	return nil
}

func (a *Adapter) api() (WebAPI, error) {
	if a.cfg.API == nil {
		return nil, errors.New("no Slack Web API client (bot token) configured")
	}
	return a.cfg.API, nil
}

func msgOptions(m Message) []slack.MsgOption {
	// The text is already escaped: Slack must not escape it again.
	return []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionDisableLinkUnfurl()}
}

// postInThread answers with chat.postMessage in the thread of threadTS.
func (a *Adapter) postInThread(ctx context.Context, channel, threadTS string, m Message) error {
	api, err := a.api()
	if err != nil {
		return err
	}
	opts := append(msgOptions(m), slack.MsgOptionTS(threadTS))
	if _, _, err := api.PostMessageContext(ctx, channel, opts...); err != nil {
		return fmt.Errorf("chat.postMessage in %s thread %s: %w", channel, threadTS, err)
	}
	return nil
}

// replace updates the clicked message: chat.update for messages the bot
// posted, response_url for ephemeral ones (chat.update cannot reach them) or
// when chat.update fails.
func (a *Adapter) replace(ctx context.Context, act action, m Message) error {
	if m.Empty() {
		return nil
	}
	if !act.ephemeral && act.channel != "" && act.ts != "" && a.cfg.API != nil {
		_, _, _, err := a.cfg.API.UpdateMessageContext(ctx, act.channel, act.ts, msgOptions(m)...)
		if err == nil {
			return nil
		}
		if act.url == "" {
			return fmt.Errorf("chat.update of %s in %s: %w", act.ts, act.channel, err)
		}
		a.log.WarnContext(ctx, "chat.update failed; using response_url", "err", err)
	}
	return a.respond(ctx, act.url, response{ReplaceOriginal: true, Message: m})
}

// share posts the advisory in the channel for everyone, then removes the
// ephemeral original.
func (a *Adapter) share(ctx context.Context, act action, m Message) error {
	if m.Empty() {
		return nil
	}
	if act.url == "" {
		if act.channel == "" {
			return errors.New("share: no channel and no response_url")
		}
		api, err := a.api()
		if err != nil {
			return err
		}
		if _, _, err := api.PostMessageContext(ctx, act.channel, msgOptions(m)...); err != nil {
			return fmt.Errorf("chat.postMessage share in %s: %w", act.channel, err)
		}
		return nil
	}
	if err := a.respond(ctx, act.url, response{ResponseType: slack.ResponseTypeInChannel, Message: m}); err != nil {
		return fmt.Errorf("sharing: %w", err)
	}
	if act.ephemeral {
		if err := a.respond(ctx, act.url, response{DeleteOriginal: true}); err != nil {
			return fmt.Errorf("removing the ephemeral original after sharing: %w", err)
		}
	}
	return nil
}
