package discord

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot"
	"advisorybot/bot/rating"
)

// SettingsCommandName is the command a server's admins change the bot's
// settings with.
const SettingsCommandName = "advisory-settings"

// Settings is what the adapter needs for /advisory-settings and for a
// community's choice of visibility; *bot.Bot implements it.
type Settings interface {
	Configure(ctx context.Context, c bot.SettingsCommand) bot.Reply
	Visibility(ctx context.Context, platform, community string) string
}

// adminPermissions are the permissions that allow changing settings:
// Manage Server (MANAGE_GUILD, 0x20) or Administrator (0x8).
const adminPermissions = discordgo.PermissionManageGuild | discordgo.PermissionAdministrator

// visibilityBudget bounds reading a community's visibility before a
// deferral, which must reach Discord within its 3 s; past it the answer is
// private, as by default.
const visibilityBudget = 500 * time.Millisecond

// settingsCommand is /advisory-settings: show, age, country and visibility
// subcommands, for members with Manage Server, in servers only.
func settingsCommand() *discordgo.ApplicationCommand {
	manage := int64(discordgo.PermissionManageGuild)
	minAge := float64(bot.MinProfileAge)
	countries := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range rating.Countries() {
		name := c
		if s, err := rating.SystemFor(c, rating.Film); err == nil {
			name += " · " + s.Name()
		}
		countries = append(countries, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, maxOptionLabel), Value: c})
	}
	countries = append(countries, &discordgo.ApplicationCommandOptionChoice{Name: "Default (the bot's)", Value: "default"})
	noDM := false
	return &discordgo.ApplicationCommand{
		Name:        SettingsCommandName,
		Type:        discordgo.ChatApplicationCommand,
		Description: "Show or change what family-safe means in this server",
		// Only members with Manage Server see the command, unless the
		// server's admins grant it to others (Server Settings → Integrations);
		// configure checks the permission again either way.
		DefaultMemberPermissions: &manage,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		// Older clients read dm_permission; Discord ignores it when contexts is set.
		DMPermission: &noDM, //lint:ignore SA1019 sent alongside contexts for clients that predate it
		Options: []*discordgo.ApplicationCommandOption{
			{Name: "show", Description: "Show this server's settings", Type: discordgo.ApplicationCommandOptionSubCommand},
			{Name: "age", Description: "The age answers judge for when a question names none", Type: discordgo.ApplicationCommandOptionSubCommand,
				Options: []*discordgo.ApplicationCommandOption{{Name: "age", Description: "A child's age, 1 to 17 (default 12)",
					Type: discordgo.ApplicationCommandOptionInteger, Required: true, MinValue: &minAge, MaxValue: bot.MaxProfileAge}}},
			{Name: "country", Description: "The country whose ratings answers use", Type: discordgo.ApplicationCommandOptionSubCommand,
				Options: []*discordgo.ApplicationCommandOption{{Name: "country", Description: "Country (its film rating board)",
					Type: discordgo.ApplicationCommandOptionString, Required: true, Choices: countries}}},
			{Name: "visibility", Description: "Whether /advisory answers are private or posted in the channel", Type: discordgo.ApplicationCommandOptionSubCommand,
				Options: []*discordgo.ApplicationCommandOption{{Name: "visibility", Description: "private (default) or public",
					Type: discordgo.ApplicationCommandOptionString, Required: true, Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "private: only the asker sees answers, and can share them", Value: bot.VisibilityPrivate},
						{Name: "public: answers are posted in the channel", Value: bot.VisibilityPublic},
					}}}},
		},
	}
}

// configure answers /advisory-settings, always ephemerally, within the
// budget (a slow store gets a "try again", not a deferral).
//
// The member's permissions are checked here although the command is
// registered for Manage Server only: default_member_permissions is a
// default that a server's admins may widen to any role or member
// (Integrations settings), and a command registered by an older version
// carries none until it is registered again. The permissions in the
// interaction are Discord's computation for this member in this channel,
// and the request is signed. Administrator is accepted alongside Manage
// Server because it grants every permission implicitly: the check must not
// rest on Discord spelling out the bits an administrator holds.
func (h *Handler) configure(ctx context.Context, i *interaction, send send) error {
	if i.GuildID == "" || i.Member == nil {
		send(h.problem("Settings belong to a server.", "Use /advisory-settings in a channel of the server."), false)
		return nil
	}
	perms, err := strconv.ParseUint(i.Member.Permissions, 10, 64)
	if err != nil || perms&adminPermissions == 0 {
		h.log.InfoContext(ctx, "discord: settings refused: member lacks Manage Server", "guild", i.GuildID, "user", i.userID())
		send(h.settingsResponse(notAdmin()), false)
		return nil
	}
	if h.settings == nil {
		send(h.problem("Settings are not available on this deployment.", "Ask whoever runs the bot."), false)
		return nil
	}
	c := bot.SettingsCommand{Platform: Platform, Community: i.GuildID, EventID: i.ID, UserID: i.userID(), Action: bot.SettingsShow}
	if len(i.Data.Options) > 0 {
		sub := i.Data.Options[0]
		c.Action = bot.SettingsAction(sub.Name)
		if len(sub.Options) > 0 {
			c.Value = optString(sub.Options[0].Value)
		}
	}
	work, cancel := context.WithTimeout(ctx, h.budget)
	defer cancel()
	r := h.settings.Configure(work, c)
	if r.Status == bot.StatusDuplicate {
		return errDuplicate
	}
	send(h.settingsResponse(r), false)
	return nil
}

func notAdmin() bot.Reply {
	p := bot.Problem{Code: bot.ProblemNotAdmin, Message: "Only members with Manage Server can change the bot's settings.",
		Next: "Ask a server admin, or use /advisory to ask about a title."}
	return bot.Reply{Status: bot.StatusError, Error: &p, Text: p.Message + " " + p.Next}
}

// settingsResponse is an ephemeral message with a settings reply.
func (h *Handler) settingsResponse(r bot.Reply) []byte {
	d := renderSettings(r)
	b, err := json.Marshal(discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d})
	if err != nil {
		h.log.Error("discord: marshalling settings response", "err", err) // plain strings: unreachable
		return h.problem("Something went wrong.", "Please try again.")
	}
	return b
}

// renderSettings shows a settings reply (or its problem) to the admin alone.
func renderSettings(r bot.Reply) *discordgo.InteractionResponseData {
	if r.Status != bot.StatusSettings || r.Settings == nil {
		return renderData(r, view{ephemeral: true})
	}
	v := r.Settings
	e := &discordgo.MessageEmbed{Title: "Settings for this server", Color: colourChoose,
		Footer: &discordgo.MessageEmbedFooter{Text: "Change them with /advisory-settings age, country or visibility; choose Default to go back to the bot's."}}
	if v.Changed != "" {
		s, _ := v.Get(v.Changed)
		e.Title = clip(s.Line(), maxEmbedTitle)
		e.Description = "Saved. It applies to every question from now on."
	}
	for _, s := range v.Settings {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: clip(s.Line(), maxFieldName), Value: clip(s.Meaning, maxFieldValue)})
	}
	return &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{e},
		Components:      []discordgo.MessageComponent{},
		AllowedMentions: noMentions(),
		Flags:           discordgo.MessageFlagsEphemeral,
	}
}

// public reports whether the community chose public answers, read within
// visibilityBudget.
func (h *Handler) public(ctx context.Context, i *interaction) bool {
	if h.settings == nil || i.GuildID == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, visibilityBudget)
	defer cancel()
	return h.settings.Visibility(ctx, Platform, i.GuildID) == bot.VisibilityPublic
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
