package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"advisorybot/bot/catalog"
)

// Commands are the application commands this adapter answers.
func Commands() []*discordgo.ApplicationCommand {
	minYear, minAge := float64(1888), float64(1)
	topics := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range catalog.Categories() {
		topics = append(topics, &discordgo.ApplicationCommandOptionChoice{Name: c.Label(), Value: string(c)})
	}
	return []*discordgo.ApplicationCommand{{
		Name:        CommandName,
		Type:        discordgo.ChatApplicationCommand,
		Description: "Is this film or show family-safe, and why?",
		Contexts:    &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
		Options: []*discordgo.ApplicationCommandOption{
			{Name: "title", Description: "Film or show, e.g. Ballerina", Type: discordgo.ApplicationCommandOptionString,
				Required: true, Autocomplete: true, MaxLength: 100},
			{Name: "year", Description: "Release year, to tell same-named titles apart", Type: discordgo.ApplicationCommandOptionInteger,
				MinValue: &minYear, MaxValue: 2100},
			{Name: "age", Description: "Age of the child to judge for (default: the server's family profile)", Type: discordgo.ApplicationCommandOptionInteger,
				MinValue: &minAge, MaxValue: 99},
			{Name: "topic", Description: "Only one kind of content", Type: discordgo.ApplicationCommandOptionString,
				Choices: topics},
		},
	}, settingsCommand()}
}

// Register overwrites the application's commands with Commands: globally,
// or in one guild when guildID is set (guild commands update at once,
// which suits testing).
func Register(ctx context.Context, s *discordgo.Session, appID, guildID string) ([]*discordgo.ApplicationCommand, error) {
	got, err := s.ApplicationCommandBulkOverwrite(appID, guildID, Commands(), discordgo.WithContext(ctx))
	if err != nil {
		where := "globally"
		if guildID != "" {
			where = "in guild " + guildID
		}
		return nil, fmt.Errorf("registering commands %s: %w", where, err)
	}
	return got, nil
}

// ApplicationID asks Discord for the bot token's application id.
func ApplicationID(s *discordgo.Session) (string, error) {
	app, err := s.Application("@me") // discordgo takes no context here
	if err != nil {
		return "", fmt.Errorf("looking up the application: %w", err)
	}
	return app.ID, nil
}
