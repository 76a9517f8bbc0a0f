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

// Component custom_id scheme: "adv:<action>:<title id>:<age>:<topic>".
// Age 0 means "the community's default"; the topic may be empty. A select
// menu leaves the id empty and carries it in the chosen value. Title ids
// are review ids ("ballerina-2023") or TMDB ids, which hold colons
// themselves ("tmdb:film:12345"): the id is what lies between the action
// and the last two fields.
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
	if n < 5 || parts[0] != customIDPrefix {
		return customID{}, fmt.Errorf("%w: %q", errCustomID, s)
	}
	c := customID{Action: parts[1], ID: strings.Join(parts[2:n-2], ":"), Topic: bot.Topic(parts[n-1])}
	if c.ID != "" && !validID(c.ID) {
		return customID{}, fmt.Errorf("%w: title id %q", errCustomID, c.ID)
	}
	switch c.Action {
	case actionPick, actionShare, actionDetails:
	default:
		return customID{}, fmt.Errorf("%w: action %q", errCustomID, c.Action)
	}
	if a := parts[n-2]; a != "" {
		age, err := strconv.Atoi(a)
		if err != nil || age < 1 || age > 99 {
			return customID{}, fmt.Errorf("%w: age %q", errCustomID, a)
		}
		c.Age = age
	}
	if c.Topic != "" && !slices.Contains(catalog.Categories(), c.Topic) {
		return customID{}, fmt.Errorf("%w: topic %q", errCustomID, c.Topic)
	}
	return c, nil
}

// validID reports whether id looks like a title id the bot writes: lower-
// case letters, digits and hyphens, in colon-separated parts none of which
// is empty. Anything else is not ours; the bot would call it a stale choice
// anyway, but it need not get that far.
func validID(id string) bool {
	for part := range strings.SplitSeq(id, ":") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
