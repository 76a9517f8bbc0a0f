package discord

import (
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// decodeInteraction parses an interaction payload into the fields the
// adapter reads (interaction, in interactions.go). It decodes into that
// small struct rather than discordgo.Interaction, which also decodes the
// member, guild and channel objects the adapter never reads.
func decodeInteraction(body []byte) (*interaction, error) {
	var i interaction
	if err := json.Unmarshal(body, &i); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInteraction, err)
	}
	if i.Type == 0 {
		return nil, fmt.Errorf("%w: no type", ErrBadInteraction)
	}
	if i.Type != discordgo.InteractionPing && (i.ID == "" || i.Token == "") {
		return nil, fmt.Errorf("%w: no id or token", ErrBadInteraction)
	}
	return &i, nil
}
