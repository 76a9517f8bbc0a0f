// Package replytest builds replies by hand, for the renderers' golden
// tests: answers the fixture catalog cannot give (certifications from TMDB,
// lists mixing curated and TMDB titles, stale data), worded as the bot
// words them. The titles are invented.
package replytest

import (
	"fmt"

	"advisorybot/bot"
	"advisorybot/bot/rating"
)

// Case is one reply to render.
type Case struct {
	Name  string
	Reply bot.Reply
}

// StaleNote is the bot's note on a rating served from an old cache.
const StaleNote = "The ratings service cannot be reached: this rating is from my cache, 3 days old."

// Cases are the hand-built replies every renderer pins.
func Cases() []Case {
	return []Case{
		{"cert_fallback", Certification(CertSpec{
			Title: "Harbour Lights", Year: 2024, Kind: bot.MediaFilm, TMDBID: 1184918, Age: 12,
			System: rating.MPAA, Value: "PG-13", Country: "US", Fallback: "GB",
			Descriptors: []string{"violence", "some strong language"}, Release: "theatrical release",
			Notes: []string{StaleNote},
		})},
		{"cert_show_caution", Certification(CertSpec{
			Title: "The Lighthouse Keepers", Year: 2022, Kind: bot.MediaShow, TMDBID: 219109, Age: 14,
			System: rating.Kijkwijzer, Value: "12", Country: "NL", Descriptors: []string{"Geweld", "Angst"},
		})},
		{"cert_topic", withTopic(Certification(CertSpec{
			Title: "Harbour Lights", Year: 2024, Kind: bot.MediaFilm, TMDBID: 1184918, Age: 10,
			System: rating.BBFC, Value: "12A", Country: "GB", Release: "theatrical release (IMAX)",
		}), bot.Topic("violence"), "Violence")},
		{"cert_unrated", Unrated("Quiet Fields", 2019, 555001, 12, "GB")},
		{"ambiguous_mixed", Ambiguous()},
		{"not_found_tmdb", NotFound()},
	}
}

// CertSpec describes a certification answer.
type CertSpec struct {
	Title       string
	Year        int
	Kind        bot.MediaKind
	TMDBID      int
	Age         int
	System      rating.System
	Value       string
	Country     string // whose board rated it
	Fallback    string // the asked country, when Country stands in
	Descriptors []string
	Release     string
	Notes       []string
}

// Certification is an answer from an official certification alone, as
// the bot's certificationReply builds it.
func Certification(s CertSpec) bot.Reply {
	rt, err := rating.Lookup(s.System, s.Value)
	if err != nil {
		panic(fmt.Sprintf("replytest: %s %s: %v", s.System, s.Value, err))
	}
	m := bot.TitleRef{ID: TMDBID(s.Kind, s.TMDBID), Title: s.Title, Year: s.Year, Kind: s.Kind, Source: bot.SourceTMDB,
		TMDBID: s.TMDBID, Rating: s.Value, Country: s.Country}
	v := bot.Decide(bot.Facts{Rating: &rt}, s.Age)
	a := &bot.Advisory{Title: s.Title, Year: s.Year, Kind: string(s.Kind), RuntimeMinutes: 104,
		Rating: bot.RatingInfo{System: string(s.System), Value: s.Value, Meaning: rt.Meaning, Reasons: s.Descriptors,
			Country: s.Country, Fallback: s.Fallback, Release: s.Release},
		Source: bot.Attribution{Name: "TMDB", Reference: tmdbURL(s.Kind, s.TMDBID), Evidence: bot.EvidenceRating},
	}
	r := bot.Reply{Query: bot.Query{Intent: bot.IntentAdvisory, Title: s.Title}, Status: bot.StatusFound, Match: &m,
		Candidates: []bot.TitleRef{}, Verdict: &v, Advisory: a, Notes: s.Notes, Notice: bot.TMDBNotice}
	r.Text = fmt.Sprintf("%s: %s. (Source: TMDB.)", m.Label(), v.Headline())
	return r
}

// withTopic makes r the answer to a question about one topic.
func withTopic(r bot.Reply, t bot.Topic, label string) bot.Reply {
	r.Query.Topic, r.Focus = &t, &t
	r.Advisory.Lines = []bot.CategoryLine{{Category: t, Label: label, Severity: "unknown",
		Note: "No detailed review: only the official rating is known."}}
	return r
}

// Unrated is a TMDB title with no certification in the asked country or
// the US: nothing to judge by.
func Unrated(title string, year, id, age int, country string) bot.Reply {
	m := bot.TitleRef{ID: TMDBID(bot.MediaFilm, id), Title: title, Year: year, Kind: bot.MediaFilm, Source: bot.SourceTMDB, TMDBID: id}
	v := bot.Decide(bot.Facts{}, age)
	v.Reasons = []string{fmt.Sprintf("No official rating for %s in %s or %s: I can't say whether it is safe.", m.Label(), country, rating.FallbackCountry)}
	a := &bot.Advisory{Title: title, Year: year, Kind: string(bot.MediaFilm),
		Source: bot.Attribution{Name: "TMDB", Reference: tmdbURL(bot.MediaFilm, id), Evidence: bot.EvidenceNone}}
	return bot.Reply{Query: bot.Query{Intent: bot.IntentAdvisory, Title: title}, Status: bot.StatusFound, Match: &m,
		Candidates: []bot.TitleRef{}, Verdict: &v, Advisory: a, Notice: bot.TMDBNotice,
		Text: fmt.Sprintf("%s: %s. (Source: TMDB.)", m.Label(), v.Headline())}
}

// Ambiguous is "Ballerina" with a curated review and TMDB titles: films
// and a show, rated and not.
func Ambiguous() bot.Reply {
	age := 8
	c := []bot.TitleRef{
		{ID: "ballerina-2023", Title: "Ballerina", Year: 2023, Rating: "TV-MA", Kind: bot.MediaFilm, Source: bot.SourceCurated},
		{ID: TMDBID(bot.MediaFilm, 342473), Title: "Ballerina", Year: 2016, Rating: "PG", Kind: bot.MediaFilm, Source: bot.SourceTMDB, TMDBID: 342473, Country: "US"},
		{ID: TMDBID(bot.MediaFilm, 541671), Title: "Ballerina", Year: 2025, Rating: "R", Kind: bot.MediaFilm, Source: bot.SourceTMDB, TMDBID: 541671, Country: "US"},
		{ID: TMDBID(bot.MediaShow, 98765432), Title: "Ballerina", Year: 2023, Kind: bot.MediaShow, Source: bot.SourceTMDB, TMDBID: 98765432},
	}
	return bot.Reply{Query: bot.Query{Intent: bot.IntentAdvisory, Title: "Ballerina", Age: &age}, Status: bot.StatusAmbiguous,
		Candidates: c, Notice: bot.TMDBNotice,
		Text: `Several titles are called "Ballerina": Ballerina (2023) · film · TV-MA; Ballerina (2016) · film · PG; Ballerina (2025) · film · R; Ballerina (2023) · show. Which one? Pick one, or add the year, e.g. "Ballerina 2023".`}
}

// NotFound is a title neither the catalog nor TMDB knows, with TMDB's
// closest titles as suggestions.
func NotFound() bot.Reply {
	v := bot.Decide(bot.Facts{}, 12)
	v.Reasons = []string{`I found no review or official rating for "Balerina Dreams": I can't say whether it is safe.`}
	c := []bot.TitleRef{
		{ID: TMDBID(bot.MediaFilm, 342473), Title: "Ballerina", Year: 2016, Rating: "PG", Kind: bot.MediaFilm, Source: bot.SourceTMDB, TMDBID: 342473, Country: "US"},
		{ID: TMDBID(bot.MediaShow, 45001), Title: "Ballerina Dreams", Year: 2008, Kind: bot.MediaShow, Source: bot.SourceTMDB, TMDBID: 45001},
	}
	return bot.Reply{Query: bot.Query{Intent: bot.IntentAdvisory, Title: "Balerina Dreams"}, Status: bot.StatusNotFound,
		Candidates: c, Verdict: &v, Notice: bot.TMDBNotice,
		Text: `I couldn't find a review or an official rating of "Balerina Dreams", so I can't say whether it is family-safe. Did you mean: Ballerina (2016) · film · PG; Ballerina Dreams (2008) · show?`}
}

// TMDBID is the bot's id for a TMDB title: "tmdb:film:12345".
func TMDBID(k bot.MediaKind, id int) string { return fmt.Sprintf("tmdb:%s:%d", k, id) }

func tmdbURL(k bot.MediaKind, id int) string {
	kind := "movie"
	if k == bot.MediaShow {
		kind = "tv"
	}
	return fmt.Sprintf("https://www.themoviedb.org/%s/%d", kind, id)
}
