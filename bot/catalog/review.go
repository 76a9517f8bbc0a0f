// Package catalog holds curated reviews: their model, loading and validation,
// and the searchable catalog built from them.
package catalog

// Severity is how much of a category a title contains, on IMDb's parents-guide scale.
type Severity string

// Severities, ordered; Unknown means nobody has said, and is never read as None.
const (
	SeverityUnknown  Severity = "unknown"
	SeverityNone     Severity = "none"
	SeverityMild     Severity = "mild"
	SeverityModerate Severity = "moderate"
	SeveritySevere   Severity = "severe"
)

// Rank orders known severities; Unknown ranks -1 so callers must treat it apart.
func (s Severity) Rank() int {
	switch s {
	case SeverityNone:
		return 0
	case SeverityMild:
		return 1
	case SeverityModerate:
		return 2
	case SeveritySevere:
		return 3
	}
	return -1
}

func (s Severity) valid() bool { return s == SeverityUnknown || s.Rank() >= 0 }

// Category is one kind of content parents ask about.
type Category string

// Categories, in the order replies list them.
const (
	Violence      Category = "violence"
	SexualContent Category = "sexual_content"
	Profanity     Category = "profanity"
	Substances    Category = "substances"
	Frightening   Category = "frightening"
)

// Categories returns every category in display order.
func Categories() []Category {
	return []Category{Violence, SexualContent, Profanity, Substances, Frightening}
}

// Label is the human name of a category.
func (c Category) Label() string {
	switch c {
	case Violence:
		return "Violence"
	case SexualContent:
		return "Sexual content"
	case Profanity:
		return "Language"
	case Substances:
		return "Alcohol, drugs & smoking"
	case Frightening:
		return "Frightening & intense scenes"
	}
	return string(c)
}

// Review is one curated title, as stored in data/reviews/<id>.json.
type Review struct {
	ID                string   `json:"id"`
	Title             string   `json:"title"`
	OriginalTitle     string   `json:"original_title,omitempty"`
	AKA               []string `json:"aka,omitempty"`
	Year              int      `json:"year"`
	Kind              string   `json:"kind"`
	Fixture           bool     `json:"fixture,omitempty"`
	Release           Release  `json:"release"`
	RuntimeMinutes    int      `json:"runtime_minutes"`
	Rating            Rating   `json:"rating"`
	Credits           Credits  `json:"credits"`
	Logline           string   `json:"logline"`
	Summary           string   `json:"summary"`
	CriticVerdict     string   `json:"critic_verdict"`
	CriticReview      []string `json:"critic_review,omitempty"`
	Recommendation    string   `json:"recommendation,omitempty"`
	Concerns          Concerns `json:"concerns"`
	Themes            []string `json:"themes"`
	RecommendedMinAge *int     `json:"recommended_min_age"`
	Source            Source   `json:"source"`
}

// Release says when and where a title came out.
type Release struct {
	Date     string `json:"date"`
	Platform string `json:"platform"`
	Type     string `json:"type,omitempty"`
}

// Rating is the official rating with the rating body's reasons.
type Rating struct {
	System  string   `json:"system"`
	Value   string   `json:"value"`
	Reasons []string `json:"reasons"`
	Note    string   `json:"note,omitempty"`
}

// Credits names the people behind a title.
type Credits struct {
	Directors []string `json:"directors"`
	Cast      []Person `json:"cast"`
}

// Person is a credited person, with the role they play when known.
type Person struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// Concerns holds one entry per category; every category must be present so
// that "we don't know" is always written down, never implied.
type Concerns struct {
	Violence      *Concern `json:"violence"`
	SexualContent *Concern `json:"sexual_content"`
	Profanity     *Concern `json:"profanity"`
	Substances    *Concern `json:"substances"`
	Frightening   *Concern `json:"frightening"`
}

// Get returns the concern of a category, nil when absent.
func (c Concerns) Get(cat Category) *Concern {
	switch cat {
	case Violence:
		return c.Violence
	case SexualContent:
		return c.SexualContent
	case Profanity:
		return c.Profanity
	case Substances:
		return c.Substances
	case Frightening:
		return c.Frightening
	}
	return nil
}

// Concern is the severity and the reviewer's note for one category.
type Concern struct {
	Severity Severity `json:"severity"`
	Note     string   `json:"note"`
	Counts   []Count  `json:"counts,omitempty"`
}

// Count is a counted occurrence, e.g. "around 30 sexual expletives".
type Count struct {
	What      string `json:"what"`
	Count     int    `json:"count"`
	Qualifier string `json:"qualifier"`
}

// Source says where the facts came from.
type Source struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Reference string `json:"reference"`
	Retrieved string `json:"retrieved,omitempty"`
	Notes     string `json:"notes,omitempty"`
}
