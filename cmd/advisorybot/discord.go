package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"advisorybot/adapters/discord"
)

// discordInteractionsPath is where Discord POSTs interactions in HTTP mode
// (the "Interactions Endpoint URL" is https://<host>/discord/interactions).
const discordInteractionsPath = "/discord/interactions"

// wireDiscord adds the Discord adapter:
//   - DISCORD_TOKEN: the gateway (slash command, buttons, mentions, DMs),
//     sharded by DISCORD_SHARD_ID / DISCORD_SHARD_COUNT;
//   - DISCORD_PUBLIC_KEY: the HTTP interactions endpoint, verified with
//     Ed25519, for deployments behind a load balancer.
//
// DISCORD_API_BASE points discordgo at another Discord; it exists for tests
// against a local fake and is never needed in production.
func (e *environment) wireDiscord(w *wiring) error {
	token, publicKey := e.getenv("DISCORD_TOKEN"), e.getenv("DISCORD_PUBLIC_KEY")
	if token == "" && publicKey == "" {
		return nil
	}
	discord.UseAPIBase(e.getenv("DISCORD_API_BASE"))
	// Without a token the session only edits its own interaction responses,
	// which the interaction token authorises.
	s, err := discord.NewSession(token)
	if err != nil {
		return err
	}
	h, err := discord.NewHandler(discord.Config{Bot: w.bot, Sender: discord.SessionSender{S: s}, Logger: e.log,
		CountRejected: w.metrics.Rejected(discord.Platform)})
	if err != nil {
		return err
	}
	if publicKey != "" {
		hh, err := discord.NewHTTPHandler(publicKey, h, e.log, discord.DefaultMaxBody)
		if err != nil {
			return fmt.Errorf("DISCORD_PUBLIC_KEY: %w", err)
		}
		w.handle("POST "+discordInteractionsPath, hh)
		e.log.Info("discord interactions endpoint enabled", "path", discordInteractionsPath)
	}
	if token == "" {
		// Deferred answers are sent within their HTTP request, which the
		// server's shutdown waits for.
		return nil
	}
	shardID, err := e.intEnv("DISCORD_SHARD_ID", 0)
	if err != nil {
		return err
	}
	shardCount, err := e.intEnv("DISCORD_SHARD_COUNT", 1)
	if err != nil {
		return err
	}
	g, err := discord.NewGateway(discord.GatewayConfig{Session: s, Handler: h, Bot: w.bot, Logger: e.log, ShardID: shardID, ShardCount: shardCount})
	if err != nil {
		return err
	}
	w.connection(discord.Platform, "gateway", g.Connected)
	w.runners = append(w.runners, g.Run)
	return nil
}

func (e *environment) intEnv(name string, def int) (int, error) {
	v := e.getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: want a whole number", name, v)
	}
	return n, nil
}

// discord runs `advisorybot discord register [--guild ID]`: it overwrites
// the application's commands with /advisory and /advisory-settings (bulk
// overwrite).
func (e *environment) discord(args []string) error {
	if len(args) == 0 || args[0] != "register" {
		return fmt.Errorf("%w: advisorybot discord register [--guild ID]", errUsage)
	}
	fs := flag.NewFlagSet("discord register", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	guild := fs.String("guild", "", "register in this guild only (instant; global commands can take up to an hour)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	token := e.getenv("DISCORD_TOKEN")
	if token == "" {
		return errors.New("discord register: set DISCORD_TOKEN to the bot token")
	}
	discord.UseAPIBase(e.getenv("DISCORD_API_BASE"))
	s, err := discord.NewSession(token)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	appID := e.getenv("DISCORD_APP_ID")
	if appID == "" {
		if appID, err = discord.ApplicationID(s); err != nil {
			return fmt.Errorf("discord register: %w (or set DISCORD_APP_ID)", err)
		}
	}
	cmds, err := discord.Register(ctx, s, appID, *guild)
	if err != nil {
		return err
	}
	where := "globally"
	if *guild != "" {
		where = "in guild " + *guild
	}
	for _, c := range cmds {
		fmt.Fprintf(e.stdout, "registered /%s (id %s) %s\n", c.Name, c.ID, where)
	}
	return nil
}
