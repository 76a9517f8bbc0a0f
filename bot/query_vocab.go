package bot

import (
	"fmt"
	"strings"

	"advisorybot/bot/catalog"
)

// The words the parser knows, as pattern classes (query_pattern.go). Topic,
// age-group and service classes carry values; the rest only match.
var words = func() vocab {
	v := vocab{}

	// Topic nouns, in the order that decides between two at one place:
	// "sexual violence" is sexual content. Verbs and adjectives follow. All
	// are looked for only in the question's frame, never in the title, so
	// "Violent Night" and "Kill Bill" stay titles.
	v.words(string(catalog.Profanity), `swearing, swear words, swear word, swears, sweary, swearwords, swearword,
		cursing, curse words, curse word, cursewords, cussing, cuss words, cuss word, cusswords,
		bad language, foul language, strong language, crude language, coarse language, rude language,
		adult language, salty language, colorful language, colourful language, vulgar language, obscene language,
		language, profanity, profanities, profane language, bad words, bad word, rude words, dirty words,
		f words, f word, fwords, fword, the f word, f bombs, f bomb, fbombs, fbomb, expletives, expletive,
		obscenities, obscenity, vulgarity, swearing and cursing`)
	v.words(string(catalog.SexualContent), `sexual content, sexual scenes, sexual scene, sexual references,
		sexual reference, sexual situations, sexual innuendo, sexual themes, sexual stuff, sexual violence,
		sex scenes, sex scene, sex stuff, sex references, sex, nudity, nude scenes, nude scene, nudes, nude,
		naked scenes, naked people, naked, nakedness, sexiness, sexy stuff, sexy scenes, sexy bits,
		raunchy stuff, raunchy scenes, raunchy humor, raunchy humour, steamy scenes, rape,
		making out, make out scenes, kissing scenes, kissing, kisses, innuendo, innuendos, love scenes,
		love scene, sex and nudity, adult content, adult themes, sensuality, topless, explicit scenes, explicit content,
		romance, romantic scenes, romantic stuff, romantic content`)
	v.words(string(catalog.Substances), `drug use, drugs use, drug references, drug content, drug taking, drug abuse,
		drugs, drug, alcohol use, alcohol, drinking, drunkenness, drunk scenes, smoking, cigarettes, cigarette,
		cigars, tobacco, vaping, substances, substance use, substance abuse, substance, weed, marijuana,
		booze, beer, cocaine, heroin, narcotics, getting high, getting drunk, drugs and alcohol`)
	v.words(string(catalog.Frightening), `jump scares, jump scare, jumpscares, jumpscare, scary scenes, scary scene,
		scary parts, scary part, scary bits, scary bit, scary stuff, scary moments, scary moment, scary content,
		scary images, scary monsters, scares, spooky stuff, spooky scenes, frightening scenes,
		frightening moments, frightening content, frights, fright, intense scenes,
		intense scene, intense moments, intense content, intensity, horror, disturbing scenes,
		disturbing content, disturbing images, disturbing stuff, disturbing themes, creepy stuff,
		creepy scenes, creepy parts, nightmares, nightmare, nightmare fuel, peril, scariness, tense scenes`)
	v.words(string(catalog.Violence), `violence, violent content, violent scenes, gore, gory scenes,
		brutality, blood, bloodshed, fighting, fights, fight scenes, killing, killings,
		guns, gun, gunfire, shooting, shootings, weapons, weapon, deaths, death, murder, murders, torture,
		action violence, battle scenes, violence and gore`)
	// Things people do on screen: "do they swear in ...", "does anyone die".
	v.add("verb",
		"profanity=swear/curse/cuss", "profanity=use bad/foul/strong language",
		"profanity=say bad/swear/rude words", "profanity=say the f word", "profanity=drop f bombs",
		"substances=smoke [weed/cigarettes]", "substances=drink [alcohol/beer]",
		"substances=do/take/use drugs", "substances=get drunk/high/stoned", "substances=vape",
		"sexual_content=have sex", "sexual_content=sleep together", "sexual_content=hook up",
		"sexual_content=get naked", "sexual_content=make out", "sexual_content=kiss",
		"violence=kill [(people|anyone|anybody|each other|someone)]", "violence=die", "violence=get killed/shot/hurt/murdered",
		"violence=fight", "violence=shoot [(people|each other)]", "violence=murder [people/someone]")
	v.words("killed", "killed, murdered, shot, hurt, injured, dead, killed off, tortured")
	v.add("topic", "{profanity}", "{sexual_content}", "{substances}", "{frightening}", "{violence}")
	v.add("topics", "[the/any/some] {topic} [and/or/& [the] {topic}] [and/or/& [the] {topic}]", "{topic} , {topic} [,] and/or {topic}")
	// Adjectives that end a question: "is Ballerina violent?". A topic
	// noun in the same question wins: "how graphic is the sex".
	v.add("adj",
		"violence=violent/gory/bloody/gruesome/brutal/graphic",
		"frightening=scary/spooky/frightening/terrifying/creepy/disturbing/intense",
		"frightening=scariest/creepiest/spookiest", "violence=goriest/bloodiest/most violent",
		"sexual_content=sexual/sexy/raunchy/steamy/explicit",
		"profanity=sweary/vulgar/crude",
		"frightening=scared/frightened/terrified")
	v.add("scareverb", "frightening=scare/frighten/terrify/traumatize/traumatise")
	v.words("very", "too, very, really, that, so, overly, extremely, super, kinda, kind of, a bit, a little, pretty, quite, too too")
	v.words("quantity", `any more, any, much, a lot of, lots of, many, too much, too many, some, a bunch of, a ton of, tons of,
		loads of, excessive, heavy, strong, graphic, explicit, a little, a bit of, any real`)
	v.words("moodadj", "sad, upsetting, emotional, traumatic, depressing, heavy, dark, mature, adult, grown up, intense emotionally")
	v.add("mood", "[{very}] {moodadj}")

	// Who a film is for.
	v.words("kid", `kid, kids, kiddo, kiddos, child, children, son, sons, daughter, daughters, boy, boys, girl, girls,
		grandson, grandsons, granddaughter, granddaughters, grandkid, grandkids, grandchild, grandchildren,
		niece, nieces, nephew, nephews, twins, twin, students, student, class, pupils, teen, teens, teenager,
		teenagers, teenage kids, teenage son, teenage daughter, teenage boy, teenage girl, tween, tweens, preteen,
		preteens, pre teen, pre teens, toddler, toddlers, preschooler, preschoolers, kindergartner, kindergartners,
		kindergartener, kindergarteners, little one, little ones, littles, family, families, whole family,
		youngsters, youngster, youngest, oldest, eldest, brother, sister, brothers, sisters, stepson, stepdaughter,
		middle schooler, middle schoolers, high schooler, high schoolers, grade schoolers, elementary schoolers,
		family night, family movie night, movie night, young ones, younger ones, little guy, little man,
		baby, babies, newborn, newborns, infant, infants, classroom, preschool, pre school, preschool kids,
		preschool class, kindergarten, kindergarten class, kindergarten kids, school kids, schoolkids, school children,
		elementary school kids, elementary school children, elementary school students, primary school kids,
		primary school children, grade school kids, grade schoolers, elementary schoolers, primary schoolers,
		school age kids, school aged kids, school age children, school aged children`)
	v.words("adult", `adults, adults only, grownups, grown ups, grandma, grandpa, granny, grandad, granddad, nana, grandparents, grandmother, grandfather,
		mom, mum, dad, mother, father, parents, wife, husband, partner, girlfriend, boyfriend, friends, friend,
		cousins, cousin, in laws, mother in law, father in law, sister in law, brother in law, siblings, everyone, everybody, all ages, the whole family, relatives, guests`)
	v.words("adultpos", strings.Join(possessives(`grandma, grandpa, granny, grandad, granddad, nana, nan, mom, mum, dad,
		mother, father, aunt, auntie, uncle, cousin, friend, neighbor, neighbour, sister, brother, mother in law,
		father in law, in laws`), ","))
	v.add("who", "{kid}", "{adult}")
	v.words("det", "my, our, the, a, an, your, his, her, their, young, little, small, big, both, all, older, younger, two, three, these, some, other, new, youngest, oldest, eldest, middle")
	v.add("people", "[{det}] [{det}] [{det}] {who}", "{det} [{det}] one/ones", "[{det}] # {kid}")
	v.add("forwho", "for/with/to/by/around {people} [(and|&|and the|and my) {people}]", "in front of {people}")
	v.add("kidsubj", "[{det}] [{det}] {kid}", "he/she/they/someone")
	v.add("subject", "they/anyone/anybody/someone/somebody/people/characters/he/she/adults/kids",
		"[any/the/a/an] (character|characters|main character|main characters|kid|kids|child|children|dog|dogs|cat|horse|animal|animals|pet|pets|mom|dad|mother|father|parents|hero|villain|bad guys|adults)")
	// Age groups: the youngest the words can mean.
	v.add("group",
		"13=teen/teens/teenager/teenagers/teenaged", "13=teenage [kids/son/daughter/boy/girl/children]", "13=young/early teens",
		"10=tween/tweens/preteen/preteens", "10=pre teen/teens/teenagers",
		"3=toddler/toddlers", "4=preschooler/preschoolers", "4=pre schooler/schoolers",
		"4=preschool/pre-school [kids/children/age/aged/class]", "4=pre school [kids/children/age/aged/class]", "5=kindergarten [kids/class]",
		"5=kindergartner/kindergartners/kindergartener/kindergarteners",
		"6=little/young/small/younger kids/kid/children/child/ones/one", "6=littles",
		"11=middle schooler/schoolers", "14=high schooler/schoolers", "6=grade/elementary schoolers",
		"6=elementary/primary/grade school [age/aged] kids/children/students/schoolers", "6=school age/aged kids/children",
		"1=baby/babies/newborn/newborns/infant/infants")

	// Ages (query_ages.go): "for my little", "6-year-old", "6 y/o", "my two (7 and 10)".
	v.add("agelead", "[(for|with|to|by|and|from) [the]] [my/our/a/an/your/his/her/their/both] [little/young/eldest/oldest/youngest/younger/older/middle/baby/big] [almost/nearly/about/just/barely]")
	// "year" alone is no unit: "is 12 years a slave ok" is a title.
	v.add("unit", "year/years/yr/yrs old/olds", "yr/yrs/yo/yos/yrold", "y / o", "y . o [.]", "y o")
	v.add("years", "{unit}", "year/years")
	v.words("kids", "kids, children, boys, girls, sons, daughters, twins, grandkids, grandchildren, two, three, four, both, little ones, teens")
	v.words("possessive", "son's, daughter's, kid's, child's, boy's, girl's, grandson's, granddaughter's, niece's, nephew's")

	// Is it all right: "ok", "kid friendly", "too mature".
	v.words("ok", `ok, okay, safe, fine, alright, all right, appropriate, suitable, acceptable, clean,
		age appropriate, kid friendly, kids friendly, kid safe, kid appropriate, child friendly, child safe,
		family friendly, familyfriendly, kidfriendly, family safe, family appropriate, family suitable,
		appropiate, apropriate, approriate, appropriat, suitible, sutable, inappropriate, unsuitable,
		too much, too mature, too adult, too grown up, too old, too young, too babyish, too childish, mature,
		ok'd, okay'd, allowed, good enough, ok to watch`)
	// What can stand alone after a title: "Ballerina ok?". Not "alright" or
	// "fine": "The Kids Are Alright" is a film.
	v.words("oktail", `ok, okay, safe, appropriate, suitable, acceptable, age appropriate, kid friendly, kids friendly,
		kid safe, kid appropriate, child friendly, child safe, family friendly, familyfriendly, kidfriendly,
		family safe, family appropriate, appropiate, suitible, too mature, too much, too adult, inappropriate`)
	v.words("quality", "good, any good, worth watching, worth it, worth seeing, worth a watch, worth the watch, any good at all, good at all")
	v.words("watch", "watch, see, view, stream, handle, watch and see")

	// Ratings: after "rated" any case ("rated r"); alone only as written
	// in capitals or as a rating plainly is ("PG-13", "TV-MA").
	v.words("mark", `pg, pg 13, pg13, nc 17, nc17, tv y, tv y7, tv y7 fv, tv g, tv pg, tv 14, tv ma, tvy, tvy7, tvg,
		tvpg, tv14, tvma, 12a, 15a, ma15, ma 15, R, G`)
	v.add("rating", "{mark}", "r/g/m/u/x/M/U/X", "ma", "12/15/18", "unrated", "not rated")
	v.words("ratingword", `rating, ratings, age rating, age ratings, mpaa rating, content rating, film rating,
		movie rating, official rating, certificate, certification, classification, age certificate,
		parents guide, parents ' guide, parent guide, parental guide, parental guidance rating, content advisory,
		advisory, parental advisory, review, reviews`)

	// Where and when: context after a title that is never part of it.
	v.add("service",
		"Netflix=netflix", "Disney+=disney [+/plus]", "Disney+=disneyplus",
		"Prime Video=[amazon] prime [video]", "Prime Video=amazon [video]",
		"Hulu=hulu", "Max=[hbo] max", "Max=hbo/hbomax", "Apple TV+=apple tv [+/plus]", "Apple TV+=appletv/apple",
		"Paramount+=paramount [+/plus]", "Paramount+=paramountplus", "Peacock=peacock",
		"YouTube=youtube [kids/tv]", "YouTube=you tube", "Tubi=tubi", "Pluto TV=pluto [tv]",
		"Crunchyroll=crunchyroll", "Starz=starz", "Showtime=showtime", "Sky=sky [go/cinema]",
		"Now=now tv", "BBC iPlayer=[bbc] iplayer", "BBC iPlayer=bbc", "ITVX=itvx/itv", "Channel 4=channel 4",
		"BritBox=britbox", "Stan=stan", "Crave=crave", "Kanopy=kanopy", "Hoopla=hoopla", "Plex=plex",
		"Vudu=vudu", "Mubi=mubi", "Shudder=shudder", "Fubo=fubo", "Sling=sling", "Roku=roku [channel]",
		"Freevee=[amazon] freevee", "TV=tv/television/cable", "DVD=dvd/dvds", "Blu-ray=blu ray/rays", "Blu-ray=bluray",
		"iTunes=itunes", "Google Play=google play")
	v.words("venue", `cinema, cinemas, the cinema, the movies, movies, movie theater, movie theatre, movie theaters,
		theater, theatre, theaters, theatres, the theater, the theatre, the theaters, the theatres, drive in,
		the drive in, imax, multiplex, the pictures, the flicks, cineplex`)
	// Occasions; those for children make a question a family check.
	v.add("grades", "#th grade [class/classroom/students/trip]", "grade # [class]")
	v.words("kidoccasion", `{grades}, ? class, ? classes, ? lesson, classroom party, school movie night, school assembly,
		school event, school fair, birthday, birthday party, birthday sleepover, birthday celebration, kids party,
		kids' party, sleepover, slumber party, pajama party, playdate, play date, school trip, field trip, class trip,
		family movie night, family night, class, classroom, school, youth group, church group, sunday school,
		sunday school class, scout troop, scouts, girl scouts, boy scouts, brownies, cub scouts, homeschool group,
		homeschool, co op, daycare, camp, summer camp, after school club, lesson, english class, history class,
		science class, sleepover party, class party, school party, end of year party, kids club`)
	v.words("occasion", `party, road trip, car ride, long car ride, car trip, long car trip, long drive, long flight,
		girls ' night, boys ' night, moms ' night, ladies night, ladies ' night, film club, movie club, church movie night,
		book club, reading group, flight, plane ride, rainy day, sick day, snow day,
		movie night, date night, girls night, boys night, game night, halloween, christmas, xmas, thanksgiving,
		easter, new year's eve, new years eve, holidays, holiday, vacation, weekend, club, family gathering, reunion,
		christmas party, halloween party, holiday party, xmas party, new year's party, work party, office party,
		christmas eve, christmas day, christmas morning, christmas night, new year's day, new years day, new year's,
		thanksgiving day, easter sunday, boxing day, valentine's day, valentines day, 4th of july, fourth of july,
		mother's day, father's day, memorial day, labor day, family gathering`)
	v.words("owner", "kid's, kids, kids ', son's, daughter's, child's, children's, friend's, grandson's, granddaughter's, niece's, nephew's, boy's, girl's, twins ', nephews, class's")
	v.words("time", `tonight, today, tomorrow, later today, this weekend, this evening, this afternoon, this morning, tomorrow night, tomorrow evening,
		this friday, this saturday, this sunday, friday night, saturday night, sunday afternoon, on friday,
		on saturday, on sunday, next weekend, this week, over the weekend, over the holidays, this christmas,
		this halloween, right now, later tonight, later today, after school, after dinner, before bed,
		at bedtime, at bed time, for tonight, on the weekend, at the weekend`)

	// How people open and close a message. Not "cool", "great", "next",
	// "morning", "help": "Cool Runnings", "Great Expectations", "Next
	// Friday", "Morning Glory" and "The Help" are films.
	v.words("greeting", `hey, hi, hello, yo, hiya, howdy, ok, okay, so, um, umm, ummm, uh, uhh, uhm, erm, er, hmm,
		hmmm, hm, well, also, alright, oh, ah, please, pls, plz, sorry, actually, i mean, i meant, quick question,
		hey there, hi there, hello there, good morning, good evening, good afternoon, excuse me, ok so, okay so,
		one more, another one, bot, hey bot, dear bot, advisory bot, thanks, thank you, ok cool, ok great,
		ok thanks, and also, anyway, btw, random question, oh and, ps`)
	v.words("thanks", `please, pls, plz, thanks, thank you, thx, ty, tia, thanks in advance, cheers, lol, haha,
		asking for a friend, for me, for us, if you know, if you can, anyone, any idea, any ideas, thoughts,
		any thoughts, your thoughts, opinions, any opinions, any advice, just wondering, wondering, i wonder,
		i'm wondering, im wondering, i was wondering, honestly, seriously, though, tho, anyway, anyways, btw`)
	v.words("whatis", "what is, what's, whats, what are, what're, what was, how is, how's, hows, how are, how was")
	v.words("aux", "is, are, was, were, does, do, did, has, have, will, would, should, can, could, may, might")
	// beaux ask what a title is: "is Frozen ok", "would Frozen be too scary"; not "Do Revenge ok?".
	v.words("beaux", "is, are, was, were, will, would, could, might")
	v.add("country", "[in/from] [the] uk/us/usa/america/britain/england/scotland/canada/australia/ireland/nz/india",
		"[in] new zealand")
	v.words("when", "at the start, at the end, at the beginning, in the beginning, in the end, at first, at the ending, in places, at times, in parts")
	v.words("the_movie", "the movie, the film, the show, the series, the tv show, the tv series, the cartoon, the anime, the documentary, movie, film")
	return v
}()

// possessives are the "'s" forms of a list of words.
func possessives(list string) []string {
	var out []string
	for _, w := range strings.Split(list, ",") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w+"'s")
		}
	}
	return out
}

// groupAge is the age an age-group word means.
func groupAge(value string) int {
	n, _ := isNumber(value)
	return n
}

// frame is one way people put a question around a title: the words before
// and after the slot. Frames are tried in order, each at most once (unless
// fRepeat); each strips its words and leaves the slot for the next.
type frame struct {
	pattern string
	prefix  seq // matched at the start
	suffix  seq // reversed: matched backwards from the end
	slot    bool
	flags   frameFlag
	fact    Fact
	// needs, when set, is a word one of which the question must hold;
	// avoid words none of which it may hold.
	needs, avoid []string
	// firsts and lasts, when set, are the words the question must start
	// and end with for the frame to match: a quick check before matching.
	firsts, lasts map[string]bool
}

type frameFlag uint16

const (
	fFamily     frameFlag = 1 << iota // asks whether it suits someone
	fFollowUp                         // refers back to the conversation: "what about ..."
	fFirst                            // only as the question's first frame (after greetings)
	fMaybeTitle                       // its words may begin or end a title ("What About Bob?")
	fCapsTitle                        // its words are the title's when written with capitals ("Play It Safe")
	fNoise                            // greetings and thanks: not part of the question
	fRepeat                           // may apply more than once
	fNotFirst                         // only after another frame
	fLead                             // leads into a question: "what about the language in Heat"
	fAged                             // only in a question that gives an age: "what if she's 9"
	fCased                            // only in a question with capitals and lower case
	fBareTail                         // a topic after the title, with no word between
	fContext                          // says where or when, but asks nothing: "on Netflix", "tonight"
	fAsks                             // asks something of the title discussed, in words that alone ask nothing: "what is it about"
	fCapsLead                         // its words before the title, but the first, are the title's when capitalised ("is The End of the Affair ...")
)

func (v vocab) frame(pattern string, flags frameFlag) frame {
	f := frame{pattern: pattern, flags: flags}
	before, after, slot := strings.Cut(pattern, "*")
	if strings.Contains(after, "*") {
		panic("frame " + pattern + ": two slots")
	}
	f.slot = slot
	f.prefix = v.compile(before)
	f.suffix = v.compile(after).reversed()
	f.firsts = firstSet(f.prefix)
	f.lasts = firstSet(f.suffix)
	return f
}

// firstSet is the words s can start with, or nil when any word may do.
func firstSet(s seq) map[string]bool {
	words, open := s.first()
	if open {
		return nil
	}
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

func (f frame) withFact(fact Fact) frame { f.fact = fact; return f }

func (f frame) needing(words ...string) frame { f.needs = words; return f }

func (f frame) avoiding(words ...string) frame { f.avoid = words; return f }

// match finds the frame around the whole of w (rev is w reversed): the
// slot is w[from:to], never empty. A frame without a slot matches all of w.
// titleAt, when set, reports whether the words from a place on start with
// the title's own: a shorter suffix that leaves them is preferred.
func (f *frame) match(w, rev []string, titleAt func(from, to int) bool) (from, to int, ok bool) {
	n := len(w)
	if n == 0 || f.firsts != nil && !f.firsts[w[0]] || f.lasts != nil && !f.lasts[rev[0]] {
		return 0, 0, false
	}
	if !f.slot {
		return n, n, matchAll(f.prefix, w, 0, n)
	}
	froms := ends(f.prefix, w, 0)
	if len(froms) == 0 {
		return 0, 0, false
	}
	lens := ends(f.suffix, rev, 0)
	// The most words for the frame: the longest prefix, then the longest
	// suffix that does not start in the title ("Let's Live a Little ok?").
	best, bestLen, bestTitle := -1, -1, false
	for _, p := range froms {
		for _, l := range lens {
			if p >= n-l || p < best {
				continue
			}
			inTitle := l > 0 && titleAt != nil && titleAt(p, n-l)
			if p > best || bestTitle && !inTitle || bestTitle == inTitle && l > bestLen {
				best, bestLen, bestTitle = p, l, inTitle
			}
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return best, n - bestLen, true
}

// frameSet is a set of frames, by their place in frames.
type frameSet [maxFrames / 64]uint64

const maxFrames = 384

func (s *frameSet) add(i int) { s[i/64] |= 1 << (i % 64) }

// frameIndex finds the frames a question's first and last words allow,
// before any is matched.
type frameIndex struct {
	byFirst, byLast     map[string]frameSet
	openFirst, openLast frameSet // frames that may start (end) with any word
}

var frameIdx = func() frameIndex {
	if len(frames) > maxFrames {
		panic(fmt.Sprintf("%d frames, more than %d", len(frames), maxFrames))
	}
	x := frameIndex{byFirst: map[string]frameSet{}, byLast: map[string]frameSet{}}
	for i, f := range frames {
		index := func(words map[string]bool, by map[string]frameSet, open *frameSet) {
			if words == nil {
				open.add(i)
				return
			}
			for w := range words {
				s := by[w]
				s.add(i)
				by[w] = s
			}
		}
		index(f.firsts, x.byFirst, &x.openFirst)
		index(f.lasts, x.byLast, &x.openLast)
	}
	return x
}()

// candidates are the frames that may match a question starting with
// first and ending with last.
func (x *frameIndex) candidates(first, last string) frameSet {
	a, b := x.byFirst[first], x.byLast[last]
	var s frameSet
	for i := range s {
		s[i] = (a[i] | x.openFirst[i]) & (b[i] | x.openLast[i])
	}
	return s
}

// frames, in the order they are tried.
var frames = func() []frame {
	v := words
	f := v.frame
	var fs []frame
	add := func(x ...frame) {
		for _, f := range x {
			if f.fact == FactWhere {
				// "is Moana ok for kids on Disney+" asks whether it is ok.
				f = f.avoiding(familyWords...)
			}
			fs = append(fs, f)
		}
	}
	const (
		fact = fFirst
		sep  = "[-/:/,/'s]"
	)

	// Greetings and thanks, around any question.
	add(
		f("{greeting} [{greeting}] [,/:/!/-/.]", fNoise),
		f("{greeting} [,/:/!/-/.] *", fNoise|fFirst|fMaybeTitle|fRepeat),
		f("* [,/-/.] {thanks}", fNoise|fCapsTitle|fRepeat),
		f("can/could/would/will you [please] [just] (tell me|check|look up|say|find [out]|let me know) [if/whether/about/on/how] *", fNoise),
		f("please/pls [(tell me|check|look up|find)] [if/whether/about/on] *", fNoise|fFirst|fMaybeTitle),
		f("tell me [if/whether/about/on/how] *", fNoise|fFirst|fMaybeTitle),
		f("(i want to know|i'd like to know|i would like to know|do you know|does anyone know|i'm wondering|im wondering|i was wondering|wondering|let me know|i wonder|quick check|i need to know|need to know) [if/whether/about/how] *", fNoise|fMaybeTitle),
		f("[/] (advisory|check|lookup|look up|search|find|info|information|details|advice|review) [for/on/of/about] [:/-] *", fNoise|fFirst|fMaybeTitle),
		// "no, the 2019 one": correcting the bot's reading.
		f("no/nope/nah ,/./!/- [(not that one|not this one|i meant|i mean)] [,/./!/-] *", fNoise|fFirst|fMaybeTitle).needing(correction...),
		f("(not that one|not this one|wrong one|no not that one|nope not that one) [,/./!/-] [(i meant|i mean)] *", fNoise|fFirst),
	)

	// Facts (family 8): only as the whole question, so "is Ballerina on
	// Disney+ ok for kids?" stays a family check with a context.
	add(
		f("how long is/was * [(in minutes|in hours|exactly|roughly|about)]", fact).withFact(FactRuntime),
		f("how long's/longs * [(in minutes|in hours|exactly|roughly|about)]", fact).withFact(FactRuntime),
		f("{whatis} * 's (runtime|length|duration|run time|running time)", fact).withFact(FactRuntime),
		f("{beaux} * [{very}] long [(to watch|for a movie|for a film)]", fact|fCapsTitle).withFact(FactRuntime),
		f("how long does/will * (last|run|go on|go for|take [to watch])", fact).withFact(FactRuntime),
		f("how many minutes/hours [long] is/does *", fact).withFact(FactRuntime),
		f("{whatis} [the] (runtime|length|duration|run time|running time|movie length|film length) [of/for/on] *", fact).withFact(FactRuntime),
		f("[the] (runtime|length|duration|run time|running time) of/for *", fact).withFact(FactRuntime),
		f("* "+sep+" (runtime|length|duration|run time|running time)", fact|fCapsTitle).withFact(FactRuntime),
		f("how long [(is it|does it last)]", 0).withFact(FactRuntime),
		f("[the/its] (runtime|run time|running time)", 0).withFact(FactRuntime),
		f("who directed/made/wrote/produced/directs *", fact).withFact(FactDirector),
		f("(who is|who's|whos|who was) [the] director/directors/filmmaker of *", fact).withFact(FactDirector),
		f("who was * directed/made by", fact).withFact(FactDirector),
		f("[the] director/directors of *", fact).withFact(FactDirector),
		f("* "+sep+" director/directors", fact|fCapsTitle).withFact(FactDirector),
		f("is/are * streaming/available/playing/showing [now] on/in [the] {service} [(yet|now|anymore|still|right now)]", fact).withFact(FactWhere),
		f("is/are * [available/streaming/still/free] on/in [the] {service} [{country}] [or [on] {service}] [{country}] [(yet|now|anymore|still|right now|at the moment)]", fact).withFact(FactWhere),
		// "is Frozen out on Netflix", but "is knives out on netflix": without capitals "out" is the title's.
		f("is/are * out on/in [the] {service} [{country}] [(yet|now|anymore|still|right now|at the moment)]", fact|fCased).withFact(FactWhere),
		f("is/are * [still/now/currently/out] [playing/showing] (in theaters|in theatres|in cinemas|in the cinema|in the theater|in the theatre|at the cinema|at the movies) [(yet|now|anymore|still)]", fact).withFact(FactWhere),
		f("is/are * [out] (on streaming|on any streaming service|anywhere to stream) [yet]", fact).withFact(FactWhere),
		f("is/are * (streaming|available) [(anywhere|yet|now|online|to stream|for streaming|on streaming|to rent|to buy|anywhere online)]", fact).withFact(FactWhere),
		// Release dates and casts are facts the reviews hold too.
		f("when does/did/will * (come out|release|premiere|be out|hit) [(on streaming|in theaters|in theatres|in cinemas|on dvd|on {service})] [{country}]", fact).withFact(FactRelease),
		f("when is/'s * (coming|going) to/on [the] ({service}|theaters|theatres|cinemas|streaming)", fact).withFact(FactRelease),
		f("when is/was * [(coming out|released|out|release|made|filmed)]", fact).withFact(FactRelease),
		f("what year did/was/is * (come out|released|made|from)", fact).withFact(FactRelease),
		f("how old is/'s *", fact|fCapsTitle).withFact(FactRelease),
		f("[the/what's/whats] release date [of/for] *", fact).withFact(FactRelease),
		f("* "+sep+" release date", fact|fCapsTitle).withFact(FactRelease),
		f("(who is|who's|whos|who are|who was) in *", fact).withFact(FactCast),
		f("who stars/starred/acts/plays in *", fact).withFact(FactCast),
		f("(who are the actors|who are the stars|who is the cast) in/of *", fact).withFact(FactCast),
		f("(who are|who's|whos|who is) the (voice actors|voices|actors|voice cast|stars|main actors) in/of/for *", fact).withFact(FactCast),
		f("[the] cast list for/of *", fact).withFact(FactCast),
		f("[the] cast of *", fact).withFact(FactCast),
		f("* "+sep+" cast [list]", fact|fCapsTitle).withFact(FactCast),
		f("where can/could/do/should/would i/we/you/one [go] [and] watch/stream/see/find/rent/buy/get *", fact).withFact(FactWhere),
		f("(where is|where's|wheres|where are) * (streaming|available|playing|showing) [online/now]", fact).withFact(FactWhere),
		f("where to watch/stream/see/find/rent *", fact).withFact(FactWhere),
		f("what/which (streaming service|streaming services|streaming platform|platform|service|app|channel|site) [is/are] * on", fact).withFact(FactWhere),
		f("what/which (streaming service|streaming platform|platform|service|app|channel) has/streams/carries *", fact).withFact(FactWhere),
		f("can/could i/we/you stream *", fact).withFact(FactWhere),
		f("can/could i/you [still] watch/stream/get/rent/buy/find/see * on/in [the] {service} [{country}] [(yet|now|anymore|still|right now)]", fact).withFact(FactWhere),
		f("is/are * out yet/already [(in theaters|in theatres|in cinemas|on streaming)]", fact|fCapsTitle).withFact(FactRelease),
		f("(who plays|who played|who voices|who voiced|who is|who's|whos|who was) [the] ? [?] [?] in *", fact|fMaybeTitle).withFact(FactCast),
	)

	// Questions about the rating itself (family 3), and what a title is about.
	add(
		f("why [is/was] [it] [rated] [a/an] {rating} [rated]", 0),
		f("[its/it's/the] (rating|ratings|age rating|mpaa rating|certificate|classification|parents guide) [please]", 0),
		f("rated", 0),
		f("{whatis} [(the movie|the film|the show|movie|film)] * [all/even/really/actually] about", fFirst|fAsks|fCapsLead),
		f("{whatis} * [all/even/really/actually] about", fFirst|fAsks), // "what is Movie 43 about"
		f("(why is|why's|whys|why was|how come) * [is/was] rated [{rating}] [for]", 0),
		f("(why is|why's|whys|why was|how come) * [is/was] given/assigned/awarded [a/an] {rating} [rating] [for]", 0),
		f("how come * is/was/got [a/an] {mark} [rated/rating]", 0),
		f("(why is|why's|whys|why was) * [a/an] {mark} [rated/rating/movie/film/show]", 0),
		f("why did/'d * get/receive [rated] [a/an] {rating} [rating]", 0),
		f("why'd * get/receive [rated] [a/an] {rating} [rating]", 0),
		f("{whatis} * rated [{country}] [(and why|& why|and for what|and what for)]", 0),
		f("what/which {ratingword} is/does/did/has/was * [have/get/got/receive/carry] [{country}]", 0),
		f("{whatis} [the/its/it's] {ratingword} [{country}]", 0),
		f("{whatis} [the] {ratingword} for/of/on *", 0),
		f("{whatis} * 's {ratingword} [{country}]", 0), // "What's Eating Gilbert Grape rating" is a title
		f("[the] {ratingword} for/of/on *", fFirst),
		f("[the] (rating|age rating|mpaa rating|parents guide|parents ' guide|parent guide|parental guide) *", fFirst|fMaybeTitle),
		f("* "+sep+" {ratingword} [{country}]", 0),
		f("is/was/are * rated [{rating}] [or {rating}]", 0),
		f("is/was/are * [a/an] {mark} [rated/rating] [movie/film/show] [or {mark}]", 0),
		f("is/was/are * a/an {rating} [rated/rating] [movie/film/show]", 0),
		f("* [is] rated [{rating}]", 0),
		f("* [is] [a/an] {mark} [rated/rating] [or {rating}]", 0),
		f("* [is] rated/suitable/appropriate/meant/made/aimed for/at what age/ages", fFamily),

		// "How old do you have to be": the answer is an age, so a family question.
		f("how old do/does/should/must/would [(you|i|one|someone|a kid|a child|kids|children|my kid|my kids|my son|my daughter|he|she|they|people|viewers|we)] [(have to|need to|got to|gotta|need)] be [(in order)] [(to watch|to see|to view|for)] *", fFamily),
		f("how old [(to watch|to see|for)] *", fFamily),
		f("[at/from] what age is/was * [({ok}|meant|aimed|recommended|intended|made|designed|rated|good|geared|targeted)] [for/at/towards]", fFamily),
		f("[at/from] what age can/should/do/must/would [(you|kids|children|a kid|a child|my kid|my son|my daughter|one|people|they|he|she)] [(have to|need to|got to|gotta)] [be] [to] watch/see/view *", fFamily),
		f("what age (group|range) is * [({ok}|meant|aimed|recommended|intended)] [for/at]", fFamily),
		f("what age [(is it)] [{ok}] [for] [to] watch/see *", fFamily),
		f("what age/ages [is/are] [it] [{ok}] for *", fFamily),
		f("(who is|who's|whos|who was) * (for|aimed at|meant for|made for|intended for|geared towards|geared toward|targeted at|suitable for|appropriate for)", fFamily),
		f("{whatis} [the] minimum/recommended/suggested/appropriate/right/youngest [viewing] age (for|to watch|to see|of) *", fFamily),
		f("[the] minimum/recommended/suggested [viewing] age for/of *", fFamily),
		f("* "+sep+" minimum/recommended/suggested [viewing] age", fFamily),
		f("* "+sep+" what age [(is it for|is it|for)]", fFamily),
		f("* "+sep+" how old [(to watch)]", fFamily),
		f("[(is there an)] age limit/limits/restriction/restrictions for/on *", fFamily),
		f("* "+sep+" age limit/restriction", fFamily),
		f("* -/:/, [min/minimum/recommended/suggested/viewing] age/ages [group/range]", fFamily|fCapsTitle),
		f("* min/minimum/recommended/suggested/viewing age/ages [group/range]", fFamily|fCapsTitle),
		f("* age/ages [group/range]", fFamily|fCapsTitle|fCased),
		f("what age [(for|is it for|is it)]", fFamily),
		f("how old [(for|to watch)]", fFamily),
		f("{whatis} [the] minimum/recommended age", fFamily),
	)

	// Follow-ups (family 7): "what about Frozen?", "and for teens?".
	add(
		f("[and/ok/okay/so/but] what/how about *", fFollowUp|fFirst|fMaybeTitle|fLead),
		f("and *", fFollowUp|fFirst|fMaybeTitle|fLead),
		f("same [question/thing] [for/with] *", fFollowUp|fFirst|fMaybeTitle|fLead),
		f("[and/but/so/ok/okay] [what/even] if", fFollowUp|fAged),
		f("[and/also/so/but/then/ok/okay] [(what about|how about)] [for/with/to]", fFollowUp),
		f("same [question/thing] [for/with]", fFollowUp),
	)

	// A topic before the title (family 1).
	add(
		f("how much/many [of] {topics} [is/are] [there] in/on/during *", 0),
		f("how much/many {topics} does/do/did/will * have/contain/include/show/feature/got [(in it)]", 0),
		f("is/are/was/were there [(a|an|one|{quantity})] [(scenes of|scenes with|scenes containing)] {topics} [(at all|scenes)] in/on/during *", 0),
		f("{quantity} {topics} in/on/during *", fFirst),
		f("{topics} in/on/during *", fFirst|fMaybeTitle),
		f("{whatis} [the] {topics} [like/level/levels/content/rating/situation] [like] in/on/during *", 0),
		f("[is/are there] anything/something/stuff [too/very/really] {adj} in/on/during *", 0),
		f("is/are/was the {topics} in/on * [{very}] bad/strong/graphic/extreme/excessive/intense/mild/heavy/frequent/explicit/crude/realistic/gory/bloody", fCapsLead),
		f("[{whatis}] [the] (scariest|creepiest|most violent|goriest|bloodiest|most intense) (part|parts|scene|scenes|bit|bits|moment|moments) [is/are] in/of *", 0),
		f("is/are there anything/something [too/very/really] {adj} [(in it)]", 0),
		f("what (kind|sort|type|level|amount|kinds|sorts|types) of {topics} [is/are] [there] in/on *", 0),
		f("what (kind|sort|type) of {topics} does * have/contain/include/show", 0),
		f("how bad/strong/graphic/explicit/intense/heavy/extreme/much/frequent/realistic/gory/mild/severe/often/bloody is/are [the] {topics} in/on *", 0),
		f("does/do/did/will * have/has/contain/contains/include/includes/show/shows/feature/features/got/depict/use/say/drop/mention [{quantity}] {topics} [(in it|at all|scenes)]", 0),
		f("has * got [{quantity}] {topics} [(in it|at all)]", 0),
		f("is/are/was * (full of|loaded with|heavy on|packed with) [{quantity}] {topics}", 0),
		f("[(how much|how often|how many times)] do/does/did/will [{subject}] [ever] {verb} [(a lot|much|at all|often)] in/on/during *", 0),
		f("does/did/will ? [?] {verb} in/on/during *", 0), // "does Mufasa die in The Lion King"
		f("is/was ? [?] {killed} in/on/during *", 0),
		f("[(how much|how often)] do/does/did/will [{subject}] [ever] {verb} [(a lot|much|at all|often)] [(in it)]", 0),
		f("is/are/was/were/does/do {subject} [ever] [get/gets] {killed} in/on/during *", 0),
		f("is/are/was/were/does/do {subject} [ever] [get/gets] {killed} [(in it)]", 0),
		f("how {adj} is/are/was/will * [(going to be|gonna be|be|really)]", 0),
		f("how {adj}", 0),
		f("is/was/are the (ending|end|beginning|start|opening|finale) of/in * [{very}] {adj}", fCapsLead),
		f("{beaux} * [(going to be|gonna be|be)] [{very}] {adj} [(at all|or not|really)] [{when}]", fCapsTitle),
		f("* "+sep+" [is/are/was] [it/this/that] {very} {adj} [(at all)]", 0),
		f("* "+sep+" how {adj} [is/was] [it/this/that]", 0),
		f("* -/:/,/;/. {adj}", 0),
		f("* {adj}", fCapsTitle),
		f("{aux} * {scareverb} [({people}|them|him|her)]", 0),
		f("would/will/could/does/do [{kidsubj}] be/get scared/frightened/terrified/upset by/of/at *", 0),
		f("* "+sep+" [has/have] (too much|too many) {topics}", fCapsTitle),
		f("* "+sep+" has/have/contains/contain/got/includes/shows [{quantity}] {topics} [(in it)]", fCapsTitle),
		f("[({quantity}|how much|how many|more|any more)] {topics} [(in it|in this|in this one|in that|then|though|too|as well|like|at all|scenes|content|either)]", 0),
		f("is/are/was/were there [{quantity}] [(scenes of|scenes with)] {topics} [(at all|scenes|in it|in this|either)]", 0),
		f("how much/many {topics} is/are there [(in it)]", 0),
		f("{whatis} [the] {topics} [like] [(in it)]", 0),
		f("* {topics}", fFirst|fCapsTitle|fMaybeTitle|fBareTail), // "Heat violence?"; "A History of Violence" is a title
	)

	// Is it all right, and for whom (family 2).
	add(
		f("is/would it [be] [{very}] {ok} [{forwho}] to (watch|see|show|let|put on) [{people}] [watch/see] *", fFamily),
		f("is/would it [be] a good/bad idea to watch/show/let/take [{people}] [(watch|see|to see|to watch)] *", fFamily),
		f("{beaux} * [(going to be|gonna be|be|really|still|actually)] [{very}] {ok} [(or not)] [(to watch|to see|to show|for)]", fFamily|fCapsTitle), // not "is Fail Safe on Netflix"
		f("would/will/could [{kidsubj}] be {ok} with/watching/seeing *", fFamily),
		f("can/could/should/may/will/would/do/does {kidsubj} [(be allowed to|go|go and|get to|still|really)] {watch} *", fFamily),
		f("can/could/should/may/might/would i/we [go] [and] let [({people}|them|him|her)] [go] [and] {watch} *", fFamily),
		f("can/could/should/may/might/would i/we show/take [({people}|them|him|her)] [(to see|to watch|to)] *", fFamily),
		f("can/could/should/may/might/do we [go] [and] (watch|see|view|rent|buy|put on) *", fFamily),
		f("can/could/should/will/would [{kidsubj}] (handle|manage|cope with|sit through|deal with) *", fFamily),
		f("(watching|showing|seeing) *", fFirst|fMaybeTitle),
		f("how is/was/are/'s/hows *", fFirst|fMaybeTitle),
		f("can/could/should/may/might/do [i/you/one] [go] [and] (watch|see|view|rent|buy|put on) *", 0),
		f("would/will/do/does [{kidsubj}] like/enjoy/love *", 0),
		f("[{kidsubj}] (wants|want|wanted|asked|is asking|keeps asking|are asking|is begging|are begging|begged|would like|really wants|really want|is dying|are dying|has been asking|have been asking) [me/us] [to] [go] [and] watch/see *", fFamily),
		f("[(i|we|i am|we are|i'm|im|we're|i was|we were)] (want|wanna|planning|plan|thinking|considering|hoping|going|trying) [of/about/to/on] [go] [and] (watch|watching|see|seeing|show|showing|take|taking) [{people}] [(to see|to watch)] *", 0),
		f("would/do you recommend *", 0),
		f("[any/your] thoughts/opinions on/about *", 0),
		f("what do you think of/about *", 0),
		f("{beaux} * [{very}] {quality} [(at all)]", fCapsTitle),
		f("is/was/are the (ending|end|beginning|start|opening|finale) of/in * {mood}", fCapsLead),
		f("{beaux} * {mood} [{when}]", fCapsTitle),
		f("how {moodadj} is/was/are *", 0),
		f("{aux} * make/makes [({people}|them|him|her|me|us)] cry/sad/upset", fFamily),
		f("[is/are there] anything/something [{very}] inappropriate/innapropriate/iffy/questionable/problematic/concerning/worrying/bad in/on/about *", fFamily),
		f("[is/are there] anything [(i|we)] (should|need to|ought to|have to) (know|worry|be worried|be aware|watch out) [of/about/for] [in/about/with/before watching] *", fFamily),
		f("* "+sep+" [is/are] [it/this/that] {very} {moodadj}", 0),
		f("* "+sep+" [is/are] [it/this/that] {oktail} [(or not)]", fFamily|fCapsTitle),
		f("* "+sep+" (any good|worth watching|worth it|worth seeing|worth a watch)", 0),
		f("{beaux} * a/an [good/great/fun/real/proper/nice/true] (kids|kid|kid's|kids '|children's|childrens|children|child|family|kid friendly|family friendly|child friendly|kids friendly|toddler|teen|teenage|preschool|adult|adults|grown up|grownup) movie/film/show/series/cartoon/one [(to watch)]", fFamily),
		f("* "+sep+" [is/are] [it/this/that] [a/an] (kids|kid's|kids '|children's|family|adult) movie/film/show", fFamily|fCapsTitle),
		f("{whatis} [(the movie|the film|the show|movie|film)] * [all/even/really/actually] like", 0),
		f("* "+sep+" {forwho}", fCapsTitle),
		f("* "+sep+" [{very}] good/great/bad/fine [enough/choice/pick/option/idea]", fCapsTitle|fNotFirst), // "Frozen good for kids?"
		f("* "+sep+" [{very}] good/great/bad/fine [enough/choice/pick/option/idea]", fCapsTitle|fAged),     // "Frozen good for a 5 year old?"
		f("{beaux} * [{very}] long", fCapsTitle),
		f("* to watch/see [with/for] [them/him/her]", 0),
		f("* to show [({people}|them|him|her)]", fFamily),
		f("* "+sep+" for/with/to [a/the] family [movie/film/night/viewing/watch]", fFamily),
		f("* "+sep+" as a family [movie/film]", fFamily),
		f("* (or not|at all|though|then|really|honestly|seriously)", 0).needing(okWords...),
		f("for/with/to/by {people}", 0),
		f("my/our/your/his/her/their [{det}] [{det}] ({who}|one|ones)", fNotFirst), // "what about my teen?"; "My Son" is a film
		f("[{det}] [{det}] [{det}] {kid}", fNotFirst),                              // "and teens?", "what about younger kids?"
		f("is/are [it] [{very}] {ok} [(for|to watch)]", fFamily),
	)

	// Where and when (family 4): context that is never part of the title.
	context := func(x ...frame) {
		for _, f := range x {
			f.flags |= fContext
			add(f)
		}
	}
	context(
		f("* [now] [streaming] on/via/through/using {service} [(app|right now|now)]", 0), // not "Fire on the Amazon"
		f("* at/in [the/a/an] {venue} [(now|right now|tonight|this weekend)]", fCapsTitle),
		f("* in/at imax/3d/4dx/dolby", 0),
		f("* on the big screen", fCapsTitle),
		f("* at home/school/church/camp/daycare", fCapsTitle),
		f("* in/at [{det}] (class|classroom|school|school library)", fFamily|fCapsTitle),
		f("* in/at [{det}] (church|car)", fCapsTitle),
		f("* at/to [{det}] {adultpos} [house/place/home/party]", fCapsTitle),
		f("* \\( [on] {service} \\)", 0),
		f("* on [a/the] (plane|flight|airplane|train|bus|long flight|plane ride|long drive)", fCapsTitle),
		f("* [,] then", fFollowUp|fCapsTitle),
		f("* for/at/on [{det}] [{det}] [{owner}] [#th] {kidoccasion}", fFamily|fCapsTitle),
		f("* for/at/on [{det}] [{det}] [{owner}] [#th] {occasion}", fCapsTitle),
		f("* [for/on] {time}", fCapsTitle),
	)

	// What remains of a question once its title is gone: a question word.
	add(f("{aux} *", fFirst|fMaybeTitle|fContext))
	return fs
}()

// familyWords make a question about a service a family check, not a fact.
var familyWords = []string{"ok", "okay", "safe", "fine", "alright", "appropriate", "suitable", "friendly", "kids",
	"kid", "children", "child", "family", "scary", "violent", "good", "teens", "toddlers", "son", "daughter"}

// correction words say that "no, ..." corrects the bot's reading of a title.
var correction = []string{"one", "version", "meant", "mean", "remake", "original", "film", "movie", "show"}

// okWords are what "or not" may close a question after.
var okWords = []string{"ok", "okay", "safe", "fine", "alright", "appropriate", "suitable", "violent", "scary", "good", "too"}

// quoteOf pairs an opening quote with its closing one.
var quoteOf = map[string]string{`"`: `"`, "“": "”", "'": "'", "‘": "’", "«": "»", "`": "`", "*": "*", "_": "_", "„": "“"}
