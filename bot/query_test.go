package bot_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// qInt and qTopic build the optional Query fields for the parse table.
func qInt(v int) *int { return &v }

func qTopic(c catalog.Category) *bot.Topic { return &c }

// qAlt is a second reading of the title.
func qAlt(title string, year *int) *bot.AltTitle { return &bot.AltTitle{Title: title, Year: year} }

// Shorthands for the parse table.
const (
	pAdvisory = bot.IntentAdvisory
	pFamily   = bot.IntentFamilyCheck
	pTopic    = bot.IntentTopic
	pHelp     = bot.IntentHelp
)

var (
	pViolence   = qTopic(catalog.Violence)
	pSexual     = qTopic(catalog.SexualContent)
	pProfanity  = qTopic(catalog.Profanity)
	pSubstances = qTopic(catalog.Substances)
	pScary      = qTopic(catalog.Frightening)
)

// parseCases are phrasings parents type, with exactly what Parse must
// understand. Every field of Query is compared, so a nil Year, Age or Topic
// is asserted as nil.
var parseCases = []struct {
	in   string
	want bot.Query
}{
	// The brief's required examples.
	{"@advisory is Ballerina family-safe?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"can my 12 year old watch Ballerina (2023)?", bot.Query{Intent: pFamily, Title: "Ballerina", Year: qInt(2023), Age: qInt(12)}},
	{"how much swearing is in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"is there sex in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSexual}},
	{"is John Wick: Chapter 4 ok for a 14 year old?", bot.Query{Intent: pFamily, Title: "John Wick: Chapter 4", Age: qInt(14)}},
	{"what about the language?", bot.Query{Intent: pTopic, Topic: pProfanity, FollowUp: true}},

	// Titles that look like ordinary words.
	{"can my 8 year old watch Up?", bot.Query{Intent: pFamily, Title: "Up", Age: qInt(8)}},
	{"is It ok for kids?", bot.Query{Intent: pFamily, Title: "It"}},
	{"is Her family-safe", bot.Query{Intent: pFamily, Title: "Her"}},
	{"is it violent?", bot.Query{Intent: pTopic, Topic: pViolence, FollowUp: true}},
	{"Up", bot.Query{Intent: pAdvisory, Title: "Up"}},
	{"It", bot.Query{Intent: pAdvisory, Title: "It"}},
	{"Her", bot.Query{Intent: pAdvisory, Title: "Her"}},
	{"Us", bot.Query{Intent: pAdvisory, Title: "Us"}},
	{"is Up ok for a 4 year old", bot.Query{Intent: pFamily, Title: "Up", Age: qInt(4)}},
	{"how violent is It?", bot.Query{Intent: pTopic, Title: "It", Topic: pViolence}},
	{"how violent is it?", bot.Query{Intent: pTopic, Topic: pViolence, FollowUp: true}},
	{"Is It too scary for my 10 year old?", bot.Query{Intent: pTopic, Title: "It", Age: qInt(10), Topic: pScary}},
	{"is Her too sexual for a 15 year old", bot.Query{Intent: pTopic, Title: "Her", Age: qInt(15), Topic: pSexual}},
	{"is Us scary?", bot.Query{Intent: pTopic, Title: "Us", Topic: pScary}},

	// Mentions and broadcasts are never part of the title.
	{"<@123> is Ballerina family-safe?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"<@!123> is Ballerina family-safe?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"<@U123ABC> is Ballerina family-safe?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"<@U123|advisory> Ballerina 2023", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023), Alt: qAlt("Ballerina 2023", nil)}},
	{"<!channel> is Ballerina ok for kids", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"<!everyone> Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"<!here> how violent is Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"is Ballerina <@U123ABC> ok for a 9 year old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(9)}},
	{"hey @advisorybot is Wonka ok for my kids", bot.Query{Intent: pFamily, Title: "Wonka"}},
	{"<@123>", bot.Query{Intent: pHelp}},

	// Help.
	{"", bot.Query{Intent: pHelp}},
	{"   \t\n ", bot.Query{Intent: pHelp}},
	{"help", bot.Query{Intent: pHelp}},
	{"Help!", bot.Query{Intent: pHelp}},
	{"@advisory help", bot.Query{Intent: pHelp}},
	{"?", bot.Query{Intent: pHelp}},
	{"what can you do?", bot.Query{Intent: pHelp}},
	{"how do I use this", bot.Query{Intent: pHelp}},
	{"hi", bot.Query{Intent: pHelp}},
	{"thanks!", bot.Query{Intent: pHelp}},
	{"ok", bot.Query{Intent: pHelp}},
	{"Great, thank you!", bot.Query{Intent: pHelp}},
	{"what?", bot.Query{Intent: pHelp}},
	{"and?", bot.Query{Intent: pHelp}},
	{"what about", bot.Query{Intent: pHelp}},
	{"is it?", bot.Query{Intent: pHelp}},
	{"hmm ok", bot.Query{Intent: pHelp}},

	// Years.
	{"Ballerina 2023", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023), Alt: qAlt("Ballerina 2023", nil)}},
	{"Ballerina (2023)", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023)}},
	{"Ballerina [2016]", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2016)}},
	{"Ballerina, 2016", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2016)}},
	{"Ballerina from 2023", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023)}},
	{"the 2023 Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023)}},
	{"1917", bot.Query{Intent: pAdvisory, Title: "1917"}},
	{"is 1917 ok for a 14 year old", bot.Query{Intent: pFamily, Title: "1917", Age: qInt(14)}},
	{"2001: A Space Odyssey", bot.Query{Intent: pAdvisory, Title: "2001: A Space Odyssey"}},
	{"Blade Runner 2049", bot.Query{Intent: pAdvisory, Title: "Blade Runner 2049"}},
	{"is Blade Runner 2049 too violent", bot.Query{Intent: pTopic, Title: "Blade Runner 2049", Topic: pViolence}},
	{"Death Race 2000", bot.Query{Intent: pAdvisory, Title: "Death Race", Year: qInt(2000), Alt: qAlt("Death Race 2000", nil)}},
	{"is Nosferatu (1922) scary", bot.Query{Intent: pTopic, Title: "Nosferatu", Year: qInt(1922), Topic: pScary}},
	{"is Ballerina (2023) family friendly?", bot.Query{Intent: pFamily, Title: "Ballerina", Year: qInt(2023)}},
	{"Ballerina 2023 for a 12 year old?", bot.Query{Intent: pFamily, Title: "Ballerina", Year: qInt(2023), Age: qInt(12), Alt: qAlt("Ballerina 2023", nil)}},
	{"Ballerina (3000)", bot.Query{Intent: pAdvisory, Title: "Ballerina (3000)"}},

	// Topic words inside titles stay in the title.
	{"Violent Night", bot.Query{Intent: pAdvisory, Title: "Violent Night"}},
	{"Scary Movie", bot.Query{Intent: pAdvisory, Title: "Scary Movie"}},
	{"There Will Be Blood", bot.Query{Intent: pAdvisory, Title: "There Will Be Blood"}},
	{"Sex Education", bot.Query{Intent: pAdvisory, Title: "Sex Education"}},
	{"Kill Bill", bot.Query{Intent: pAdvisory, Title: "Kill Bill"}},
	{"is Scary Movie too scary for a 9-year-old", bot.Query{Intent: pTopic, Title: "Scary Movie", Age: qInt(9), Topic: pScary}},
	{"is There Will Be Blood ok for teens", bot.Query{Intent: pFamily, Title: "There Will Be Blood", Age: qInt(13)}},
	{"is There Will Be Blood?", bot.Query{Intent: pAdvisory, Title: "There Will Be Blood"}},
	{"is Sex Education ok for a 15 year old?", bot.Query{Intent: pFamily, Title: "Sex Education", Age: qInt(15)}},
	{"how much violence is in Violent Night", bot.Query{Intent: pTopic, Title: "Violent Night", Topic: pViolence}},
	{"is Violent Night violent", bot.Query{Intent: pTopic, Title: "Violent Night", Topic: pViolence}},
	{"is Kill Bill too violent for a 16 year old", bot.Query{Intent: pTopic, Title: "Kill Bill", Age: qInt(16), Topic: pViolence}},
	{"is Kill Bill ok for kids", bot.Query{Intent: pFamily, Title: "Kill Bill"}},
	{"The Drug Runners", bot.Query{Intent: pAdvisory, Title: "The Drug Runners"}},
	{"Blood Diamond", bot.Query{Intent: pAdvisory, Title: "Blood Diamond"}},

	// Ages.
	{"is Ballerina ok for a 12-year-old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(12)}},
	{"is Ballerina ok for a twelve year old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(12)}},
	{"is Wicked ok for a seven-year-old?", bot.Query{Intent: pFamily, Title: "Wicked", Age: qInt(7)}},
	{"Ballerina ok for my 6yo?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(6)}},
	{"ballerina ok for 10yo?", bot.Query{Intent: pFamily, Title: "ballerina", Age: qInt(10)}},
	{"is Ballerina ok for age 10", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(10)}},
	{"is Wicked ok for kids aged 7", bot.Query{Intent: pFamily, Title: "Wicked", Age: qInt(7)}},
	{"is Ballerina ok for kids under 13", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(12)}},
	{"is Top Gun: Maverick ok for under 10s", bot.Query{Intent: pFamily, Title: "Top Gun: Maverick", Age: qInt(9)}},
	{"is Ballerina ok for my teen", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(13)}},
	{"Is Oppenheimer appropriate for teenagers?", bot.Query{Intent: pFamily, Title: "Oppenheimer", Age: qInt(13)}},
	{"is The Batman ok for a 13yo", bot.Query{Intent: pFamily, Title: "The Batman", Age: qInt(13)}},
	{"is Wonka ok for ages 6 and up", bot.Query{Intent: pFamily, Title: "Wonka", Age: qInt(6)}},
	{"is Ballerina OK for my 10 yr old son?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(10)}},
	{"is Ballerina age appropriate for 10 year olds", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(10)}},
	{"can a 7 year old watch Moana", bot.Query{Intent: pFamily, Title: "Moana", Age: qInt(7)}},
	{"is Moana 2 ok for a 3 year old", bot.Query{Intent: pFamily, Title: "Moana 2", Age: qInt(3)}},
	{"should I let my 10 year old watch Ballerina?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(10)}},
	{"Can I show Ballerina to my 10 year old?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(10)}},
	{"my daughter is 9, can she watch Coco?", bot.Query{Intent: pFamily, Title: "Coco", Age: qInt(9)}},
	{"is Ballerina ok for an 11 year old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(11)}},
	{"is Spider-Man: Across the Spider-Verse ok for a six year old", bot.Query{Intent: pFamily, Title: "Spider-Man: Across the Spider-Verse", Age: qInt(6)}},
	{"is Inside Out 2 ok for my 5 y/o", bot.Query{Intent: pFamily, Title: "Inside Out 2", Age: qInt(5)}},

	// Family checks without an age.
	{"is Ballerina ok for kids?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is ballerina family friendly", bot.Query{Intent: pFamily, Title: "ballerina"}},
	{"is balerina family-safe?", bot.Query{Intent: pFamily, Title: "balerina"}},
	{"IS BALLERINA FAMILY SAFE", bot.Query{Intent: pFamily, Title: "BALLERINA"}},
	{"is Ballerina kid friendly", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"can the kids watch Ballerina", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"can kids watch Ballerina?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is Frozen suitable for toddlers", bot.Query{Intent: pFamily, Title: "Frozen", Age: qInt(3)}},
	{"Ballerina for family night?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is the movie Ballerina ok for kids or not", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is Oppenheimer too much for the kids?", bot.Query{Intent: pFamily, Title: "Oppenheimer"}},
	{"could you tell me if Ballerina is ok for kids", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"Ballerina - is it ok for kids?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is “Inside Out” family friendly?", bot.Query{Intent: pFamily, Title: "Inside Out"}},
	{"is 'Inside Out' ok for the kids", bot.Query{Intent: pFamily, Title: "Inside Out"}},
	{"\"Inside Out 2\" ok for kids?", bot.Query{Intent: pFamily, Title: "Inside Out 2"}},
	{"is Deadpool & Wolverine safe for kids?", bot.Query{Intent: pFamily, Title: "Deadpool & Wolverine"}},
	{"is Amélie ok for teens?", bot.Query{Intent: pFamily, Title: "Amélie", Age: qInt(13)}},
	{"is   Ballerina\n family-safe??", bot.Query{Intent: pFamily, Title: "Ballerina"}},

	// Topics.
	{"how violent is Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"is Ballerina too violent for a 10 year old", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(10), Topic: pViolence}},
	{"how scary is Coraline for a 6 year old", bot.Query{Intent: pTopic, Title: "Coraline", Age: qInt(6), Topic: pScary}},
	{"any nudity in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSexual}},
	{"does Ballerina have swearing", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"does Ballerina have a lot of violence?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"is there drug use in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSubstances}},
	{"is there any drinking in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSubstances}},
	{"how bad is the language in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"is there a lot of blood in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"any jump scares in Coraline?", bot.Query{Intent: pTopic, Title: "Coraline", Topic: pScary}},
	{"how much profanity is in The Wolf of Wall Street", bot.Query{Intent: pTopic, Title: "The Wolf of Wall Street", Topic: pProfanity}},
	{"how much sex is in The Wolf of Wall Street", bot.Query{Intent: pTopic, Title: "The Wolf of Wall Street", Topic: pSexual}},
	{"is there smoking in Mad Men?", bot.Query{Intent: pTopic, Title: "Mad Men", Topic: pSubstances}},
	{"is Alien: Romulus too gory for a 15 year old", bot.Query{Intent: pTopic, Title: "Alien: Romulus", Age: qInt(15), Topic: pViolence}},
	{"is The Conjuring too scary for my teen?", bot.Query{Intent: pTopic, Title: "The Conjuring", Age: qInt(13), Topic: pScary}},
	{"how's the language in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"what's the violence like in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"does Ballerina contain any nudity", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSexual}},
	{"are there f-bombs in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},

	// Follow-ups: no title, they refer back.
	{"what about drugs?", bot.Query{Intent: pTopic, Topic: pSubstances, FollowUp: true}},
	{"and the violence?", bot.Query{Intent: pTopic, Topic: pViolence, FollowUp: true}},
	{"is it scary?", bot.Query{Intent: pTopic, Topic: pScary, FollowUp: true}},
	{"any swearing?", bot.Query{Intent: pTopic, Topic: pProfanity, FollowUp: true}},
	{"is there nudity?", bot.Query{Intent: pTopic, Topic: pSexual, FollowUp: true}},
	{"is it ok for a 6 year old?", bot.Query{Intent: pFamily, Age: qInt(6), FollowUp: true}},
	{"how about for a 10 year old?", bot.Query{Intent: pFamily, Age: qInt(10), FollowUp: true}},
	{"what about my 8 year old?", bot.Query{Intent: pFamily, Age: qInt(8), FollowUp: true}},
	{"what about for teens?", bot.Query{Intent: pFamily, Age: qInt(13), FollowUp: true}},
	{"is it safe for kids?", bot.Query{Intent: pFamily, FollowUp: true}},
	{"is this one too violent for my 9 year old?", bot.Query{Intent: pTopic, Age: qInt(9), Topic: pViolence, FollowUp: true}},

	// More ways parents ask.
	{"would Ballerina be ok for my 11 year old daughter", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(11)}},
	{"what age is Ballerina suitable for?", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"can my son watch Coco, he is 8", bot.Query{Intent: pFamily, Title: "Coco", Age: qInt(8)}},
	{"is Ballerina ok for my 7 and 10 year old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(7)}},
	{"is Ballerina ok for kids 🤔", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"<:thinking:123456> is Ballerina ok for kids", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is the 2016 Ballerina ok for a 6 year old", bot.Query{Intent: pFamily, Title: "Ballerina", Year: qInt(2016), Age: qInt(6)}},
	{"Ballerina, does it have swearing?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"Ballerina - is it too scary for my 9 year old?", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(9), Topic: pScary}},
	{"is Teen Wolf ok for a 12 year old", bot.Query{Intent: pFamily, Title: "Teen Wolf", Age: qInt(12)}},
	{"is Teen Titans Go! ok for kids", bot.Query{Intent: pFamily, Title: "Teen Titans Go"}},
	{"is Mean Girls ok for tweens", bot.Query{Intent: pFamily, Title: "Mean Girls", Age: qInt(10)}},
	{"Frozen II for a 4yo", bot.Query{Intent: pFamily, Title: "Frozen II", Age: qInt(4)}},
	{"is Ballerina ok for a 12yr old", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(12)}},
	{"Is Gladiator II appropriate for my 14-year-old son?", bot.Query{Intent: pFamily, Title: "Gladiator II", Age: qInt(14)}},
	{"how many f-words in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pProfanity}},
	{"Are there sex scenes in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pSexual}},
	{"how much drinking is in Mad Men", bot.Query{Intent: pTopic, Title: "Mad Men", Topic: pSubstances}},
	{"what's the age rating for Wicked", bot.Query{Intent: pAdvisory, Title: "Wicked"}},
	{"Wicked (2024) age rating", bot.Query{Intent: pAdvisory, Title: "Wicked", Year: qInt(2024)}},
	{"Death Race 2000 ok for teens?", bot.Query{Intent: pFamily, Title: "Death Race", Year: qInt(2000), Age: qInt(13), Alt: qAlt("Death Race 2000", nil)}},
	{"Ballerina 2023 please", bot.Query{Intent: pAdvisory, Title: "Ballerina", Year: qInt(2023), Alt: qAlt("Ballerina 2023", nil)}},
	{"is the movie It scary?", bot.Query{Intent: pTopic, Title: "It", Topic: pScary}},
	{"is there swearing in it?", bot.Query{Intent: pTopic, Topic: pProfanity, FollowUp: true}},
	{"is it too violent for a 10 year old?", bot.Query{Intent: pTopic, Age: qInt(10), Topic: pViolence, FollowUp: true}},
	{"what about sex?", bot.Query{Intent: pTopic, Topic: pSexual, FollowUp: true}},
	{"ok what about scary scenes", bot.Query{Intent: pTopic, Topic: pScary, FollowUp: true}},
	{"is this one ok for an 8 year old", bot.Query{Intent: pFamily, Age: qInt(8), FollowUp: true}},
	{"language?", bot.Query{Intent: pTopic, Topic: pProfanity, FollowUp: true}},
	{"Ballerina 👍", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},

	{"Is the new Ballerina movie ok for kids", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is The New Mutants ok for a 12 year old", bot.Query{Intent: pFamily, Title: "The New Mutants", Age: qInt(12)}},
	{"is The Lego Movie ok for kids", bot.Query{Intent: pFamily, Title: "The Lego Movie"}},
	{"would my 9 yr old be ok with Ballerina", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(9)}},
	{"is ballerina too mature for 12", bot.Query{Intent: pFamily, Title: "ballerina", Age: qInt(12)}},
	{"is Ballerina too scary for 8", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(8), Topic: pScary}},
	{"Is Ballerina OK for 11+", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(11)}},
	{"is Ballerina suitable for 12+?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(12)}},
	{"Tea for Two", bot.Query{Intent: pAdvisory, Title: "Tea for Two"}},
	{"Ocean's 8", bot.Query{Intent: pAdvisory, Title: "Ocean's 8"}},
	{"is Ocean's 11 ok for kids", bot.Query{Intent: pFamily, Title: "Ocean's 11"}},
	{"my kids are 7 and 10, is Ballerina ok?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(7)}},
	{"is Ballerina PG?", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"is Ballerina R rated", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"is Inside Out 2 appropriate for 6 year olds", bot.Query{Intent: pFamily, Title: "Inside Out 2", Age: qInt(6)}},
	{"is The Lion King (2019) too scary for a 4 year old", bot.Query{Intent: pTopic, Title: "The Lion King", Year: qInt(2019), Age: qInt(4), Topic: pScary}},
	{"how graphic is the violence in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"is it ok for my son to watch Ballerina", bot.Query{Intent: pFamily, Title: "Ballerina"}},
	{"is it safe for an 11 year old to watch Ballerina?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(11)}},
	{"Is Ballerina scary for little kids", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(6), Topic: pScary}},

	{"whats the rating on Wicked", bot.Query{Intent: pAdvisory, Title: "Wicked"}},
	{"whats Wicked rated", bot.Query{Intent: pAdvisory, Title: "Wicked"}},
	{"hows the language in Wicked", bot.Query{Intent: pTopic, Title: "Wicked", Topic: pProfanity}},
	{"is Wicked sad?", bot.Query{Intent: pAdvisory, Title: "Wicked"}},
	{"is The Wild Robot too sad for a 5 year old", bot.Query{Intent: pFamily, Title: "The Wild Robot", Age: qInt(5)}},
	{"Can my 6 and 9 year olds watch Home Alone?", bot.Query{Intent: pFamily, Title: "Home Alone", Age: qInt(6)}},
	{"Home Alone with my 5 year old", bot.Query{Intent: pFamily, Title: "Home Alone", Age: qInt(5)}},
	{"Can 10 year olds watch Moana 2?", bot.Query{Intent: pFamily, Title: "Moana 2", Age: qInt(10)}},
	{"How violent is Gladiator II for a 12 yo", bot.Query{Intent: pTopic, Title: "Gladiator II", Age: qInt(12), Topic: pViolence}},
	{"and for a 16 year old?", bot.Query{Intent: pFamily, Age: qInt(16), FollowUp: true}},
	{"ok thanks", bot.Query{Intent: pHelp}},

	{"my son is 11 - is Ballerina ok?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(11)}},
	{"How much violence and swearing is in Ballerina", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pViolence}},
	{"Is Ballerina ok for a 6 y.o.?", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(6)}},
	{"is Ballerina alright for my 8 & 11 year olds", bot.Query{Intent: pFamily, Title: "Ballerina", Age: qInt(8)}},
	{"Is John Wick 4 too violent for 13?", bot.Query{Intent: pTopic, Title: "John Wick 4", Age: qInt(13), Topic: pViolence}},
	{"Ballerina is it scary", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: pScary}},
	{"Ballerina too scary for my little kids", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(6), Topic: pScary}},
	{"Can my 12-year-old daughter watch Ballerina (2023)?", bot.Query{Intent: pFamily, Title: "Ballerina", Year: qInt(2023), Age: qInt(12)}},

	// Frame words at the start of a title stay in it.
	{"Finding Nemo", bot.Query{Intent: pAdvisory, Title: "Finding Nemo"}},
	{"is Finding Nemo ok for a 4 year old", bot.Query{Intent: pFamily, Title: "Finding Nemo", Age: qInt(4)}},
	{"can you check Onward?", bot.Query{Intent: pAdvisory, Title: "Onward"}},
	{"Searching (2018)", bot.Query{Intent: pAdvisory, Title: "Searching", Year: qInt(2018)}},
	{"Parental Guidance", bot.Query{Intent: pAdvisory, Title: "Parental Guidance"}},
	{"tell me about Ifyou", bot.Query{Intent: pAdvisory, Title: "Ifyou"}},
	{"is Showtime ok for kids", bot.Query{Intent: pFamily, Title: "Showtime"}},
	{"Is Anyone There?", bot.Query{Intent: pAdvisory, Title: "Is Anyone There", Alt: qAlt("Anyone There", nil)}},

	// Plain look-ups in other words.
	{"Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"balerina", bot.Query{Intent: pAdvisory, Title: "balerina"}},
	{"/advisory Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"check Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"tell me about Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"what is Ballerina rated?", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"what's Ballerina rated?", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"what's the rating for Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"parents guide for Ballerina", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"Ballerina parents guide", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"Moana 2 age rating", bot.Query{Intent: pAdvisory, Title: "Moana 2"}},
	{"is Ballerina rated R?", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"is Ballerina rated PG-13", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"Ballerina pls", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"can you check Ballerina for me?", bot.Query{Intent: pAdvisory, Title: "Ballerina"}},
	{"Leap!", bot.Query{Intent: pAdvisory, Title: "Leap"}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.in, func(t *testing.T) {
			got := bot.Parse(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q)\n got  %s\n want %s", tc.in, fmtQuery(got), fmtQuery(tc.want))
			}
		})
	}
}

func fmtQuery(q bot.Query) string {
	p := func(v *int) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprint(*v)
	}
	t := "nil"
	if q.Topic != nil {
		t = string(*q.Topic)
	}
	s := fmt.Sprintf("{intent:%s title:%q year:%s age:%s topic:%s follow_up:%t", q.Intent, q.Title, p(q.Year), p(q.Age), t, q.FollowUp)
	if q.Alt != nil {
		s += fmt.Sprintf(" alt:%q/%s", q.Alt.Title, p(q.Alt.Year))
	}
	if q.RejectedAge != nil {
		s += " rejected_age:" + p(q.RejectedAge)
	}
	if q.Fact != "" {
		s += fmt.Sprintf(" fact:%s service:%q", q.Fact, q.Service)
	}
	return s + "}"
}

// TestParseNeverKeepsMentions: whatever surrounds or breaks a mention or
// broadcast token, none of it reaches the title.
func TestParseNeverKeepsMentions(t *testing.T) {
	for _, in := range []string{
		"<@123> Ballerina", "<@!123> Ballerina", "<@U123ABC> Ballerina", "<@U123|name> Ballerina",
		"<!channel> Ballerina", "<!everyone> Ballerina", "<!here> Ballerina", "<!subteam^S123|team> Ballerina",
		"Ballerina <@123>", "Ballerina<@123>", "<@123>Ballerina", "is <@ Ballerina ok", "Ballerina <!", "<@",
		"<<@123>@456> Ballerina", "<@<@123>> Ballerina", "Ballerina <@U123 ABC>", "<! here> Ballerina",
		"<<!here>!here> Ballerina", "<<<@@1>>> Ballerina", "\"<@\" Ballerina", "Ballerina (<@1>2023)",
	} {
		q := bot.Parse(in)
		if strings.Contains(q.Title, "<@") || strings.Contains(q.Title, "<!") {
			t.Errorf("Parse(%q).Title = %q keeps a mention", in, q.Title)
		}
		if !strings.Contains(in, "Ballerina") {
			continue
		}
		if !strings.Contains(q.Title, "Ballerina") {
			t.Errorf("Parse(%q).Title = %q lost the film", in, q.Title)
		}
	}
}

// checkParse asserts the properties every parse has, whatever the input.
func checkParse(t *testing.T, in string, q bot.Query) {
	t.Helper()
	if q.Title != strings.TrimSpace(q.Title) {
		t.Errorf("Parse(%q).Title = %q has surrounding space", in, q.Title)
	}
	if q.Intent == bot.IntentHelp && !reflect.DeepEqual(q, bot.Query{Intent: bot.IntentHelp}) {
		t.Errorf("Parse(%q) = %s: help carries no question", in, fmtQuery(q))
	}
	switch q.Intent {
	case bot.IntentAdvisory, bot.IntentFamilyCheck, bot.IntentTopic, bot.IntentFact, bot.IntentHelp:
	default:
		t.Errorf("Parse(%q).Intent = %q", in, q.Intent)
	}
	if q.Year != nil && (*q.Year < 1888 || *q.Year > 2035) {
		t.Errorf("Parse(%q).Year = %d out of range", in, *q.Year)
	}
	if q.Age != nil && (*q.Age < 1 || *q.Age > 120) {
		t.Errorf("Parse(%q).Age = %d out of range", in, *q.Age)
	}
	if q.RejectedAge != nil && *q.RejectedAge >= 1 && *q.RejectedAge <= 120 {
		t.Errorf("Parse(%q).RejectedAge = %d is a possible age", in, *q.RejectedAge)
	}
	if q.Topic != nil && !isCategory(*q.Topic) {
		t.Errorf("Parse(%q).Topic = %q is not a category", in, *q.Topic)
	}
	if q.Intent == bot.IntentTopic && q.Topic == nil || q.Topic != nil && q.Intent != bot.IntentTopic && q.Intent != bot.IntentFact {
		t.Errorf("Parse(%q) = %s: topic and intent disagree", in, fmtQuery(q))
	}
	if (q.Fact != "") != (q.Intent == bot.IntentFact) || q.Service != "" && q.Fact != bot.FactWhere {
		t.Errorf("Parse(%q) = %s: fact and intent disagree", in, fmtQuery(q))
	}
	if q.Intent != bot.IntentHelp && q.Title == "" && !q.FollowUp {
		t.Errorf("Parse(%q) = %s: a question without a title is a follow-up", in, fmtQuery(q))
	}
	if q.Alt != nil && (q.Title == "" || q.Alt.Title == "" || q.Alt.Title == q.Title || len(q.Alt.Title) > len(in)) {
		t.Errorf("Parse(%q) = %s: a second reading differs from the first and has a title", in, fmtQuery(q))
	}
	for _, title := range []string{q.Title, altTitle(q)} {
		if len(title) > len(in) {
			t.Errorf("Parse(%q).Title = %q is longer than the input", in, title)
		}
		if strings.Contains(title, "<@") || strings.Contains(title, "<!") {
			t.Errorf("Parse(%q).Title = %q keeps a mention", in, title)
		}
		if utf8.ValidString(in) && !utf8.ValidString(title) {
			t.Errorf("Parse(%q).Title = %q is not valid UTF-8", in, title)
		}
	}
}

func altTitle(q bot.Query) string {
	if q.Alt == nil {
		return ""
	}
	return q.Alt.Title
}

func isCategory(c catalog.Category) bool {
	for _, k := range catalog.Categories() {
		if c == k {
			return true
		}
	}
	return false
}

func TestParseProperties(t *testing.T) {
	for _, tc := range parseCases {
		checkParse(t, tc.in, bot.Parse(tc.in))
	}
	long := strings.Repeat("is Ballerina ok for kids ", 100)
	checkParse(t, long, bot.Parse(long))
	// A cut in the middle of a multi-byte rune must not leave half a rune.
	cut := "x" + strings.Repeat("é", 400)
	checkParse(t, cut, bot.Parse(cut))
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	for _, table := range []map[string][]familyRow{families, heldOut, heldOutSweeps} {
		for _, rows := range table {
			for _, row := range rows {
				f.Add(row.in)
			}
		}
	}
	// Inputs that found bugs, or that stress the parser's quick keyword checks.
	for _, in := range []string{
		"is <@ Ballerina ok", "<<@123>@456> Ballerina", "Ballerina <!", "<@",
		"is \u017fex in Ballerina for my \u212aids aged 7", // ſ and the Kelvin sign fold to ASCII letters
		"Is It too\u008b\u008bfor 0Yrold!", "under - 12 ok yo", "Is It scary 0or00Yrold",
		"AdvisorYA0", "my language 10 year old", "Checkmate", "check Onward", "A'mY 0Yr old",
		strings.Repeat("is ", 200), strings.Repeat("what about ", 50), strings.Repeat("x too scary", 50),
		"x" + strings.Repeat("é", 300), strings.Repeat("12 year old ", 50),
	} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q := bot.Parse(in)
		checkParse(t, in, q)
		// The parse is a function of its input.
		if again := bot.Parse(in); !reflect.DeepEqual(q, again) {
			t.Errorf("Parse(%q) is not deterministic: %s then %s", in, fmtQuery(q), fmtQuery(again))
		}
	})
}

// BenchmarkParse parses one first-seen question of each family of issue 13,
// a bare title, and a long worst case (every comma a place to look for a
// question after the title).
func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"title", "Ballerina"},
		{"1_topic_before_title", "is there any swearing in The Big Lebowski?"},
		{"2_question_after_title", "Coraline - how scary is it for a 6 year old?"},
		{"3_rating", "why is The King's Speech rated R?"},
		{"4_context", "is Moana ok for kids on Disney+ tonight"},
		{"5_ages", "can my two (7 and 10) watch Shrek"},
		{"6_tricky_title", "is Where the Crawdads Sing too sexual for a 14 year old"},
		{"7_follow_up", "what about Toy Story 2 for a 4 year old?"},
		{"8_fact", "is Paddington 2 on Hulu yet"},
		{"9_noise", "<@U123ABC> hey bot, IS COCO OK FOR KIDS 😊"},
		{"long", strings.Repeat("Wicked, ", 60)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bot.Parse(bc.text)
			}
		})
	}
}

// TestParseTopicVocabulary asks about every topic word the parser knows, in
// a frame and as a bare follow-up, so no word is lost to the quick keyword
// check that skips the topic patterns.
func TestParseTopicVocabulary(t *testing.T) {
	vocabulary := map[catalog.Category][]string{
		catalog.Profanity: {"swearing", "swear words", "swears", "cursing", "curse words", "cussing", "cuss words",
			"bad language", "foul language", "strong language", "language", "profanity", "profanities", "bad words",
			"f-words", "fwords", "f-bombs", "fbombs", "expletives", "obscenities"},
		catalog.SexualContent: {"sexual content", "sex scenes", "sexual violence", "sex", "nudity", "nude scenes",
			"nudes", "nakedness", "sexiness", "sexy stuff", "rape", "making out"},
		catalog.Substances: {"drug use", "drugs", "alcohol", "drinking", "smoking", "cigarettes", "substances",
			"substance use", "weed", "marijuana", "booze"},
		catalog.Frightening: {"jump scares", "jumpscares", "scary scenes", "scary stuff", "scares", "frights",
			"intense scenes", "intensity", "horror", "disturbing content", "nightmares"},
		catalog.Violence: {"violence", "gore", "blood", "fighting", "fights", "killing", "killings", "guns",
			"weapons", "deaths"},
	}
	adjectives := map[catalog.Category][]string{
		catalog.Profanity:     {"sweary"},
		catalog.SexualContent: {"sexual", "sexy", "raunchy", "steamy"},
		catalog.Frightening:   {"scary", "spooky", "frightening", "terrifying", "intense", "disturbing", "creepy"},
		catalog.Violence:      {"violent", "gory", "bloody", "gruesome"},
	}
	check := func(in string, want bot.Query) {
		t.Helper()
		if got := bot.Parse(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q)\n got  %s\n want %s", in, fmtQuery(got), fmtQuery(want))
		}
	}
	for cat, words := range vocabulary {
		for _, w := range words {
			check("how much "+w+" is in Ballerina?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: qTopic(cat)})
			check("does Ballerina have "+w, bot.Query{Intent: pTopic, Title: "Ballerina", Topic: qTopic(cat)})
			check("what about the "+w+"?", bot.Query{Intent: pTopic, Topic: qTopic(cat), FollowUp: true})
			// Alone, a topic word asks about the film just discussed...
			check(strings.ToUpper(w[:1])+w[1:]+"?", bot.Query{Intent: pTopic, Topic: qTopic(cat), FollowUp: true})
			// ...but inside a title it is part of the name.
			title := strings.ToUpper(w[:1]) + w[1:] + " Island"
			check(title, bot.Query{Intent: pAdvisory, Title: title})
			check("is "+title+" ok for kids?", bot.Query{Intent: pFamily, Title: title})
			check("The "+title, bot.Query{Intent: pAdvisory, Title: "The " + title})
		}
	}
	for cat, words := range adjectives {
		for _, w := range words {
			check("is Ballerina "+w+"?", bot.Query{Intent: pTopic, Title: "Ballerina", Topic: qTopic(cat)})
			check("is Ballerina too "+w+" for a 9 year old?", bot.Query{Intent: pTopic, Title: "Ballerina", Age: qInt(9), Topic: qTopic(cat)})
			check("is it "+w+"?", bot.Query{Intent: pTopic, Topic: qTopic(cat), FollowUp: true})
		}
	}
}
