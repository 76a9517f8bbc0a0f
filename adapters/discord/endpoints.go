package discord

import "github.com/bwmarrin/discordgo"

// UseAPIBase points discordgo at another Discord, e.g. "http://127.0.0.1:8999/"
// for a local fake in tests (DISCORD_API_BASE). discordgo builds its
// endpoints once, as package variables, from EndpointDiscord; every string
// derived from it is rebuilt here (the Endpoint* functions read these at
// call time). Call it before any session is created: it is not safe to
// call while sessions run.
func UseAPIBase(base string) {
	if base == "" {
		return
	}
	if base[len(base)-1] != '/' {
		base += "/"
	}
	discordgo.EndpointDiscord = base
	discordgo.EndpointAPI = base + "api/v" + discordgo.APIVersion + "/"
	api := discordgo.EndpointAPI
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = discordgo.EndpointGateway + "/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointStickers = api + "stickers/"
	discordgo.EndpointStageInstances = api + "stage-instances"
	discordgo.EndpointSKUs = api + "skus"
	discordgo.EndpointVoice = api + "/voice/"
	discordgo.EndpointVoiceRegions = discordgo.EndpointVoice + "regions"
	discordgo.EndpointNitroStickersPacks = api + "/sticker-packs"
	discordgo.EndpointGuildCreate = api + "guilds"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = discordgo.EndpointOAuth2 + "applications"
	discordgo.EndpointOauth2 = discordgo.EndpointOAuth2
	discordgo.EndpointOauth2Applications = discordgo.EndpointOAuth2Applications
	// EndpointCDN* and EndpointStatus* are other hosts the bot never uses.
}
