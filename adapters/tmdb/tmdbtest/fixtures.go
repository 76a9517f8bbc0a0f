package tmdbtest

// FIXTURES. Everything below is test data for the fake TMDB, not a copy of
// TMDB's records: the names and years are those of real titles so that
// tests read naturally, but the ids are invented (in the 900000s), and the
// certifications, descriptors, notes and dates are plausible values chosen
// to exercise the client and the core, not checked against any board.

// Fixture ids. TMDB numbers films and shows separately, so FargoFilm and
// FargoShow share one number on purpose: only the kind tells them apart.
const (
	// Ballerina2016 is the 2016 animated film (released as "Leap!" in the
	// US): release entries of every type 1-6, several per country, a TV
	// airing rated apart from the theatrical release, an empty
	// certification (ES) and NL descriptors.
	Ballerina2016 = 900101
	// Ballerina2023 is the 2023 Korean thriller (a streaming release, type
	// 4 only; the US entry has no certification).
	Ballerina2023 = 900102
	// Ballerina2025 is the 2025 action film ("From the World of John Wick:
	// Ballerina"): a premiere with no certification, then theatrical and
	// digital releases.
	Ballerina2025 = 900103
	// FargoFilm is the 1996 film; FargoShow (same number) the 2014 show.
	FargoFilm = 900201
	FargoShow = 900201
	// Frozen is the 2013 animated film.
	Frozen = 900301
	// LanternKeeper is an invented 2019 film whose release entries all have
	// an empty certification: no certification anywhere.
	LanternKeeper = 900401
	// Bluey is the 2018 children's show, rated in several countries.
	Bluey = 900501
	// HarbourLights is an invented 2020 show with no content rating at all.
	HarbourLights = 900502
	// BallerinaPetrova is an invented person, so that searching
	// "Ballerina" also finds someone who is not a title.
	BallerinaPetrova = 900901
)

type release struct {
	cert  string
	desc  []string
	lang  string
	note  string
	date  string // YYYY-MM-DD; served as TMDB's timestamp
	typ   int
	where string // ISO 3166-1
}

type altTitle struct{ country, title, typ string }

type film struct {
	id                          int
	title, original, lang, date string
	overview                    string
	popularity                  float64
	runtime                     int
	genres                      []int
	releases                    []release
	alt                         []altTitle
}

type rating struct {
	country, value string
	desc           []string
}

type show struct {
	id                         int
	name, original, lang, date string
	overview                   string
	popularity                 float64
	runTime                    []int
	origin                     []string
	genres                     []int
	ratings                    []rating
	alt                        []altTitle
}

type person struct {
	id         int
	name       string
	department string
	popularity float64
}

var films = []film{
	{
		id: Ballerina2016, title: "Ballerina", original: "Ballerina", lang: "fr", date: "2016-12-14",
		overview:   "An orphan girl dreams of becoming a ballerina and flees her rural Brittany for Paris.",
		popularity: 31.4, runtime: 89, genres: []int{16, 35, 10751},
		releases: []release{
			{where: "CA", typ: 1, date: "2016-10-19", note: "Festival premiere"},
			{where: "FR", typ: 3, cert: "U", date: "2016-12-14"},
			{where: "GB", typ: 3, cert: "U", date: "2017-03-31"},
			{where: "GB", typ: 5, cert: "U", date: "2017-07-24", note: "DVD"},
			{where: "DE", typ: 3, cert: "0", date: "2017-02-09"},
			{where: "NL", typ: 3, cert: "6", desc: []string{"Angst"}, lang: "nl", date: "2016-12-21"},
			{where: "ES", typ: 3, cert: "", date: "2016-12-23"},
			{where: "US", typ: 2, cert: "PG", date: "2017-08-25", note: "Limited"},
			{where: "US", typ: 3, cert: "PG", date: "2017-08-25"},
			{where: "US", typ: 4, cert: "PG", date: "2017-11-07"},
			{where: "US", typ: 6, cert: "TV-G", date: "2018-06-01", note: "Broadcast premiere"},
		},
		alt: []altTitle{{"US", "Leap!", ""}, {"CA", "Ballerina", ""}, {"GB", "Ballerina", ""}},
	},
	{
		id: Ballerina2023, title: "Ballerina", original: "발레리나", lang: "ko", date: "2023-10-06",
		overview:   "A former bodyguard sets out to avenge a friend.",
		popularity: 14.9, runtime: 93, genres: []int{28, 53},
		releases: []release{
			{where: "KR", typ: 4, cert: "18", date: "2023-10-06", note: "Netflix"},
			{where: "US", typ: 4, cert: "", date: "2023-10-06", note: "Netflix"},
			{where: "GB", typ: 4, cert: "18", date: "2023-10-06", note: "Netflix"},
			{where: "NL", typ: 4, cert: "16", desc: []string{"Geweld", "Grof taalgebruik"}, date: "2023-10-06", note: "Netflix"},
			{where: "BR", typ: 4, cert: "18", date: "2023-10-06", note: "Netflix"},
		},
		alt: []altTitle{{"KR", "발레리나", ""}, {"US", "Ballerina", ""}},
	},
	{
		id: Ballerina2025, title: "Ballerina", original: "Ballerina", lang: "en", date: "2025-06-04",
		overview:   "An assassin trained in the traditions of the Ruska Roma seeks revenge.",
		popularity: 62.7, runtime: 125, genres: []int{28, 53, 80},
		releases: []release{
			{where: "US", typ: 1, cert: "", date: "2025-06-03", note: "Los Angeles premiere"},
			{where: "US", typ: 3, cert: "R", date: "2025-06-06"},
			{where: "US", typ: 4, cert: "R", date: "2025-07-01"},
			{where: "GB", typ: 3, cert: "18", date: "2025-06-06"},
			{where: "DE", typ: 3, cert: "18", date: "2025-06-05"},
			{where: "FR", typ: 3, cert: "12", date: "2025-06-04"},
			{where: "AU", typ: 3, cert: "MA15+", date: "2025-06-05"},
			{where: "IE", typ: 3, cert: "18", date: "2025-06-06"},
		},
		alt: []altTitle{{"US", "From the World of John Wick: Ballerina", ""}, {"US", "Ballerina", "working title"}},
	},
	{
		id: FargoFilm, title: "Fargo", original: "Fargo", lang: "en", date: "1996-03-08",
		overview:   "A car salesman's plan to have his wife kidnapped goes badly wrong.",
		popularity: 22.3, runtime: 98, genres: []int{80, 18, 53},
		releases: []release{
			{where: "US", typ: 3, cert: "R", date: "1996-03-08"},
			{where: "GB", typ: 3, cert: "18", date: "1996-05-31"},
			{where: "DE", typ: 3, cert: "16", date: "1996-11-07"},
			{where: "FR", typ: 3, cert: "", date: "1996-09-04"},
		},
	},
	{
		id: Frozen, title: "Frozen", original: "Frozen", lang: "en", date: "2013-11-20",
		overview:   "A princess sets off to find her sister, whose icy powers have trapped the kingdom in winter.",
		popularity: 48.1, runtime: 102, genres: []int{16, 10751, 12, 14},
		releases: []release{
			{where: "US", typ: 1, cert: "", date: "2013-11-19", note: "El Capitan Theatre"},
			{where: "US", typ: 3, cert: "PG", date: "2013-11-27"},
			{where: "GB", typ: 3, cert: "U", date: "2013-12-06"},
			{where: "DE", typ: 3, cert: "0", date: "2013-11-28"},
			{where: "NL", typ: 3, cert: "AL", date: "2013-12-11"},
		},
		alt: []altTitle{{"FR", "La Reine des neiges", ""}, {"DE", "Die Eiskönigin – Völlig unverfroren", ""}},
	},
	{
		id: LanternKeeper, title: "The Lantern Keeper", original: "The Lantern Keeper", lang: "en", date: "2019-09-13",
		overview:   "A lighthouse keeper's last winter.",
		popularity: 1.2, runtime: 0, genres: []int{18},
		releases: []release{
			{where: "US", typ: 3, cert: "", date: "2019-09-13"},
			{where: "GB", typ: 4, cert: "", date: "2020-01-20"},
		},
	},
}

var shows = []show{
	{
		id: FargoShow, name: "Fargo", original: "Fargo", lang: "en", date: "2014-04-15",
		overview:   "Crime stories set in the snowy Midwest.",
		popularity: 40.5, runTime: []int{53}, origin: []string{"US"}, genres: []int{80, 18},
		ratings: []rating{
			{"US", "TV-MA", nil},
			{"GB", "15", nil},
			{"DE", "16", nil},
			{"NL", "16", []string{"Geweld", "Grof taalgebruik"}},
			{"AU", "MA15+", nil},
		},
		alt: []altTitle{{"US", "Fargo: The Series", ""}},
	},
	{
		id: Bluey, name: "Bluey", original: "Bluey", lang: "en", date: "2018-10-01",
		overview:   "A six-year-old Blue Heeler dog and her family.",
		popularity: 55.0, runTime: []int{0, 7}, origin: []string{"AU"}, genres: []int{16, 10762},
		ratings: []rating{
			{"AU", "G", nil},
			{"US", "TV-Y", nil},
			{"GB", "U", nil},
			{"DE", "0", nil},
			{"NL", "AL", nil},
		},
	},
	{
		id: HarbourLights, name: "Harbour Lights", original: "Harbour Lights", lang: "en", date: "2020-02-02",
		overview:   "Life in a small fishing port.",
		popularity: 0.9, origin: []string{"GB"}, genres: []int{18},
	},
}

var people = []person{
	{id: BallerinaPetrova, name: "Ballerina Petrova", department: "Acting", popularity: 0.6},
}
