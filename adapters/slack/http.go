package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"advisorybot/bot"
)

// maxBody bounds a request body; interaction payloads carry the whole
// message, so they are the largest.
const maxBody = 1 << 20

// Commands is the HTTP endpoint for slash commands (/slack/commands). The
// answer goes in the response body when the bot answers within AckBudget;
// otherwise the request is acked and answered through response_url.
func (a *Adapter) Commands() http.Handler { return http.HandlerFunc(a.serveCommand) }

// Events is the Events API endpoint (/slack/events): URL verification,
// app_mention and direct messages. Events are acked at once and answered by
// the worker pool.
func (a *Adapter) Events() http.Handler { return http.HandlerFunc(a.serveEvent) }

// Interactions is the interactivity endpoint (/slack/interactions): button
// clicks, acked at once and answered by the worker pool.
func (a *Adapter) Interactions() http.Handler { return http.HandlerFunc(a.serveInteraction) }

// VerifyOnly is the load tests' baseline: the adapter's own request check
// (the body read and the signature verified exactly as for Commands), then
// an empty 200. It answers nothing and reaches no bot.
func (a *Adapter) VerifyOnly() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf, ok := a.verified(w, r)
		if !ok {
			return
		}
		a.release(buf)
		w.WriteHeader(http.StatusOK)
	})
}

// verified reads the body and checks Slack's signature over it. On failure
// it has already answered: 401 for a missing, stale or wrong signature, 413
// for an oversized body, 400 for an unreadable one. Nothing is processed.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) (*bytes.Buffer, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err != nil {
		a.reject(w, r, http.StatusUnauthorized, "signature headers", err)
		return nil, false
	}
	buf := a.buffer()
	body := r.Body
	if r.ContentLength >= 0 && r.ContentLength <= maxBody {
		// net/http stops a body of declared length at that length.
		buf.Grow(int(r.ContentLength))
	} else {
		body = http.MaxBytesReader(w, r.Body, maxBody) // chunked, or declared too large
	}
	if _, err := buf.ReadFrom(body); err != nil {
		a.release(buf)
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			a.reject(w, r, http.StatusRequestEntityTooLarge, "body too large", err)
		} else {
			a.reject(w, r, http.StatusBadRequest, "reading body", err)
		}
		return nil, false
	}
	_, _ = sv.Write(buf.Bytes())
	if err := sv.Ensure(); err != nil {
		a.release(buf)
		a.reject(w, r, http.StatusUnauthorized, "signature", err)
		return nil, false
	}
	return buf, true
}

func (a *Adapter) reject(w http.ResponseWriter, r *http.Request, code int, what string, err error) {
	a.log.WarnContext(r.Context(), "rejected slack request", "path", r.URL.Path, "status", code, "check", what, "err", err, "remote", r.RemoteAddr)
	http.Error(w, http.StatusText(code), code)
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	buf, ok := a.verified(w, r)
	if !ok {
		return
	}
	cmd, err := DecodeCommand(buf.Bytes())
	a.release(buf)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	req := commandRequest(cmd.Text, cmd.UserID, cmd.TeamID)
	// The bot's work must not be cut short by the request ending: a late
	// answer still goes out through response_url.
	base := context.WithoutCancel(r.Context())
	start := a.clock()
	if start < time.Duration(a.guardUntil.Load()) {
		a.commandGuarded(w, r, base, cmd, req)
		return
	}
	// Fast path: the bot answers from memory in microseconds, so it is
	// called inline and the answer goes in the ack. A goroutine and a timer
	// per request would cost a sixth of the throughput.
	reply := a.cfg.Bot.Handle(base, req)
	elapsed := a.clock() - start
	a.noteAnswerTime(r.Context(), elapsed)
	if elapsed > a.cfg.AckBudget {
		// Slack has probably given up on this response: answer through response_url too.
		w.WriteHeader(http.StatusOK)
		done := make(chan bot.Reply, 1)
		done <- reply
		go a.answerLate(base, cmd, done)
		return
	}
	a.writeCommand(w, reply)
}

// commandGuarded answers a slash command in the ack body if the bot answers
// within AckBudget, and otherwise acks empty and answers through response_url.
func (a *Adapter) commandGuarded(w http.ResponseWriter, r *http.Request, base context.Context, cmd Command, req bot.Request) {
	done := make(chan bot.Reply, 1)
	go func() {
		start := a.clock()
		reply := a.cfg.Bot.Handle(base, req)
		a.noteAnswerTime(base, a.clock()-start)
		done <- reply
	}()
	timer := time.NewTimer(a.cfg.AckBudget)
	defer timer.Stop()
	select {
	case reply := <-done:
		a.writeCommand(w, reply)
	case <-timer.C:
		// Too slow for the 3-second ack: ack empty, answer via response_url.
		w.WriteHeader(http.StatusOK)
		a.log.WarnContext(r.Context(), "slash command slower than the ack budget; answering through response_url", "budget", a.cfg.AckBudget)
		go a.answerLate(base, cmd, done)
	}
}

// clock is the time since the adapter was made, on the monotonic clock.
func (a *Adapter) clock() time.Duration { return time.Since(a.started) }

// noteAnswerTime keeps the ack guarded while the bot answers slowly (its
// shared store is struggling, most likely), and for GuardFor after.
func (a *Adapter) noteAnswerTime(ctx context.Context, took time.Duration) {
	if took <= a.cfg.SlowAnswer {
		return
	}
	now := a.clock()
	if time.Duration(a.guardUntil.Swap(int64(now+a.cfg.GuardFor))) < now {
		a.log.WarnContext(ctx, "slow slash command answer; guarding the ack budget with a timer", "took", took, "for", a.cfg.GuardFor)
	}
}

func (a *Adapter) writeCommand(w http.ResponseWriter, reply bot.Reply) {
	e := a.commandBody(reply)
	if e.body == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	h := w.Header()
	h["Content-Type"] = a.jsonContentType
	if e.length != nil {
		h["Content-Length"] = e.length
	}
	_, _ = w.Write(e.body)
}

// answerLate posts a slash command's answer through response_url once the bot has it.
func (a *Adapter) answerLate(base context.Context, cmd Command, done <-chan bot.Reply) {
	ctx, cancel := context.WithTimeout(base, a.cfg.WorkTimeout)
	defer cancel()
	select {
	case reply := <-done:
		m := Render(reply, View{Ephemeral: true})
		if m.Empty() {
			return
		}
		u, err := cmd.ResponseURL()
		if err != nil {
			a.log.ErrorContext(ctx, "late slash command answer cannot be sent", "err", err)
			return
		}
		if err := a.respond(ctx, u, response{ResponseType: slack.ResponseTypeEphemeral, Message: m}); err != nil {
			a.log.ErrorContext(ctx, "late slash command answer failed", "err", err)
		}
	case <-ctx.Done():
		a.log.ErrorContext(ctx, "slash command never answered", "err", ctx.Err())
	}
}

// commandBody is the JSON answer to a slash command; no body for a
// duplicate. Advisories are memoised by the bot, so their encoding is
// memoised here.
func (a *Adapter) commandBody(reply bot.Reply) encoded {
	view := View{Ephemeral: true}
	key, cacheable := renderKeyOf(reply, view)
	if cacheable {
		if e, ok := a.renders.get(key); ok {
			return e
		}
	}
	m := Render(reply, view)
	if m.Empty() {
		return encoded{}
	}
	b, err := marshal(response{ResponseType: slack.ResponseTypeEphemeral, Message: m})
	if err != nil {
		// Blocks are built from plain structs; this cannot happen short of a bug.
		a.log.Error("encoding slash command answer", "err", err)
		b, _ = marshal(response{ResponseType: slack.ResponseTypeEphemeral, Message: Message{Text: m.Text}})
	}
	e := encodedOf(b)
	if cacheable {
		a.renders.put(key, e)
	}
	return e
}

func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	buf, ok := a.verified(w, r)
	if !ok {
		return
	}
	env, err := DecodeEvent(buf.Bytes())
	a.release(buf)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	switch env.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, env.Challenge)
		return
	case slackevents.AppRateLimited:
		a.log.WarnContext(r.Context(), "Slack is rate limiting this app's events", "team", env.TeamID)
	case slackevents.CallbackEvent:
		e, ok := eventOf(env.TeamID, env.EventID, env.Inner)
		if !ok {
			break
		}
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			// Same event_id as the first delivery: the bot answers it once.
			a.log.InfoContext(r.Context(), "slack event retry", "event", env.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
		if !a.submit("event "+env.EventID, a.answerEvent(e)) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	buf, ok := a.verified(w, r)
	if !ok {
		return
	}
	cb, err := DecodeInteraction(buf.Bytes())
	a.release(buf)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	acts, err := actionsOf(cb)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	for _, act := range acts {
		if !a.submit("button "+act.kind, a.answerAction(act)) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
