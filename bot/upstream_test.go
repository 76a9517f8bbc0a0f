package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
)

// TestAnswersFromTMDB: titles the catalog lacks are answered from TMDB's
// certification, for the asked country; the verdict is never safe.
func TestAnswersFromTMDB(t *testing.T) {
	fake := tmdbtest.New(t)
	bots := map[string]*bot.Bot{}
	botFor := func(country string) *bot.Bot {
		if bots[country] == nil {
			bots[country] = tmdbBot(t, fake, bot.Config{Country: country})
		}
		return bots[country]
	}
	tests := []struct {
		name     string
		country  string
		text     string
		id       string // the match
		source   string
		rating   string // the match's rating value
		ratedIn  string // whose board rated it
		fallback string // RatingInfo.Fallback
		level    bot.Level
		age      int
		evidence bot.Evidence
	}{
		{"film at the default age", "", "is Frozen family-safe?", filmID(tmdbtest.Frozen), "tmdb", "PG", "US", "", bot.Caution, 12, bot.EvidenceRating},
		{"below the rating's age", "", "can my 6 year old watch Frozen?", filmID(tmdbtest.Frozen), "tmdb", "PG", "US", "", bot.NotSafe, 6, bot.EvidenceRating},
		{"at the rating's age: caution, never safe", "", "can my 8 year old watch Frozen?", filmID(tmdbtest.Frozen), "tmdb", "PG", "US", "", bot.Caution, 8, bot.EvidenceRating},
		{"all-ages show: caution, never safe", "", "is Bluey ok for my 4 year old?", showID(tmdbtest.Bluey), "tmdb", "TV-Y", "US", "", bot.Caution, 4, bot.EvidenceRating},
		{"restricted film", "", "Ballerina 2025", filmID(tmdbtest.Ballerina2025), "tmdb", "R", "US", "", bot.NotSafe, 12, bot.EvidenceRating},
		{"restricted film at its age", "", "can my 17 year old watch Ballerina 2025", filmID(tmdbtest.Ballerina2025), "tmdb", "R", "US", "", bot.Caution, 17, bot.EvidenceRating},
		{"picked by year", "", "Ballerina 2016", filmID(tmdbtest.Ballerina2016), "tmdb", "PG", "US", "", bot.Caution, 12, bot.EvidenceRating},
		{"show picked by year", "", "Fargo 2014", showID(tmdbtest.FargoShow), "tmdb", "TV-MA", "US", "", bot.NotSafe, 12, bot.EvidenceRating},
		{"curated wins over TMDB's same title and year", "", "Ballerina 2023", "ballerina-2023", "curated", "TV-MA", "US", "", bot.NotSafe, 12, bot.EvidenceCurated},
		{"no certification anywhere", "", "The Lantern Keeper", filmID(tmdbtest.LanternKeeper), "tmdb", "", "", "", bot.Unknown, 12, bot.EvidenceNone},
		{"show without content rating", "", "Harbour Lights", showID(tmdbtest.HarbourLights), "tmdb", "", "", "", bot.Unknown, 12, bot.EvidenceNone},
		{"the community's country", "GB", "Frozen", filmID(tmdbtest.Frozen), "tmdb", "U", "GB", "", bot.Caution, 12, bot.EvidenceRating},
		{"the country's own restriction", "GB", "Ballerina 2025", filmID(tmdbtest.Ballerina2025), "tmdb", "18", "GB", "", bot.NotSafe, 12, bot.EvidenceRating},
		{"lower-case country", "gb", "Frozen", filmID(tmdbtest.Frozen), "tmdb", "U", "GB", "", bot.Caution, 12, bot.EvidenceRating},
		{"no rating in the country: the US one, said", "FR", "Fargo 1996", filmID(tmdbtest.FargoFilm), "tmdb", "R", "US", "FR", bot.NotSafe, 12, bot.EvidenceRating},
		{"a show's country rating", "NL", "Fargo 2014", showID(tmdbtest.FargoShow), "tmdb", "16", "NL", "", bot.NotSafe, 12, bot.EvidenceRating},
		{"a country with no system for shows falls back", "IE", "Bluey", showID(tmdbtest.Bluey), "tmdb", "TV-Y", "US", "IE", bot.Caution, 12, bot.EvidenceRating},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(botFor(tc.country), tc.text)
			if r.Status != bot.StatusFound || r.Match == nil {
				t.Fatalf("status %s, want found (%s)", r.Status, r.Text)
			}
			m := r.Match
			if m.ID != tc.id || m.Source != tc.source || m.Rating != tc.rating || m.Country != tc.ratedIn {
				t.Errorf("match %+v, want id %s source %s rating %q from %q", *m, tc.id, tc.source, tc.rating, tc.ratedIn)
			}
			if v := r.Verdict; v.Level != tc.level || v.Age != tc.age || v.Evidence != tc.evidence {
				t.Errorf("verdict %s at %d by %s, want %s at %d by %s (reasons %q)", v.Level, v.Age, v.Evidence, tc.level, tc.age, tc.evidence, v.Reasons)
			}
			if r.Verdict.Level == bot.Safe && tc.source == "tmdb" {
				t.Error("a certification alone must never make a title safe")
			}
			if r.Advisory.Source.Evidence != tc.evidence {
				t.Errorf("advisory evidence %s, want %s", r.Advisory.Source.Evidence, tc.evidence)
			}
			if tc.source == "tmdb" {
				if r.Notice != bot.TMDBNotice {
					t.Errorf("notice %q, want TMDB's attribution on TMDB's data", r.Notice)
				}
				if m.TMDBID == 0 || r.Advisory.Source.Name != "TMDB" || !strings.HasPrefix(r.Advisory.Source.Reference, "https://www.themoviedb.org/") {
					t.Errorf("a TMDB answer names TMDB as its source: tmdb_id %d, source %+v", m.TMDBID, r.Advisory.Source)
				}
				if !strings.Contains(r.Text, "Source: TMDB") {
					t.Errorf("text %q does not name its source", r.Text)
				}
			}
			if ri := r.Advisory.Rating; ri.Fallback != tc.fallback || (tc.source == "tmdb" && tc.rating != "" && ri.Country != tc.ratedIn) {
				t.Errorf("rating %+v, want country %q, fallback %q", ri, tc.ratedIn, tc.fallback)
			}
			if tc.fallback != "" {
				want := fmt.Sprintf("No %s rating is known, so this is the US one: %s.", tc.fallback, tc.rating)
				if !slices.Contains(r.Notes, want) {
					t.Errorf("notes %q, want %q", r.Notes, want)
				}
				if line := r.Advisory.Rating.RatingLine(); !strings.HasPrefix(line, "no "+tc.fallback+" rating; US: "+tc.rating+" (") {
					t.Errorf("rating line %q does not say whose rating stands in", line)
				}
			}
			if tc.evidence == bot.EvidenceRating && !r.Verdict.Says("not reviewed in detail") && r.Verdict.Level == bot.Caution {
				t.Errorf("a certification answer at or above its age says no detailed review exists: %q", r.Verdict.Reasons)
			}
			if tc.evidence == bot.EvidenceNone {
				want := fmt.Sprintf("No official rating for %s (%d) in US: I can't say whether it is safe.", m.Title, m.Year)
				if r.Verdict.Reasons[0] != want {
					t.Errorf("no certification: reasons %q, want %q", r.Verdict.Reasons, want)
				}
			}
		})
	}
}

func TestAmbiguousAcrossSources(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{})
	tests := []struct {
		text   string
		labels []string
		ids    []string
		source []string
	}{
		{
			"Ballerina",
			[]string{"Ballerina (2023) · film · TV-MA", "Ballerina (2025) · film · R", "Ballerina (2016) · film · PG"},
			[]string{"ballerina-2023", filmID(tmdbtest.Ballerina2025), filmID(tmdbtest.Ballerina2016)},
			[]string{"curated", "tmdb", "tmdb"},
		},
		{
			// A film and a show with one name are two choices.
			"is Fargo ok for kids?",
			[]string{"Fargo (2014) · show · TV-MA", "Fargo (1996) · film · R"},
			[]string{showID(tmdbtest.FargoShow), filmID(tmdbtest.FargoFilm)},
			[]string{"tmdb", "tmdb"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := ask(b, tc.text)
			if r.Status != bot.StatusAmbiguous {
				t.Fatalf("status %s, want ambiguous (%s)", r.Status, r.Text)
			}
			var labels, sources []string
			for _, c := range r.Candidates {
				labels, sources = append(labels, c.Label()), append(sources, c.Source)
				if c.Source == "tmdb" && (c.TMDBID == 0 || c.Country != "US") {
					t.Errorf("TMDB candidate %+v: want its TMDB id and the rating's country", c)
				}
			}
			if !slices.Equal(labels, tc.labels) || !slices.Equal(ids(r.Candidates), tc.ids) || !slices.Equal(sources, tc.source) {
				t.Errorf("candidates\n %q %q %q\nwant\n %q %q %q", labels, ids(r.Candidates), sources, tc.labels, tc.ids, tc.source)
			}
			if r.Notice != bot.TMDBNotice || r.Verdict != nil {
				t.Errorf("notice %q verdict %v: want TMDB's attribution and no verdict", r.Notice, r.Verdict)
			}
			for _, l := range tc.labels {
				if !strings.Contains(r.Text, l) {
					t.Errorf("text %q does not list %q", r.Text, l)
				}
			}
		})
	}
}

// TestPickByID: a button names a TMDB title by id; the answer is for it.
func TestPickByID(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{})
	tests := []struct {
		id     string
		age    int
		status bot.Status
		rating string
		level  bot.Level
		code   bot.ProblemCode
	}{
		{filmID(tmdbtest.Ballerina2016), 0, bot.StatusFound, "PG", bot.Caution, ""},
		{filmID(tmdbtest.Ballerina2016), 7, bot.StatusFound, "PG", bot.NotSafe, ""},
		{showID(tmdbtest.FargoShow), 15, bot.StatusFound, "TV-MA", bot.NotSafe, ""},
		{filmID(tmdbtest.FargoFilm), 17, bot.StatusFound, "R", bot.Caution, ""},
		{"ballerina-2023", 17, bot.StatusFound, "TV-MA", bot.NotSafe, ""},
		{filmID(999999), 0, bot.StatusError, "", "", bot.ProblemStaleChoice},
		{"tmdb:person:1", 0, bot.StatusError, "", "", bot.ProblemStaleChoice},
		{"tmdb:film:-3", 0, bot.StatusError, "", "", bot.ProblemStaleChoice},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			r := pick(b, tc.id, tc.age)
			if r.Status != tc.status {
				t.Fatalf("status %s, want %s (%s)", r.Status, tc.status, r.Text)
			}
			if tc.status == bot.StatusError {
				if r.Error.Code != tc.code {
					t.Errorf("problem %s, want %s", r.Error.Code, tc.code)
				}
				return
			}
			if r.Match.ID != tc.id || r.Match.Rating != tc.rating || r.Verdict.Level != tc.level {
				t.Errorf("got %s rated %s, %s; want %s rated %s, %s", r.Match.ID, r.Match.Rating, r.Verdict.Level, tc.id, tc.rating, tc.level)
			}
		})
	}
}

func TestNotFoundAnywhere(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{})
	r := ask(b, "is Nothing Like This ok for kids?")
	if r.Status != bot.StatusNotFound || r.Verdict.Level != bot.Unknown || r.Verdict.Evidence != bot.EvidenceNone {
		t.Fatalf("%s %+v, want not found and unknown", r.Status, r.Verdict)
	}
	if want := `I found no review or official rating for "Nothing Like This"`; !strings.HasPrefix(r.Verdict.Reasons[0], want) {
		t.Errorf("reason %q, want it to start %q", r.Verdict.Reasons[0], want)
	}
	if !strings.Contains(r.Text, "official rating") || r.Notice != bot.TMDBNotice {
		t.Errorf("text %q notice %q: want it to say no rating was found either, with TMDB's attribution", r.Text, r.Notice)
	}
	if fake.Requests("/search/multi") != 1 {
		t.Errorf("%d searches, want 1", fake.Requests("/search/multi"))
	}
	// A title TMDB found under another name is offered, not answered for.
	r = ask(b, "Leap")
	if r.Status != bot.StatusNotFound || !slices.Equal(ids(r.Candidates), []string{filmID(tmdbtest.Ballerina2016)}) {
		t.Errorf("%s %v, want not found, suggesting Ballerina (2016)", r.Status, ids(r.Candidates))
	}
	if r.Verdict.Level != bot.Unknown || !strings.Contains(r.Text, "Did you mean: Ballerina (2016) · film?") {
		t.Errorf("%s %q", r.Verdict.Level, r.Text)
	}
}

// TestCertificationChoice: which of a film's many release entries answers.
func TestCertificationChoice(t *testing.T) {
	film := func(certs ...bot.Certification) bot.UpstreamDetails {
		return bot.UpstreamDetails{
			UpstreamTitle:  bot.UpstreamTitle{Ref: bot.UpstreamRef{Kind: bot.MediaFilm, ID: 7}, Title: "Fixture Picture", Year: 2020},
			Certifications: certs,
		}
	}
	us := func(typ int, v string) bot.Certification {
		return bot.Certification{Country: "US", Value: v, ReleaseType: typ}
	}
	tests := []struct {
		name    string
		country string
		d       bot.UpstreamDetails
		value   string
		release string
		level   bot.Level
		reason  string // in the verdict's first reason
	}{
		{"theatrical over a TV airing listed first", "US", film(us(6, "G"), us(4, "R"), us(3, "PG-13")), "PG-13", "theatrical release", bot.NotSafe, "PG-13"},
		{"limited theatrical over digital", "US", film(us(4, "R"), bot.Certification{Country: "US", Value: "PG", ReleaseType: 2, Note: "Limited"}), "PG", "limited theatrical release (Limited)", bot.Caution, ""},
		{"an empty theatrical entry is skipped", "US", film(us(3, ""), us(4, "R")), "R", "digital release", bot.NotSafe, "R"},
		{"premiere without a rating, then theatrical", "US", film(us(1, ""), us(3, "G")), "G", "theatrical release", bot.Caution, ""},
		{"an unknown value is unknown", "US", film(us(3, "XYZ")), "", "", bot.Unknown, "XYZ"},
		{"not rated is unknown", "US", film(us(3, "NR")), "", "", bot.Unknown, "No official rating"},
		{"an unknown local value falls back to the US", "GB", film(bot.Certification{Country: "GB", Value: "99", ReleaseType: 3}, us(3, "PG-13")), "PG-13", "theatrical release", bot.NotSafe, "PG-13"},
		{"an unknown local value and no US rating", "GB", film(bot.Certification{Country: "GB", Value: "99", ReleaseType: 3}), "", "", bot.Unknown, "99"},
		{"an unknown country falls back to the US", "ZZ", film(us(3, "PG")), "PG", "theatrical release", bot.Caution, ""},
		{"no entries at all", "US", film(), "", "", bot.Unknown, "No official rating"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bot.New(bot.Config{Catalog: curated(t, "ballerina-2023"), Upstream: oneTitle(tc.d), Country: tc.country})
			r := ask(b, "Fixture Picture")
			if r.Status != bot.StatusFound {
				t.Fatalf("status %s (%s)", r.Status, r.Text)
			}
			if r.Match.Rating != tc.value || r.Advisory.Rating.Release != tc.release || r.Verdict.Level != tc.level {
				t.Errorf("rating %q (%q), %s; want %q (%q), %s", r.Match.Rating, r.Advisory.Rating.Release, r.Verdict.Level, tc.value, tc.release, tc.level)
			}
			if tc.reason != "" && !strings.Contains(r.Verdict.Reasons[0], tc.reason) {
				t.Errorf("reasons %q, want one naming %q", r.Verdict.Reasons, tc.reason)
			}
			if tc.level == bot.Unknown && (r.Verdict.Evidence != bot.EvidenceNone || r.Verdict.MinAge != nil) {
				t.Errorf("an unknown rating implies nothing: %+v", r.Verdict)
			}
		})
	}
}

func TestDescriptorsAreTheRatingsReasons(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{Country: "NL"})
	r := ask(b, "Ballerina 2016")
	if got := r.Advisory.Rating; got.Value != "6" || !slices.Equal(got.Reasons, []string{"Angst"}) {
		t.Errorf("rating %+v, want Kijkwijzer 6 with its descriptor", got)
	}
}

func TestRatingLine(t *testing.T) {
	tests := []struct {
		ri   bot.RatingInfo
		want string
	}{
		{bot.RatingInfo{}, "not rated"},
		{bot.RatingInfo{System: "MPAA", Value: "PG-13", Country: "US", Meaning: "Parents strongly cautioned"}, "PG-13 (MPAA, US): Parents strongly cautioned"},
		{bot.RatingInfo{System: "BBFC", Value: "12A", Country: "GB"}, "12A (BBFC, GB)"},
		{bot.RatingInfo{System: "MPAA", Value: "PG-13", Country: "US", Fallback: "GB", Meaning: "Parents strongly cautioned"}, "no GB rating; US: PG-13 (MPAA): Parents strongly cautioned"},
		{bot.RatingInfo{System: "Kijkwijzer", Value: "6", Country: "NL"}, "6 (Kijkwijzer, NL)"},
	}
	for _, tc := range tests {
		if got := tc.ri.RatingLine(); got != tc.want {
			t.Errorf("RatingLine(%+v) = %q, want %q", tc.ri, got, tc.want)
		}
	}
}

// TestConcurrentMissesMakeOneLookup: a hundred people asking the same new
// title at once cost TMDB one search and one details request.
func TestConcurrentMissesMakeOneLookup(t *testing.T) {
	fake := tmdbtest.New(t)
	b := tmdbBot(t, fake, bot.Config{})
	var wg sync.WaitGroup
	replies := make([]bot.Reply, 100)
	for i := range replies {
		wg.Go(func() { replies[i] = ask(b, "is Frozen ok for kids?") })
	}
	wg.Wait()
	for i, r := range replies {
		if r.Status != bot.StatusFound || r.Match.Rating != "PG" {
			t.Fatalf("reply %d: %s %v", i, r.Status, r.Match)
		}
	}
	if s, d := fake.Requests("/search/multi"), fake.Requests("/movie/900301"); s != 1 || d != 1 {
		t.Errorf("%d searches and %d details requests, want 1 and 1", s, d)
	}
}

// TestTMDBCallsPerColdQuestion counts what one question costs TMDB with an
// empty cache, and that asking again costs nothing (docs/BENCHMARKS.md).
func TestTMDBCallsPerColdQuestion(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"is Frozen family-safe?", 2}, // search, details
		{"Frozen 2013", 3},            // film and show searches, details
		{"Ballerina", 3},              // search, details of the two TMDB candidates
		{"Ballerina 2023", 2},         // curated: the searches only, to find same-name titles
		{"Nothing Like This", 1},      // search
		{"can my 8 year old watch Bluey", 2},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			fake := tmdbtest.New(t)
			b := tmdbBot(t, fake, bot.Config{})
			ask(b, tc.text)
			if got := fake.Total(); got != tc.want {
				t.Errorf("%d TMDB requests, want %d: %v", got, tc.want, fake.Log())
			}
			ask(b, tc.text)
			if got := fake.Total(); got != tc.want {
				t.Errorf("asking again made %d more requests, want none", got-tc.want)
			}
		})
	}
}
