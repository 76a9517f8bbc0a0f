package rating

// The tables. Each system says where its values, ages and meanings come
// from; data/README.md ("Rating systems") lists the same sources.
//
// Spellings follow TMDB's /certification/movie/list and /certification/tv/list
// (read from a 2024-25 snapshot, jdrouet/tmdb-api assets/certification-*.json,
// and an older one for spellings TMDB has since changed: FR "U", NZ "13",
// ES "APTA", AU "MA15+"). Old spellings stay as aliases because TMDB's
// release data keeps values entered under older lists.
//
// Ages: MinAge is what the board says the work suits without an adult's
// guidance; where it names two ages the higher wins; where it names none the
// choice is marked "bot's choice". Guidance (advisory) follows the board's
// own words: "not recommended", "parental guidance", "with an adult who
// judges"; legally binding limits are restricted even when an accompanying
// parent may take a younger child in (FSK 12, MA 15+, Nordic companion
// rules). Adult (18+) values are never advisory, whatever the wording.

// Systems advisorybot knows. MPAA and US-TV keep their historic IDs (curated
// reviews use them); the others are the board's usual acronym or the
// country code, with -TV for a country's separate TV scale.
const (
	MPAA       System = "MPAA"  // US films (Motion Picture Association)
	USTV       System = "US-TV" // US TV Parental Guidelines; TV-MA is not an MPAA rating
	BBFC       System = "BBFC"  // GB films, video and TV
	IFCO       System = "IFCO"  // IE films and video
	FSK        System = "FSK"   // DE films and video
	DETV       System = "DE-TV" // DE television (JMStV age levels)
	CNC        System = "CNC"   // FR cinema visas
	FRTV       System = "FR-TV" // FR television (Arcom signalétique)
	Kijkwijzer System = "Kijkwijzer"
	ICAA       System = "ICAA"     // ES films
	ESTV       System = "ES-TV"    // ES television
	ITFilm     System = "IT"       // IT films (Ministero della Cultura)
	ITTV       System = "IT-TV"    // IT television
	SE         System = "SE"       // Statens medieråd
	DK         System = "DK"       // Medierådet for Børn og Unge
	NO         System = "NO"       // Medietilsynet
	AU         System = "AU"       // Australian Classification Board
	AUTV       System = "AU-TV"    // AU television codes of practice
	NZ         System = "NZ"       // NZ Classification Office (OFLC)
	NZTV       System = "NZ-TV"    // NZ broadcasting standards
	CHVRS      System = "CHVRS"    // CA home video (Canadian Home Video Rating System)
	CATV       System = "CA-TV"    // CA English-language TV (AGVOT)
	ClassInd   System = "ClassInd" // BR films and TV
	CBFC       System = "CBFC"     // IN films
	INTV       System = "IN-TV"    // IN streaming/TV (Digital Media Ethics Code)
	Eirin      System = "Eirin"    // JP films
	KMRB       System = "KMRB"     // KR films
	KRTV       System = "KR-TV"    // KR television (KCSC)
)

// countries maps an ISO 3166-1 code to its film and show systems; "" means
// TMDB lists no scale for that kind, so such a lookup is unknown.
//
// Canada: films use CHVRS, the national home-video scale that TMDB's CA list
// follows (G, PG, 14A, 18A, R, E); theatrical ratings are provincial and
// Québec's (CA-QC on TMDB, not an ISO country) is not covered.
var countries = map[string]struct{ film, show System }{
	"US": {MPAA, USTV},
	"GB": {BBFC, BBFC},
	"IE": {IFCO, ""},
	"DE": {FSK, DETV},
	"FR": {CNC, FRTV},
	"NL": {Kijkwijzer, Kijkwijzer},
	"ES": {ICAA, ESTV},
	"IT": {ITFilm, ITTV},
	"SE": {SE, SE},
	"DK": {DK, DK},
	"NO": {NO, NO},
	"AU": {AU, AUTV},
	"NZ": {NZ, NZTV},
	"CA": {CHVRS, CATV},
	"BR": {ClassInd, ClassInd},
	"IN": {CBFC, INTV},
	"JP": {Eirin, ""},
	"KR": {KMRB, KRTV},
}

// systems is small and fixed: a map literal keeps lookups simple without an init().
var systems = map[System]systemInfo{
	// MPA rating system: filmratings.com (CARA "Classification and Rating
	// Rules"). PG names no age: 8 is the bot's choice, kept from the first
	// table (TMDB's gloss says "under 10"; the board does not).
	MPAA: {name: "MPAA", country: "US", values: []entry{
		{value: "G", meaning: "General audiences: all ages admitted"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance suggested: some material may not be suitable for children"},
		{value: "PG-13", minAge: 13, guidance: true, meaning: "Parents strongly cautioned: some material may be inappropriate for children under 13"},
		{value: "R", minAge: 17, meaning: "Restricted: under 17 requires an accompanying parent or adult guardian"},
		{value: "NC-17", minAge: 18, meaning: "Adults only: no one 17 and under admitted"},
	}},
	// TV Parental Guidelines Monitoring Board: tvguidelines.org. TV-PG
	// names no age: 10 is the bot's choice, kept from the first table.
	USTV: {name: "TV Parental Guidelines", country: "US", values: []entry{
		{value: "TV-Y", meaning: "All children"},
		{value: "TV-Y7", minAge: 7, meaning: "Directed to children 7 and older"},
		{value: "TV-G", meaning: "General audience"},
		{value: "TV-PG", minAge: 10, guidance: true, meaning: "Parental guidance suggested"},
		{value: "TV-14", minAge: 14, guidance: true, meaning: "Parents strongly cautioned: may be unsuitable for children under 14"},
		{value: "TV-MA", minAge: 17, meaning: "Mature audience only: may be unsuitable for children under 17"},
	}},
	// BBFC, bbfc.co.uk "Ratings": "A U film should be suitable for
	// audiences aged four years and over"; "A PG film should not unsettle a
	// child aged around eight or older"; 12A admits under-12s with an adult,
	// 12 (video) may not be sold to them. TMDB's GB TV list uses the same
	// values and BBFC wording.
	BBFC: {name: "BBFC", country: "GB", values: []entry{
		{value: "U", minAge: 4, guidance: true, meaning: "Universal: suitable for all; a U film should suit audiences aged four and over"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance: general viewing, but some scenes may be unsuitable for young children; should not unsettle a child aged around eight or older"},
		{value: "12A", minAge: 12, guidance: true, meaning: "Not generally suitable for children under 12; under 12s see it in a cinema only with an adult"},
		{value: "12", minAge: 12, meaning: "Not generally suitable for children under 12; no one under 12 may rent or buy it"},
		{value: "15", minAge: 15, meaning: "Suitable only for 15 years and over"},
		{value: "18", minAge: 18, meaning: "Suitable only for adults"},
		{value: "R18", minAge: 18, meaning: "Restricted 18: adults only, in licensed cinemas and sex shops"},
	}},
	// Irish Film Classification Office, ifco.ie category guidelines: G "suitable
	// for children of school-going age" (school starts at four); PG "suitable
	// for children aged eight and over" with parental guidance under 12 (the
	// higher age is used); 12A/15A admit younger viewers with an adult who
	// judges it suitable; video 12/15 may not be sold to younger viewers.
	IFCO: {name: "IFCO", country: "IE", values: []entry{
		{value: "G", minAge: 4, guidance: true, meaning: "General: suitable for children of school-going age"},
		{value: "PG", minAge: 12, guidance: true, meaning: "Parental guidance: generally suitable for children aged eight and over, with parental guidance under 12"},
		{value: "12A", minAge: 12, guidance: true, meaning: "Suitable for 12 and over; younger children only with an adult who judges it suitable"},
		{value: "12", minAge: 12, meaning: "Video: fit for viewing by persons aged 12 or more; not sold or rented to younger children"},
		{value: "15A", minAge: 15, guidance: true, meaning: "Suitable for 15 and over; younger viewers only with an adult who judges it suitable"},
		{value: "15", minAge: 15, meaning: "Video: fit for viewing by persons aged 15 or more; not sold or rented to younger viewers"},
		{value: "16", minAge: 16, meaning: "Suitable for 16 and over; younger viewers not admitted"},
		{value: "18", minAge: 18, meaning: "Adults only: under 18s not admitted"},
	}},
	// FSK, fsk.de; the five levels are law (Jugendschutzgesetz §14(2)), and
	// the FSF notes they are risk assessments, not recommendations. §11(2)
	// lets children from 6 see an FSK 12 film in a cinema with a parent.
	FSK: {name: "FSK", country: "DE", values: []entry{
		{value: "0", meaning: "Freigegeben ohne Altersbeschränkung: released without age restriction"},
		{value: "6", minAge: 6, meaning: "Freigegeben ab 6 Jahren: released from age 6"},
		{value: "12", minAge: 12, meaning: "Freigegeben ab 12 Jahren: released from age 12; in cinemas from 6 with a parent"},
		{value: "16", minAge: 16, meaning: "Freigegeben ab 16 Jahren: released from age 16"},
		{value: "18", minAge: 18, meaning: "Keine Jugendfreigabe: adults only"},
	}},
	// German television: the same JuSchG age levels, set by FSF or taken
	// from the FSK, placed in time slots by the Jugendmedienschutz-
	// Staatsvertrag §5 (fsf.de "Altersfreigaben und FSF-Kennzeichen").
	DETV: {name: "German TV age rating (FSF/JMStV)", country: "DE", values: []entry{
		{value: "0", meaning: "No age restriction: may air at any time"},
		{value: "6", minAge: 6, meaning: "From age 6: may air in the daytime"},
		{value: "12", minAge: 12, meaning: "From age 12: daytime only where younger children's welfare allows, otherwise from 20:00"},
		{value: "16", minAge: 16, meaning: "From age 16: may air only from 22:00 to 06:00"},
		{value: "18", minAge: 18, meaning: "Adults only: may air only from 23:00 to 06:00"},
	}},
	// Cinema visas: Code du cinéma et de l'image animée art. R211-12 (tous
	// publics; interdit aux mineurs de 12, 16, 18 ans). TMDB's list once
	// spelled tous publics "U" and also listed "10", which is no visa: a
	// TV/video "déconseillé aux moins de 10 ans" (cinemas use a warning);
	// it is kept, advisory, because release data still carries it.
	CNC: {name: "CNC visa", country: "FR", values: []entry{
		{value: "TP", meaning: "Tous publics: visa for all audiences", aliases: []string{"U", "Tous publics"}},
		{value: "10", minAge: 10, guidance: true, meaning: "Déconseillé aux moins de 10 ans: not recommended for children under 10"},
		{value: "12", minAge: 12, meaning: "Interdit aux moins de 12 ans: no one under 12 admitted"},
		{value: "16", minAge: 16, meaning: "Interdit aux moins de 16 ans: no one under 16 admitted"},
		{value: "18", minAge: 18, meaning: "Interdit aux moins de 18 ans: no one under 18 admitted"},
	}},
	// French television: Arcom's signalétique jeunesse (categories II-V,
	// "déconseillé aux moins de N ans"); the time slots are from TMDB's FR TV
	// list and not checked against Arcom's text here. There is no all-ages
	// mark (no pictogram), so TMDB's list has none and neither does this.
	// 16 and 18 air late, 18 behind a parental code: restricted.
	FRTV: {name: "Arcom (FR TV)", country: "FR", values: []entry{
		{value: "10", minAge: 10, guidance: true, meaning: "Déconseillé aux moins de 10 ans: not recommended for children under 10"},
		{value: "12", minAge: 12, guidance: true, meaning: "Déconseillé aux moins de 12 ans: not recommended for children under 12; not before 22:00 as a rule"},
		{value: "16", minAge: 16, meaning: "Déconseillé aux moins de 16 ans: not for under 16s; not before 22:30"},
		{value: "18", minAge: 18, meaning: "Déconseillé aux moins de 18 ans: adults only; late night on few channels, behind a parental code"},
	}},
	// Kijkwijzer (NICAM), kijkwijzer.nl: "possibly harmful to children under
	// N"; 14 and 18 since 1 January 2020. Advice, except that the Criminal
	// Code art. 240a bars under-16s from 16 and 18 films. Films and TV alike.
	Kijkwijzer: {name: "Kijkwijzer", country: "NL", values: []entry{
		{value: "AL", meaning: "Alle leeftijden: not harmful for any age"},
		{value: "6", minAge: 6, guidance: true, meaning: "Possibly harmful to children under 6"},
		{value: "9", minAge: 9, guidance: true, meaning: "Possibly harmful to children under 9"},
		{value: "12", minAge: 12, guidance: true, meaning: "Possibly harmful to children under 12"},
		{value: "14", minAge: 14, guidance: true, meaning: "Possibly harmful to children under 14"},
		{value: "16", minAge: 16, meaning: "Possibly harmful to children under 16; under 16s not admitted to cinemas"},
		{value: "18", minAge: 18, meaning: "Possibly harmful under 18 (extreme violence or pornography); under 16s not admitted"},
	}},
	// ICAA (Spain), criteria of the Resolución of 16 February 2010 (BOE-A-
	// 2010-2728): recommendations, except X. "i" marks "especialmente
	// recomendada para la infancia"; "APTA" is TMDB's older spelling of A.
	ICAA: {name: "ICAA", country: "ES", values: []entry{
		{value: "A", meaning: "Apta para todos los públicos: suitable for all audiences", aliases: []string{"APTA"}},
		{value: "Ai", meaning: "Apta para todos los públicos, especially recommended for children"},
		{value: "7", minAge: 7, guidance: true, meaning: "No recomendada para menores de 7 años: not recommended under 7"},
		{value: "7i", minAge: 7, guidance: true, meaning: "No recomendada para menores de 7 años, especially recommended for children"},
		{value: "12", minAge: 12, guidance: true, meaning: "No recomendada para menores de 12 años: not recommended under 12"},
		{value: "16", minAge: 16, guidance: true, meaning: "No recomendada para menores de 16 años: not recommended under 16"},
		{value: "18", minAge: 18, meaning: "No recomendada para menores de 18 años: not recommended under 18"},
		{value: "X", minAge: 18, meaning: "Película X: no one under 18 admitted; licensed X cinemas only"},
	}},
	// Spanish television: the values and meanings of TMDB's ES TV list
	// (broadcasters' self-regulation code); not checked against the code's
	// own text here.
	ESTV: {name: "Spanish TV rating", country: "ES", values: []entry{
		{value: "ERI", meaning: "Especialmente recomendado para la infancia: especially recommended for children"},
		{value: "TP", meaning: "Todos los públicos: for all audiences"},
		{value: "7", minAge: 7, guidance: true, meaning: "No recomendado para menores de 7 años: not recommended under 7"},
		{value: "10", minAge: 10, guidance: true, meaning: "No recomendado para menores de 10 años: not recommended under 10"},
		{value: "12", minAge: 12, guidance: true, meaning: "No recomendado para menores de 12 años: not recommended under 12"},
		{value: "13", minAge: 13, guidance: true, meaning: "No recomendado para menores de 13 años: not recommended under 13"},
		{value: "16", minAge: 16, guidance: true, meaning: "No recomendado para menores de 16 años: not recommended under 16"},
		{value: "18", minAge: 18, meaning: "No recomendado para menores de 18 años: not recommended under 18"},
	}},
	// Italy since 2021 (D.Lgs. 203/2017; Ministero della Cultura, DG Cinema,
	// "Tutela dei minori – classificazione"): per tutti; non adatte ai minori
	// di 6 (parents decide); vietate ai minori di 14 (12 with a parent) and di
	// 18 (16 with a parent). VM14/VM18 are the pre-2021 nulla osta values
	// (law 161/1962) that older TMDB entries carry. "Non adatte ai minori di
	// 10" (from February 2025) is not in TMDB's list; its spelling there is
	// unknown, so it is not guessed.
	ITFilm: {name: "MiC (IT)", country: "IT", values: []entry{
		{value: "T", meaning: "Opere per tutti: for everyone"},
		{value: "6+", minAge: 6, guidance: true, meaning: "Non adatte ai minori di 6 anni: not suitable for children under 6"},
		{value: "14+", minAge: 14, meaning: "Vietate ai minori di 14 anni: no one under 14, or under 12 with a parent"},
		{value: "18+", minAge: 18, meaning: "Vietate ai minori di 18 anni: no one under 18, or under 16 with a parent"},
		{value: "VM14", minAge: 14, meaning: "Vietato ai minori di 14 anni (before 2021): no one under 14"},
		{value: "VM18", minAge: 18, meaning: "Vietato ai minori di 18 anni (before 2021): no one under 18"},
	}},
	// Italian television: TMDB's IT TV list (T, BA, VM12, VM14, VM18); not
	// checked against the broadcasters' code here. "VM" is "vietato ai
	// minori" (forbidden to minors), so those are restricted; BA names no
	// age: 8 is the bot's choice, as for other PG values.
	ITTV: {name: "Italian TV rating", country: "IT", values: []entry{
		{value: "T", meaning: "Per tutti: suitable for all"},
		{value: "BA", minAge: 8, guidance: true, meaning: "Bambini accompagnati: parental guidance suggested"},
		{value: "VM12", minAge: 12, meaning: "Vietato ai minori di 12 anni: not for children under 12"},
		{value: "VM14", minAge: 14, meaning: "Vietato ai minori di 14 anni: not for children under 14"},
		{value: "VM18", minAge: 18, meaning: "Vietato ai minori di 18 anni: not for minors"},
	}},
	// Statens medieråd, statensmedierad.se "Så fungerar åldersgränserna"
	// (lag 2010:1882): limits, "not to be confused with recommendations";
	// the companion rule lets a child one step younger in with an adult.
	// There is no 18: unreviewed films get 15. TMDB's SE TV list spells the
	// same ages "Från 7 år" etc. (Sweden has no TV board; the labels follow
	// these ages.)
	SE: {name: "Statens medieråd", country: "SE", values: []entry{
		{value: "Btl", meaning: "Barntillåten: may be seen by all ages", aliases: []string{"Barntillåten"}},
		{value: "7", minAge: 7, meaning: "Från 7 år: from age 7; younger children with an adult", aliases: []string{"Från 7 år"}},
		{value: "11", minAge: 11, meaning: "Från 11 år: from age 11; from 7 with an adult", aliases: []string{"Från 11 år"}},
		{value: "15", minAge: 15, meaning: "Från 15 år: from age 15; from 11 with an adult", aliases: []string{"Från 15 år"}},
	}},
	// Medierådet for Børn og Unge, medieraadet.dk; Filmloven §20: allowed for
	// all; allowed for all but not advised under 7; allowed from 11; from 15.
	// Children from 7 may see any film with an adult. "F" is TMDB's
	// "exempt from classification". Films and TV (same marks since 2021).
	DK: {name: "Medierådet (DK)", country: "DK", exempt: []string{"F"}, values: []entry{
		{value: "A", meaning: "Tilladt for alle: allowed for all"},
		{value: "7", minAge: 7, guidance: true, meaning: "Tilladt for alle, men frarådes børn under 7 år: allowed for all, not advised for children under 7"},
		{value: "11", minAge: 11, meaning: "Tilladt for børn fra 11 år: allowed from age 11; from 7 with an adult"},
		{value: "15", minAge: 15, meaning: "Tilladt for børn fra 15 år: allowed from age 15; from 7 with an adult"},
	}},
	// Medietilsynet, medietilsynet.no (limits since 1 July 2015; set by
	// distributors under its guidelines since 2023): binding limits with a
	// companion rule one step down; 18 is absolute. Films and TV.
	NO: {name: "Medietilsynet (NO)", country: "NO", values: []entry{
		{value: "A", meaning: "Tillatt for alle: allowed for all"},
		{value: "6", minAge: 6, meaning: "6 år: from age 6; younger children with an adult"},
		{value: "9", minAge: 9, meaning: "9 år: from age 9; from 6 with an adult"},
		{value: "12", minAge: 12, meaning: "12 år: from age 12; from 9 with an adult"},
		{value: "15", minAge: 15, meaning: "15 år: from age 15; from 12 with an adult"},
		{value: "18", minAge: 18, meaning: "18 år: absolute limit; no one under 18"},
	}},
	// Australian Classification, classification.gov.au "What are ratings":
	// "G, PG and M are advisory categories"; PG "is not recommended for
	// viewing by children under the age of 15 without guidance of a parent
	// or guardian"; M "not recommended for children under the age of 15";
	// MA 15+, R 18+, X 18+ are legally restricted. RC cannot be sold or shown.
	// TMDB now writes "MA 15+"; older entries "MA15+".
	AU: {name: "Australian Classification", country: "AU", exempt: []string{"E"}, values: []entry{
		{value: "G", meaning: "General: suitable for everyone"},
		{value: "PG", minAge: 15, guidance: true, meaning: "Parental guidance: not recommended for children under 15 without a parent's or guardian's guidance"},
		{value: "M", minAge: 15, guidance: true, meaning: "Mature: not recommended for children under 15; not legally restricted"},
		{value: "MA 15+", minAge: 15, meaning: "Mature accompanied: legally restricted to 15 and over; under 15s only with a parent or adult guardian"},
		{value: "R 18+", minAge: 18, meaning: "Restricted: legally restricted to adults"},
		{value: "X 18+", minAge: 18, meaning: "Restricted: sexually explicit, adults only"},
		{value: "RC", minAge: 18, meaning: "Refused classification: may not be sold, hired or shown in Australia"},
	}},
	// Australian television: the classifications of the broadcasters' codes
	// of practice (ALRC Discussion Paper 77, 9.5: P, C, G, PG, M, MA 15+,
	// AV 15+, R 18+), with TMDB's AU TV list's spellings and meanings; the
	// under-15 age of PG and M is taken from the Classification Board's
	// film categories and not checked against the TV codes' text here.
	AUTV: {name: "Australian TV classification", country: "AU", values: []entry{
		{value: "P", meaning: "Preschool: programming for preschool children"},
		{value: "C", meaning: "Children: programming for children"},
		{value: "G", meaning: "General: suitable for all ages"},
		{value: "PG", minAge: 15, guidance: true, meaning: "Parental guidance recommended for young viewers"},
		{value: "M", minAge: 15, guidance: true, meaning: "Mature: recommended for mature audiences"},
		{value: "MA 15+", minAge: 15, meaning: "Mature audience: not suitable for people under 15"},
		{value: "AV 15+", minAge: 15, meaning: "Adult violence: not suitable for people under 15"},
		{value: "R 18+", minAge: 18, meaning: "Restricted: adults only"},
	}},
	// NZ Classification Office, classificationoffice.govt.nz "New Zealand's
	// classification labels": G, PG, M unrestricted (M "more suitable for
	// mature audiences 16 years and over"); R labels are legal limits; RP
	// admits younger people with a parent or guardian. PG names no age: 8
	// is the bot's choice. TMDB's older list wrote R13 etc. as "13".
	NZ: {name: "NZ Classification Office", country: "NZ", values: []entry{
		{value: "G", meaning: "General audiences: anyone can view"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance recommended for younger viewers"},
		{value: "M", minAge: 16, guidance: true, meaning: "Suitable for mature audiences 16 years and over; not restricted"},
		{value: "R13", minAge: 13, meaning: "Restricted to people 13 and over", aliases: []string{"13"}},
		{value: "RP13", minAge: 13, meaning: "Restricted to people 13 and over unless with a parent or guardian"},
		{value: "R15", minAge: 15, meaning: "Restricted to people 15 and over", aliases: []string{"15"}},
		{value: "R16", minAge: 16, meaning: "Restricted to people 16 and over", aliases: []string{"16"}},
		{value: "RP16", minAge: 16, meaning: "Restricted to people 16 and over unless with a parent or guardian"},
		{value: "R18", minAge: 18, meaning: "Restricted to people 18 and over", aliases: []string{"18"}},
		{value: "RP18", minAge: 18, meaning: "Restricted to people 18 and over unless with a parent or guardian"},
		{value: "R", minAge: 18, meaning: "Restricted to a particular class of people or purpose"},
	}},
	// NZ television: TMDB's NZ TV list (G, PG, M, 16, 18, the free-to-air
	// and pay TV codes' classifications); not checked against the codes'
	// text here. PG: 8, the bot's choice.
	NZTV: {name: "NZ TV classification", country: "NZ", values: []entry{
		{value: "G", meaning: "Approved for general viewing"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance recommended for younger viewers"},
		{value: "M", minAge: 16, guidance: true, meaning: "Suitable for mature audiences 16 years and over"},
		{value: "16", minAge: 16, meaning: "People under 16 years should not view"},
		{value: "18", minAge: 18, meaning: "People under 18 years should not view"},
	}},
	// Canadian Home Video Rating System (chvrs.ca; the provincial boards,
	// e.g. Manitoba Film Classification Board, publish the same scale). "A"
	// is on TMDB's CA list from the provincial theatrical scales. PG names no
	// age: 8 is the bot's choice. 14A, like 12A, asks under-14s to view
	// with an adult: advisory; 18A is adult, so restricted.
	CHVRS: {name: "CHVRS (CA)", country: "CA", exempt: []string{"E"}, values: []entry{
		{value: "G", meaning: "General: suitable for viewing by all ages"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance advised: theme or content may not be suitable for all children"},
		{value: "14A", minAge: 14, guidance: true, meaning: "Suitable for 14 and over; under 14s should view with an adult; no rental or purchase by under 14s"},
		{value: "18A", minAge: 18, meaning: "Suitable for 18 and over; under 18s should view with an adult; no rental or purchase by under 18s"},
		{value: "R", minAge: 18, meaning: "Restricted to 18 and over: not suitable for minors"},
		{value: "A", minAge: 18, meaning: "Adult: restricted to 18 and over"},
	}},
	// Canadian English-language TV (AGVOT classification, administered
	// through the CAB/CBSC codes): C8 "acceptable for youngsters 8 years and
	// over to view on their own", co-viewing suggested under 8; PG "may not
	// be suitable for younger children (under the age of 8)"; 14+ "parents
	// strongly cautioned".
	CATV: {name: "Canadian TV classification", country: "CA", exempt: []string{"Exempt", "E"}, values: []entry{
		{value: "C", meaning: "Children: programming for children under 8"},
		{value: "C8", minAge: 8, guidance: true, meaning: "Children 8 and over may watch on their own; co-viewing suggested for younger children", aliases: []string{"C8+"}},
		{value: "G", meaning: "General: suitable for all ages"},
		{value: "PG", minAge: 8, guidance: true, meaning: "Parental guidance: for a general audience, but may not be suitable for children under 8"},
		{value: "14+", minAge: 14, guidance: true, meaning: "May not be suitable for viewers under 14; parents strongly cautioned"},
		{value: "18+", minAge: 18, meaning: "Adult programming: for viewers 18 and over"},
	}},
	// ClassInd (Ministério da Justiça; Portarias 1.189/2018 and 502/2021):
	// indicative, "não recomendado para menores de N anos"; parents may
	// authorise any age up to 16, and only 16- and 17-year-olds for 18.
	// Films and TV alike.
	ClassInd: {name: "ClassInd (BR)", country: "BR", values: []entry{
		{value: "L", meaning: "Livre: for all audiences", aliases: []string{"Livre"}},
		{value: "10", minAge: 10, guidance: true, meaning: "Não recomendado para menores de 10 anos: not recommended under 10"},
		{value: "12", minAge: 12, guidance: true, meaning: "Não recomendado para menores de 12 anos: not recommended under 12"},
		{value: "14", minAge: 14, guidance: true, meaning: "Não recomendado para menores de 14 anos: not recommended under 14"},
		{value: "16", minAge: 16, guidance: true, meaning: "Não recomendado para menores de 16 anos: not recommended under 16"},
		{value: "18", minAge: 18, meaning: "Não recomendado para menores de 18 anos: not for under 18s (16 and 17 only with a parent's authorisation)"},
	}},
	// CBFC (Cinematograph Act 1952 as amended in 2023; CBFC notice of
	// November 2024): U; UA 7+/13+/16+ "unrestricted public exhibition with
	// an endorsement of caution" for parents of younger children; A adults;
	// S a specialised audience. UA (parental guidance under 12) is the
	// pre-2024 value. TMDB writes "U/A 7+"; the CBFC "UA 7+" (same key).
	CBFC: {name: "CBFC", country: "IN", values: []entry{
		{value: "U", meaning: "Unrestricted public exhibition: suitable for all ages"},
		{value: "U/A 7+", minAge: 7, guidance: true, meaning: "Unrestricted, with caution: parents to consider whether a child under 7 may see it"},
		{value: "UA", minAge: 12, guidance: true, meaning: "Unrestricted, with parental guidance for children under 12"},
		{value: "U/A 13+", minAge: 13, guidance: true, meaning: "Unrestricted, with caution: parents to consider whether a child under 13 may see it"},
		{value: "U/A 16+", minAge: 16, guidance: true, meaning: "Unrestricted, with caution: parents to consider whether a child under 16 may see it"},
		{value: "A", minAge: 18, meaning: "Adults only: restricted to 18 and over"},
		{value: "S", minAge: 18, meaning: "Restricted to a specialised audience, such as doctors"},
	}},
	// Indian streaming and TV: the Digital Media Ethics Code (IT Rules 2021)
	// classifications as TMDB's IN TV list spells them; not checked against
	// the Rules' schedule here.
	INTV: {name: "Digital Media Ethics Code (IN)", country: "IN", values: []entry{
		{value: "U", meaning: "Suitable for all ages"},
		{value: "U/A 7+", minAge: 7, guidance: true, meaning: "Suitable for 7 and over; younger children with parental guidance"},
		{value: "U/A 13+", minAge: 13, guidance: true, meaning: "Suitable for 13 and over; younger children with parental guidance"},
		{value: "U/A 16+", minAge: 16, guidance: true, meaning: "Suitable for 16 and over; younger children with parental guidance"},
		{value: "A", minAge: 18, meaning: "Adults only"},
	}},
	// Eirin (Film Classification and Rating Organization), eirin.jp: PG12
	// asks for a parent's or guardian's advice and guidance under 12;
	// R15+ and R18+ admit no one younger.
	Eirin: {name: "Eirin", country: "JP", values: []entry{
		{value: "G", meaning: "General: all ages may view"},
		{value: "PG12", minAge: 12, guidance: true, meaning: "Parental guidance: children under 12 need a parent's or guardian's advice and guidance"},
		{value: "R15+", minAge: 15, meaning: "Restricted: no one under 15 admitted"},
		{value: "R18+", minAge: 18, meaning: "Restricted: no one under 18 admitted"},
	}},
	// KMRB (Korea Media Rating Board), Film and Video Products Promotion Act
	// art. 29: 12 and 15 admit younger children with a parent or guardian;
	// "청소년관람불가" (TMDB "18") bars youth even with a parent, and youth
	// means under 19 (Youth Protection Act art. 2) or still at high school,
	// so it implies 19, as does Restricted Screening.
	KMRB: {name: "KMRB", country: "KR", values: []entry{
		{value: "All", meaning: "전체관람가: all ages"},
		{value: "12", minAge: 12, guidance: true, meaning: "12세이상관람가: 12 and over; younger children with a parent or guardian"},
		{value: "15", minAge: 15, guidance: true, meaning: "15세이상관람가: 15 and over; younger children with a parent or guardian"},
		{value: "18", minAge: 19, meaning: "청소년관람불가: no one under 19 (or at high school) admitted, even with a parent"},
		{value: "Restricted Screening", minAge: 19, meaning: "제한상영가: restricted screening, adults only in licensed cinemas"},
	}},
	// Korean television (Korea Communications Standards Commission), as
	// TMDB's KR TV list spells and explains it: 7, 12, 15 ask for parental
	// discretion; 19 is adults only. Not checked against the KCSC's text.
	KRTV: {name: "KCSC (KR TV)", country: "KR", exempt: []string{"Exempt"}, values: []entry{
		{value: "ALL", meaning: "All ages"},
		{value: "7", minAge: 7, guidance: true, meaning: "May be inappropriate for children under 7; parental discretion advised"},
		{value: "12", minAge: 12, guidance: true, meaning: "May be inappropriate for children under 12; parental discretion advised"},
		{value: "15", minAge: 15, guidance: true, meaning: "May be inappropriate for children under 15; parental discretion advised"},
		{value: "19", minAge: 19, meaning: "Adults only: not for anyone under 19"},
	}},
}
