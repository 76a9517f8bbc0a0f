package slack

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"advisorybot/bot"
	"advisorybot/internal/lru"
)

// SettingsCommandName is the slash command a workspace's admins change
// the bot's settings with. Slack sends it to the same request URL as
// /advisory (HTTP mode) or in the same kind of envelope (Socket Mode).
const SettingsCommandName = "/advisory-settings"

// Configurer answers settings commands; *bot.Bot implements it.
type Configurer interface {
	Configure(ctx context.Context, c bot.SettingsCommand) bot.Reply
}

// usersAPI is users.info (scope users:read); *slack.Client implements it.
type usersAPI interface {
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// How long a users.info answer is trusted. An admin is remembered longer
// than a non-admin, so that someone just made an admin waits a minute at
// most, and a flood of refused commands costs one call a minute per user.
// Demoting an admin takes effect here within adminTTL.
const (
	adminTTL        = 5 * time.Minute
	notAdminTTL     = time.Minute
	adminCacheSize  = 10_000
	adminCheckLimit = 5 * time.Second // one users.info call
)

// admins caches, per workspace and user, whether the user may change
// settings.
type admins struct {
	cache *lru.Cache[bool]
}

func newAdmins() *admins { return &admins{cache: lru.New[bool](adminCacheSize, nil)} }

// commandReply answers a slash command: /advisory-settings through the
// settings, anything else is a question for the bot.
func (a *Adapter) commandReply(ctx context.Context, cmd slack.SlashCommand) bot.Reply {
	if cmd.Command == SettingsCommandName {
		return a.configure(ctx, cmd)
	}
	return a.cfg.Bot.Handle(ctx, commandRequest(cmd))
}

// commandMessage renders a slash command's answer and says how Slack shows
// it: settings and, unless the community chose public answers, every
// answer only to whoever asked.
func commandMessage(r bot.Reply) (Message, string) {
	switch {
	case r.Status == bot.StatusSettings:
		return renderSettings(r), slack.ResponseTypeEphemeral
	case shownPublicly(r):
		return Render(r, View{}), slack.ResponseTypeInChannel
	}
	return Render(r, View{Ephemeral: true}), slack.ResponseTypeEphemeral
}

// shownPublicly reports whether an answer goes to the whole channel: the
// community chose public answers, and it is an answer about titles. Help
// and problems concern the asker alone and stay private.
func shownPublicly(r bot.Reply) bool {
	if r.Visibility != bot.VisibilityPublic {
		return false
	}
	switch r.Status {
	case bot.StatusFound, bot.StatusAmbiguous, bot.StatusNotFound:
		return true
	}
	return false
}

// configure runs /advisory-settings for a workspace admin or owner, and
// refuses everyone else.
func (a *Adapter) configure(ctx context.Context, cmd slack.SlashCommand) bot.Reply {
	if a.cfg.Settings == nil {
		return problem(bot.ProblemSettingsUnconfigured, "Settings are not available on this deployment.", "Ask whoever runs the bot.")
	}
	admin, err := a.isAdmin(ctx, cmd)
	if err != nil {
		a.log.ErrorContext(ctx, "slack: checking whether a user is an admin (users.info, scope users:read)", "user", cmd.UserID, "err", err)
		return problem(bot.ProblemSettingsUnavailable, "I could not check that you are a workspace admin.",
			"Please try again in a minute; if it keeps failing, ask whoever runs the bot to check its users:read scope.")
	}
	if !admin {
		a.log.InfoContext(ctx, "slack: settings refused: not a workspace admin or owner", "team", cmd.TeamID, "user", cmd.UserID)
		return problem(bot.ProblemNotAdmin, "Only workspace admins and owners can change the bot's settings.",
			"Ask one of them, or use /advisory to ask about a title.")
	}
	action, value := bot.ParseSettings(unescape(cmd.Text))
	c := bot.SettingsCommand{Platform: Platform, Community: cmd.TeamID, Action: action, Value: value, UserID: cmd.UserID}
	if cmd.TriggerID != "" {
		c.EventID = "command:" + cmd.TriggerID // a replay is answered once
	}
	return a.cfg.Settings.Configure(ctx, c)
}

func problem(code bot.ProblemCode, msg, next string) bot.Reply {
	p := bot.Problem{Code: code, Message: msg, Next: next}
	return bot.Reply{Status: bot.StatusError, Candidates: []bot.TitleRef{}, Error: &p, Text: msg + " " + next}
}

// isAdmin reports whether the command's user is an admin or owner of the
// workspace the command came from, from users.info, cached.
func (a *Adapter) isAdmin(ctx context.Context, cmd slack.SlashCommand) (bool, error) {
	key := cmd.TeamID + ":" + cmd.UserID
	if ok, hit := a.admins.cache.Get(key); hit {
		return ok, nil
	}
	api, ok := a.cfg.API.(usersAPI)
	if !ok {
		return false, fmt.Errorf("no Slack Web API client (bot token) to call users.info with")
	}
	ctx, cancel := context.WithTimeout(ctx, adminCheckLimit)
	defer cancel()
	u, err := api.GetUserInfoContext(ctx, cmd.UserID)
	if err != nil {
		return false, fmt.Errorf("users.info %s: %w", cmd.UserID, err)
	}
	admin := workspaceAdmin(u, cmd)
	ttl := notAdminTTL
	if admin {
		ttl = adminTTL
	}
	a.admins.cache.Set(key, admin, ttl)
	return admin, nil
}

// workspaceAdmin reads users.info's flags. They describe the user in their
// own workspace, so they count only when that is the command's workspace
// (or its Enterprise Grid organisation): an admin of another organisation
// in a shared channel is not an admin here.
func workspaceAdmin(u *slack.User, cmd slack.SlashCommand) bool {
	if u == nil || u.Deleted || u.IsBot || u.IsRestricted || u.IsUltraRestricted || u.ID != cmd.UserID {
		return false
	}
	home := u.TeamID == cmd.TeamID || cmd.EnterpriseID != "" && (u.TeamID == cmd.EnterpriseID || u.Enterprise.EnterpriseID == cmd.EnterpriseID)
	return home && (u.IsAdmin || u.IsOwner || u.IsPrimaryOwner)
}

// renderSettings shows a settings reply (or its problem).
func renderSettings(r bot.Reply) Message {
	if r.Status != bot.StatusSettings || r.Settings == nil {
		return Render(r, View{Ephemeral: true})
	}
	v := r.Settings
	var b strings.Builder
	if v.Changed != "" {
		s, _ := v.Get(v.Changed)
		fmt.Fprintf(&b, ":white_check_mark: *%s* — saved; it applies to every question from now on.\n\n", Escape(s.Line()))
	}
	b.WriteString("*Settings for this workspace*")
	for _, s := range v.Settings {
		fmt.Fprintf(&b, "\n• *%s*\n   %s", Escape(s.Line()), Escape(s.Meaning))
	}
	blocks := []slack.Block{
		section(b.String()),
		contextLine("Change with `/advisory-settings age 10`, `country GB` or `visibility public`; `default` goes back to the bot's. Only workspace admins and owners can."),
	}
	return Message{Text: Escape(r.Text), Blocks: blocks}
}
