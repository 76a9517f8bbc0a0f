package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	redisstore "advisorybot/adapters/redis"
	"advisorybot/bot"
	"advisorybot/bot/rating"
)

const settingsUsage = "advisorybot settings [--json] <platform>:<community> [show | age N | country CC | visibility private|public]"

// settings runs `advisorybot settings`: the operator reads or changes a
// community's settings from the shell, through the store serve uses
// (REDIS_URL, or ADVISORYBOT_SETTINGS_FILE), with the checks the chat
// command makes.
func (e *environment) settings(args []string) error {
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print the reply as JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: %s", errUsage, settingsUsage)
	}
	platform, community, err := parseCommunity(fs.Arg(0))
	if err != nil {
		return err
	}
	action, value := bot.ParseSettings(strings.Join(fs.Args()[1:], " "))
	country, err := e.settingsDefaultCountry()
	if err != nil {
		return err
	}
	rcfg, err := redisstore.ConfigFromEnv(e.getenv)
	if err != nil {
		return err
	}
	file := e.getenv("ADVISORYBOT_SETTINGS_FILE")
	if !rcfg.Enabled() && file == "" {
		return errors.New("settings: no settings store configured: set REDIS_URL (or REDIS_ADDRS) or ADVISORYBOT_SETTINGS_FILE as for serve")
	}
	st, closeState, err := e.state(nil)
	if err != nil {
		return err
	}
	defer closeState()
	// With Redis the store fails over to memory, which would keep the
	// change only until this command exits: refuse instead.
	health, _ := st.store.(interface {
		Healthy() bool
		Pending() []string
	})
	if health != nil && !health.Healthy() {
		return errors.New("settings: redis is unavailable; nothing was read or changed")
	}
	b := bot.New(bot.Config{Settings: st, Country: country, Logger: e.log})
	r := b.Configure(e.ctx, bot.SettingsCommand{Platform: platform, Community: community, Action: action, Value: value})
	if health != nil && (!health.Healthy() || len(health.Pending()) > 0) {
		return errors.New("settings: redis became unavailable while saving; the change was not saved, run the command again")
	}
	if *asJSON {
		out, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding the reply: %w", err)
		}
		fmt.Fprintf(e.stdout, "%s\n", out)
	} else {
		printSettings(e, r)
	}
	if r.Error != nil {
		return fmt.Errorf("settings: %s %s", r.Error.Message, r.Error.Next)
	}
	if action != bot.SettingsShow && !rcfg.Enabled() {
		fmt.Fprintf(e.stderr, "note: a running `advisorybot serve` reads %s only when it starts, and overwrites it when settings change in chat: change the file while serve is stopped, then start it.\n", file)
	}
	return nil
}

// printSettings prints a settings reply for people; problems are returned
// as errors by the caller.
func printSettings(e *environment, r bot.Reply) {
	v := r.Settings
	if v == nil {
		return
	}
	if v.Changed != "" {
		s, _ := v.Get(v.Changed)
		fmt.Fprintf(e.stdout, "Saved: %s\n\n", s.Line())
	}
	fmt.Fprintf(e.stdout, "Settings for %s:\n", v.Community)
	for _, s := range v.Settings {
		fmt.Fprintf(e.stdout, "  %s\n      %s\n", s.Line(), s.Meaning)
	}
}

// parseCommunity reads "<platform>:<community id>": a Discord server id
// (digits) or a Slack workspace id (T… or, for Enterprise Grid, E…), as
// the settings are keyed.
func parseCommunity(s string) (platform, community string, err error) {
	platform, community, ok := strings.Cut(strings.TrimSpace(s), ":")
	bad := func(why string) error {
		return fmt.Errorf("%w: %q: %s; e.g. discord:123456789012345678 (Server Settings → Widget → Server ID) or slack:T0123ABCD (the workspace id in the workspace's URL)", errUsage, s, why)
	}
	switch {
	case !ok || community == "":
		return "", "", bad("want <platform>:<community id>")
	case platform == "discord":
		if strings.Trim(community, "0123456789") != "" {
			return "", "", bad("a Discord server id is all digits")
		}
	case platform == "slack":
		if community[0] != 'T' && community[0] != 'E' || strings.Trim(community, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			return "", "", bad("a Slack workspace id is upper-case letters and digits, starting with T (or E)")
		}
	default:
		return "", "", bad("the platform is discord or slack")
	}
	return platform, community, nil
}

// settingsDefaultCountry is the deployment's default rating country,
// ADVISORYBOT_COUNTRY ("" means US), which show reports for communities
// that chose none.
func (e *environment) settingsDefaultCountry() (string, error) {
	v := strings.TrimSpace(e.getenv("ADVISORYBOT_COUNTRY"))
	if v == "" {
		return "", nil
	}
	c, err := rating.ParseCountry(v)
	if err != nil {
		return "", fmt.Errorf("ADVISORYBOT_COUNTRY: %w", err)
	}
	return c, nil
}
