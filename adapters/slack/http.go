package slack

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"advisorybot/bot"
)

const (
	// maxBody bounds a request body; interaction payloads carry the whole
	// message, so they are the largest.
	maxBody = 1 << 20
	// maxPrealloc bounds the memory reserved for a body before any of it
	// arrives: a declared length is a claim, not a fact, and Slack's
	// requests are a few KiB.
	maxPrealloc = 4 << 10
)

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

// readBody reads a request body of at most maxBody bytes. Memory grows with
// the bytes that arrive, not with the length the client declares.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, &http.MaxBytesError{Limit: maxBody}
	}
	size := int64(512) // length unknown (chunked)
	if r.ContentLength >= 0 {
		size = r.ContentLength + 1 // room to read the end of the body
	}
	b := make([]byte, 0, min(size, maxPrealloc))
	body := http.MaxBytesReader(w, r.Body, maxBody)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow, as io.ReadAll does
		}
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// read reads a POST's body. On failure it has already answered: 405 for
// another method, 413 for an oversized body, 400 for an unreadable one.
func (a *Adapter) read(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		a.reject(w, r, http.StatusMethodNotAllowed, "method", nil)
		return nil, false
	}
	body, err := readBody(w, r)
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			a.reject(w, r, http.StatusRequestEntityTooLarge, "body_too_large", err)
		} else {
			a.reject(w, r, http.StatusBadRequest, "body_unreadable", err)
		}
		return nil, false
	}
	return body, true
}

// signed checks Slack's signature over body: a missing, malformed, stale or
// wrong one has been answered 401 when it returns false.
func (a *Adapter) signed(w http.ResponseWriter, r *http.Request, body []byte) bool {
	sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err != nil {
		a.reject(w, r, http.StatusUnauthorized, "signature_headers", err)
		return false
	}
	_, _ = sv.Write(body)
	if err := sv.Ensure(); err != nil {
		a.reject(w, r, http.StatusUnauthorized, "signature", err)
		return false
	}
	return true
}

// verified reads the body and checks its signature; false means the request
// has been answered and must go no further.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, ok := a.read(w, r)
	return body, ok && a.signed(w, r, body)
}

// reject answers a request the adapter refuses. The log gets a line per
// reason and interval, not per request: a flood must not flood it.
func (a *Adapter) reject(w http.ResponseWriter, r *http.Request, code int, reason string, err error) {
	a.rejects.Reject(r.Context(), reason, "path", r.URL.Path, "status", code, "err", err, "remote", r.RemoteAddr)
	http.Error(w, http.StatusText(code), code)
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery != "" && r.URL.Query().Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	body, ok := a.read(w, r)
	if !ok {
		return
	}
	if isSSLCheck(body) {
		// Slack checking the URL's certificate. It changes nothing and
		// Slack does not say it signs it (Bolt for Python accepts it
		// unsigned): 200, and nothing else.
		w.WriteHeader(http.StatusOK)
		return
	}
	if !a.signed(w, r, body) {
		return
	}
	cmd, err := DecodeCommand(body)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	a.answerCommand(w, r, cmd)
}

// answerCommand runs the bot in the request's goroutine, watched by a
// timer: an answer within AckBudget goes in the HTTP response; otherwise
// the timer acks empty and the answer follows through response_url. From
// the ack until that answer is posted the adapter owns the work: Run waits
// for it.
func (a *Adapter) answerCommand(w http.ResponseWriter, r *http.Request, cmd slack.SlashCommand) {
	ctx, cancel := a.workContext(r.Context())
	defer cancel()
	var (
		mu      sync.Mutex
		decided bool // the answer or the ack has been written
		owned   bool // the ack was sent while Run was running
	)
	watchdog := time.AfterFunc(a.cfg.AckBudget, func() {
		mu.Lock()
		defer mu.Unlock()
		if decided {
			return
		}
		decided, owned = true, a.own()
		// An empty, complete response: Slack has its ack while the bot
		// goes on working.
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		_ = http.NewResponseController(w).Flush()
	})
	defer func() { // at the end, even if the bot panics
		watchdog.Stop()
		mu.Lock()
		decided = true
		release := owned
		mu.Unlock()
		if release {
			a.wg.Done()
		}
	}()
	reply := a.commandReply(ctx, cmd)
	mu.Lock()
	late := decided
	decided = true
	mu.Unlock()
	if !late {
		a.writeCommand(w, reply)
		return
	}
	a.log.WarnContext(ctx, "slash command slower than the ack budget; answering through response_url", "budget", a.cfg.AckBudget)
	if err := a.answerLate(ctx, cmd.ResponseURL, reply); err != nil {
		a.log.ErrorContext(ctx, "late slash command answer failed", "err", err)
	}
}

// writeCommand writes the answer to a slash command as the HTTP response;
// a duplicate gets an empty 200.
func (a *Adapter) writeCommand(w http.ResponseWriter, reply bot.Reply) {
	b := a.encodeCommand(reply)
	if b == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b))) // never chunked
	_, _ = w.Write(b)
}

// encodeCommand is the answer to a slash command as JSON, nil when there
// is nothing to say; answers the bot memoises come from the adapter's memo.
func (a *Adapter) encodeCommand(reply bot.Reply) []byte {
	shown := slack.ResponseTypeEphemeral
	if shownPublicly(reply) {
		shown = slack.ResponseTypeInChannel
	}
	if b, ok := a.answers.Get(reply, shown); ok {
		return b
	}
	m, shown := commandMessage(reply)
	if m.Empty() {
		return nil
	}
	b, err := marshal(response{ResponseType: shown, Message: m})
	if err != nil {
		// Blocks are built from plain structs; this cannot happen short of a bug.
		a.log.Error("encoding slash command answer", "err", err)
		b, _ = marshal(response{ResponseType: slack.ResponseTypeEphemeral, Message: Message{Text: m.Text}})
		return b
	}
	a.answers.Put(reply, shown, b)
	return b
}

func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	ev, err := DecodeEvent(body)
	if err != nil {
		a.reject(w, r, http.StatusBadRequest, "payload", err)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, ev.Data.(*slackevents.EventsAPIURLVerificationEvent).Challenge)
		return
	case slackevents.AppRateLimited:
		a.log.WarnContext(r.Context(), "Slack is rate limiting this app's events", "team", ev.TeamID)
	case slackevents.CallbackEvent:
		e, ok := eventOf(ev)
		if !ok {
			break
		}
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			// Same event_id as the first delivery: the bot answers it once.
			a.log.InfoContext(r.Context(), "slack event retry", "event", e.eventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
		if !a.submit(r.Context(), "event "+e.eventID, a.answerEvent(e)) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	cb, err := DecodeInteraction(body)
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
		if !a.submit(r.Context(), "button "+act.kind, a.answerAction(act)) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
