package slacktestws

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// Call is one request the app made to the fake Slack.
type Call struct {
	// Method is the Web API method ("chat.postMessage", "chat.update") or
	// "response_url".
	Method string
	Path   string
	// Form holds a Web API call's parameters; JSON a response_url body.
	Form url.Values
	JSON map[string]any
	// TS is the message ts the fake answered a Web API call with.
	TS string
}

// Blocks decodes the call's blocks (from the form or the JSON body).
func (c Call) Blocks() []map[string]any {
	var raw []byte
	if b := c.Form.Get("blocks"); b != "" {
		raw = []byte(b)
	} else if c.JSON != nil {
		raw, _ = json.Marshal(c.JSON["blocks"])
	}
	var out []map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// WebAPI is slack-go's slacktest server with recording handlers for the
// methods the bot calls: chat.postMessage, chat.update, users.info (users
// added with SetUser), apps.connections.open (pointing at a SocketMode
// fake), and response_url endpoints under /response/.
type WebAPI struct {
	*slacktest.Server

	mu     sync.Mutex
	calls  []Call
	notify chan struct{}
	ts     int64
	users  map[string]User
}

// User is what users.info says about a user: the fields of Slack's user
// object that tell a workspace's admins and owners.
type User struct {
	ID     string
	TeamID string
	// IsAdmin, IsOwner and IsPrimaryOwner are Slack's is_admin, is_owner
	// and is_primary_owner.
	IsAdmin, IsOwner, IsPrimaryOwner bool
	Deleted                          bool
}

// NewWebAPI starts the fake Web API; sm may be nil when Socket Mode is not used.
func NewWebAPI(sm *SocketMode) *WebAPI {
	w := &WebAPI{notify: make(chan struct{}, 1), ts: time.Now().Unix(), users: map[string]User{}}
	w.Server = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", w.record("chat.postMessage"))
		c.Handle("/chat.update", w.record("chat.update"))
		c.Handle("/users.info", w.record("users.info"))
		c.Handle("/response/", w.record("response_url"))
		if sm != nil {
			c.Handle("/apps.connections.open", sm.ConnectionsOpen)
		}
	})
	w.Start()
	return w
}

// ResponseURL is a response_url served by the fake.
func (w *WebAPI) ResponseURL(name string) string { return w.GetAPIURL() + "response/" + name }

func (w *WebAPI) record(method string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		c := Call{Method: method, Path: r.URL.Path}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &c.JSON)
		} else {
			c.Form, _ = url.ParseQuery(string(body))
		}
		w.mu.Lock()
		w.ts++
		c.TS = fmt.Sprintf("%d.000100", w.ts)
		if t := c.Form.Get("ts"); t != "" {
			c.TS = t // chat.update keeps the message's ts
		}
		w.calls = append(w.calls, c)
		w.mu.Unlock()
		select {
		case w.notify <- struct{}{}:
		default:
		}
		rw.Header().Set("Content-Type", "application/json")
		switch method {
		case "response_url":
			_, _ = rw.Write([]byte(`ok`))
			return
		case "users.info":
			_ = json.NewEncoder(rw).Encode(w.userInfo(c.Form.Get("user")))
			return
		}
		_ = json.NewEncoder(rw).Encode(map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": c.TS, "text": c.Form.Get("text")})
	}
}

// Calls returns every call so far.
func (w *WebAPI) Calls() []Call {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Call(nil), w.calls...)
}

// WaitCall waits for the first call, from index from on, that match accepts,
// and returns it with its index.
func (w *WebAPI) WaitCall(ctx context.Context, from int, match func(Call) bool) (Call, int, error) {
	for {
		calls := w.Calls()
		for i := from; i < len(calls); i++ {
			if match(calls[i]) {
				return calls[i], i, nil
			}
		}
		select {
		case <-w.notify:
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return Call{}, 0, fmt.Errorf("waiting for a call (have %d): %w", len(calls), ctx.Err())
		}
	}
}

// Method matches calls of one method.
func Method(m string) func(Call) bool { return func(c Call) bool { return c.Method == m } }

// SetUser makes users.info answer for u.ID.
func (w *WebAPI) SetUser(u User) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.users[u.ID] = u
}

// userInfo is users.info's response as Slack documents it: ok and the
// user object, or ok false with the error "user_not_found".
func (w *WebAPI) userInfo(id string) map[string]any {
	w.mu.Lock()
	u, ok := w.users[id]
	w.mu.Unlock()
	if !ok {
		return map[string]any{"ok": false, "error": "user_not_found"}
	}
	return map[string]any{"ok": true, "user": map[string]any{
		"id": u.ID, "team_id": u.TeamID, "name": "user-" + u.ID, "real_name": "A User", "deleted": u.Deleted,
		"is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_primary_owner": u.IsPrimaryOwner,
		"is_restricted": false, "is_ultra_restricted": false, "is_bot": false, "is_app_user": false,
		"tz": "Europe/London", "tz_label": "British Summer Time", "tz_offset": 3600, "updated": 1700000000,
		"profile": map[string]any{"real_name": "A User", "display_name": "user", "team": u.TeamID},
	}}
}
