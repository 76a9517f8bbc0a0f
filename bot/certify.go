package bot

import (
	"cmp"
	"slices"
	"strings"

	"advisorybot/bot/rating"
)

// certified is the certification a title is judged by, with what the
// database said about that release.
type certified struct {
	rating.Choice
	Note        string
	Descriptors []string
	ReleaseType int
}

// releasePreference orders a film's release types: theatrical (3), then
// limited theatrical (2), then the rest. Re-releases on TV or video carry
// their own, sometimes different, certifications: the cinema one is what
// a board judged the film as.
func releasePreference(t int) int {
	switch t {
	case 3:
		return 0
	case 2:
		return 1
	case 1:
		return 2
	case 0:
		return 9 // shows: one rating per country
	}
	return 2 + t
}

// certify picks the certification to judge d by for country: the country's
// own (theatrical first, non-empty), else the US one, which the reply must
// say. An error (rating.ErrNoCertification) means nothing usable is known.
func certify(d UpstreamDetails, country string) (certified, error) {
	certs := slices.Clone(d.Certifications)
	slices.SortStableFunc(certs, func(a, b Certification) int {
		return cmp.Compare(releasePreference(a.ReleaseType), releasePreference(b.ReleaseType))
	})
	cands := make([]rating.Candidate, len(certs))
	for i, c := range certs {
		cands[i] = rating.Candidate{Country: c.Country, Value: c.Value}
	}
	media := rating.Film
	if d.Ref.Kind == MediaShow {
		media = rating.Show
	}
	ch, err := rating.Choose(country, media, cands)
	if err != nil {
		return certified{Choice: ch}, err
	}
	out := certified{Choice: ch}
	for _, c := range certs {
		if strings.EqualFold(c.Country, ch.Country) {
			if r, err := rating.LookupCountry(ch.Country, media, c.Value); err == nil && r.Value == ch.Rating.Value {
				out.Note, out.Descriptors, out.ReleaseType = c.Note, c.Descriptors, c.ReleaseType
				break
			}
		}
	}
	return out, nil
}
