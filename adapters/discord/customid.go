package discord

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// Component custom_id scheme: "adv:<action>:<title id>:<age>:<topic>"; a
// TMDB title's id holds colons itself ("tmdb:film:123").
// Age 0 means "the community's default"; the topic may be empty. A select
// menu leaves the id empty and carries it in the chosen value.
const (
	customIDPrefix = "adv"
	maxCustomID    = 100 // Discord's limit
)

// Component actions.
const (
	actionPick    = "pick"    // a title chosen from a disambiguation list
	actionShare   = "share"   // repost an ephemeral advisory in the channel
	actionDetails = "details" // the long notes, for the clicker only
)

// customID is a decoded component custom_id.
type customID struct {
	Action string
	ID     string
	Age    int
	Topic  bot.Topic
}

func (c customID) String() string {
	age := ""
	if c.Age > 0 {
		age = strconv.Itoa(c.Age)
	}
	return customIDPrefix + ":" + c.Action + ":" + c.ID + ":" + age + ":" + string(c.Topic)
}

var errCustomID = errors.New("unrecognised custom_id")

// parseCustomID decodes a custom_id written by String.
func parseCustomID(s string) (customID, error) {
	if len(s) > maxCustomID {
		return customID{}, fmt.Errorf("%w: %d characters", errCustomID, len(s))
	}
	parts := strings.Split(s, ":")
	n := len(parts)
	// An id may hold colons between non-empty parts: "tmdb:film:123".
	if n < 5 || parts[0] != customIDPrefix || (n > 5 && slices.Contains(parts[2:n-2], "")) {
		return customID{}, fmt.Errorf("%w: %q", errCustomID, s)
	}
	parts = []string{parts[0], parts[1], strings.Join(parts[2:n-2], ":"), parts[n-2], parts[n-1]}
	c := customID{Action: parts[1], ID: parts[2], Topic: bot.Topic(parts[4])}
	switch c.Action {
	case actionPick, actionShare, actionDetails:
	default:
		return customID{}, fmt.Errorf("%w: action %q", errCustomID, c.Action)
	}
	if parts[3] != "" {
		age, err := strconv.Atoi(parts[3])
		if err != nil || age < 1 || age > 99 {
			return customID{}, fmt.Errorf("%w: age %q", errCustomID, parts[3])
		}
		c.Age = age
	}
	if c.Topic != "" && !slices.Contains(catalog.Categories(), c.Topic) {
		return customID{}, fmt.Errorf("%w: topic %q", errCustomID, parts[4])
	}
	return c, nil
}
