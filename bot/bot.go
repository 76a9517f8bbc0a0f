// Package bot is advisorybot's command core: it understands a question,
// finds the title, decides the verdict and returns a platform-neutral Reply.
// It imports no chat SDK; adapters translate to and from it.
package bot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"advisorybot/bot/cache"
	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/bot/search"
)

// Kind is how a request reached the bot.
type Kind string

// Request kinds.
const (
	KindText    Kind = "text"    // console, CLI
	KindCommand Kind = "command" // slash command
	KindMention Kind = "mention"
	KindDM      Kind = "dm"
	KindButton  Kind = "button" // a choice from a disambiguation list
)

// Request is one question, already verified and acknowledged by its adapter.
type Request struct {
	Platform string
	Kind     Kind
	// Text is free text; Options, when set, are structured slash-command
	// arguments and take precedence.
	Text    string
	Options *Options
	// EventID is the platform's id for the delivery, for de-duplication.
	EventID string
	UserID  string
	// Community is the guild or workspace; Conversation the thread or DM
	// that follow-ups belong to.
	Community    string
	Conversation string
}

// Options are structured arguments: from slash-command options or a button.
type Options struct {
	Title string
	Year  int
	Age   int
	Topic Topic
	// ID picks one title directly, from a disambiguation choice.
	ID string
}

// Config wires a Bot. Only Catalog is required.
type Config struct {
	Catalog       CatalogSource
	Logger        *slog.Logger
	Conversations Conversations
	Deduper       Deduper
	Limiter       RateLimiter
	Settings      Settings
	// Cache is the shared tier of the lookup cache (bot/cache), for title
	// sources that cost a network call. Catalog searches are not cached:
	// the index is in memory (see lookup.go).
	Cache Cache
	// Limits: zero rates and TTLs take DefaultLimits' values.
	Limits Limits
}

// Limits are the tunables of shared state and of the lookup cache.
type Limits struct {
	UserPerMinute      int
	CommunityPerMinute int
	DedupeTTL          time.Duration
	ConversationTTL    time.Duration
	CacheTTL           time.Duration // cached lookups that found something
	NegativeCacheTTL   time.Duration // cached lookups that found nothing
	// LocalCacheSize bounds the in-process tier of the lookup cache, in
	// entries; 0 turns that tier off.
	LocalCacheSize int
}

// DefaultLimits are the limits a deployment starts from; the environment
// (cmd/advisorybot) overrides them field by field.
func DefaultLimits() Limits {
	return Limits{
		UserPerMinute:      20,
		CommunityPerMinute: 300,
		DedupeTTL:          10 * time.Minute,
		ConversationTTL:    30 * time.Minute,
		CacheTTL:           time.Hour,
		NegativeCacheTTL:   5 * time.Minute,
		LocalCacheSize:     cache.DefaultSize,
	}
}

// withDefaults fills the fields whose zero would mean nothing (rates and
// TTLs) from DefaultLimits. LocalCacheSize keeps its 0: "no in-process tier".
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	l.UserPerMinute = cmp.Or(l.UserPerMinute, d.UserPerMinute)
	l.CommunityPerMinute = cmp.Or(l.CommunityPerMinute, d.CommunityPerMinute)
	l.DedupeTTL = cmp.Or(l.DedupeTTL, d.DedupeTTL)
	l.ConversationTTL = cmp.Or(l.ConversationTTL, d.ConversationTTL)
	l.CacheTTL = cmp.Or(l.CacheTTL, d.CacheTTL)
	l.NegativeCacheTTL = cmp.Or(l.NegativeCacheTTL, d.NegativeCacheTTL)
	return l
}

// Bot answers requests. It is safe for concurrent use.
type Bot struct {
	cfg Config
	log *slog.Logger
}

// New returns a Bot.
func New(cfg Config) *Bot {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Limits = cfg.Limits.withDefaults()
	return &Bot{cfg: cfg, log: cfg.Logger}
}

// Handle answers one request. It never fails: problems become a Reply with
// a next step, and shared-state outages are logged and worked around.
func (b *Bot) Handle(ctx context.Context, req Request) Reply {
	if req.EventID != "" && b.cfg.Deduper != nil {
		first, err := b.cfg.Deduper.FirstDelivery(ctx, req.Platform+":"+req.EventID, b.cfg.Limits.DedupeTTL)
		if err != nil {
			b.log.WarnContext(ctx, "dedupe unavailable; answering anyway", "event", req.EventID, "err", err)
		} else if !first {
			return Reply{Status: StatusDuplicate, Candidates: []TitleRef{}}
		}
	}
	q := query(req)
	if r, limited := b.limited(ctx, req, q); limited {
		return r
	}
	if q.Intent == IntentHelp {
		return helpReply(q)
	}
	age := b.age(ctx, req, q)
	cat := b.cfg.Catalog.Current()
	convKey := ""
	if req.Conversation != "" {
		convKey = req.Platform + ":" + req.Conversation
	}
	review, convAge, reply, found := b.title(ctx, cat, req, q, convKey, age)
	if !found {
		return reply
	}
	rememberAge := q.Age
	if q.Age == nil && convAge != nil {
		age, rememberAge = *convAge, convAge
	}
	reply = advisoryReply(q, review, age)
	b.remember(ctx, convKey, review.ID, rememberAge)
	return reply
}

// title finds the review a request is about: the choice picked, the title
// a follow-up refers to (with the age that conversation was about), or the
// title asked for. When there is no single review it returns the reply
// that says so instead.
func (b *Bot) title(ctx context.Context, cat *catalog.Catalog, req Request, q Query, convKey string, age int) (*catalog.Review, *int, Reply, bool) {
	switch {
	case req.Options != nil && req.Options.ID != "":
		r, ok := cat.Review(req.Options.ID)
		if !ok {
			return nil, nil, problemReply(q, Problem{Code: ProblemStaleChoice, Message: "That choice is no longer in the catalog.", Next: "Ask again by title, e.g. /advisory Ballerina."}), false
		}
		return r, nil, Reply{}, true
	case q.Title == "":
		c, ok := b.recall(ctx, convKey)
		if !ok {
			return nil, nil, problemReply(q, Problem{Code: ProblemNoTitle, Message: "Which title do you mean?", Next: "Name it, e.g. \"is Ballerina family-safe?\", or type help."}), false
		}
		r, ok := cat.Review(c.ReviewID)
		if !ok {
			return nil, nil, problemReply(q, Problem{Code: ProblemNoTitle, Message: "I no longer have the title we were discussing.", Next: "Name it again, e.g. \"Ballerina\"."}), false
		}
		return r, c.Age, Reply{}, true
	}
	res := lookup(cat, q)
	switch {
	case len(res.Hits) == 1:
		r, _ := cat.Review(res.Hits[0].ID)
		return r, nil, Reply{}, true
	case len(res.Hits) > 1:
		return nil, nil, ambiguousReply(q, cat, res.Hits), false
	}
	return nil, nil, notFoundReply(q, cat, res.Suggestions, age), false
}

// remember records the title a conversation is about, for follow-ups.
func (b *Bot) remember(ctx context.Context, convKey, reviewID string, age *int) {
	if convKey != "" && b.cfg.Conversations != nil {
		c := Conversation{ReviewID: reviewID, Age: age}
		if err := b.cfg.Conversations.Remember(ctx, convKey, c, b.cfg.Limits.ConversationTTL); err != nil {
			b.log.WarnContext(ctx, "could not remember conversation", "err", err)
		}
	}
}

// query turns the request into a Query: structured options win over text.
func query(req Request) Query {
	o := req.Options
	if o == nil {
		return Parse(req.Text)
	}
	q := Query{Intent: IntentAdvisory, Title: strings.TrimSpace(o.Title)}
	if o.Title != "" {
		// Slash options may still hold "Ballerina 2023"; parse the title field alone.
		p := Parse(o.Title)
		if p.Intent != IntentHelp && p.Title != "" {
			q.Title, q.Year = p.Title, p.Year
		}
	}
	if o.Year > 0 {
		y := o.Year
		q.Year = &y
	}
	if o.Age > 0 {
		a := o.Age
		q.Age = &a
		q.Intent = IntentFamilyCheck
	}
	if o.Topic != "" {
		t := o.Topic
		q.Topic = &t
		q.Intent = IntentTopic
	}
	if q.Title == "" && o.ID == "" {
		return Query{Intent: IntentHelp}
	}
	return q
}

func (b *Bot) limited(ctx context.Context, req Request, q Query) (Reply, bool) {
	if b.cfg.Limiter == nil {
		return Reply{}, false
	}
	checks := []struct {
		key   string
		limit int
		what  string
	}{
		{"user:" + req.Platform + ":" + req.UserID, b.cfg.Limits.UserPerMinute, "you have asked a lot in the last minute"},
		{"community:" + req.Platform + ":" + req.Community, b.cfg.Limits.CommunityPerMinute, "this community has asked a lot in the last minute"},
	}
	for _, c := range checks {
		if strings.HasSuffix(c.key, ":") {
			continue // no id to limit by (console)
		}
		ok, err := b.cfg.Limiter.Allow(ctx, c.key, c.limit, time.Minute)
		if err != nil {
			b.log.WarnContext(ctx, "rate limiter unavailable; allowing", "err", err)
			continue
		}
		if !ok {
			return problemReply(q, Problem{Code: ProblemRateLimited, Message: "Sorry — " + c.what + ".", Next: "Please try again in a minute."}), true
		}
	}
	return Reply{}, false
}

func (b *Bot) age(ctx context.Context, req Request, q Query) int {
	if q.Age != nil {
		return *q.Age
	}
	if b.cfg.Settings != nil && req.Community != "" {
		p, ok, err := b.cfg.Settings.Profile(ctx, req.Platform+":"+req.Community)
		if err != nil {
			b.log.WarnContext(ctx, "settings unavailable; using the default profile", "err", err)
		} else if ok && p.Age > 0 {
			return p.Age
		}
	}
	return defaultProfileAge
}

func (b *Bot) recall(ctx context.Context, key string) (Conversation, bool) {
	if key == "" || b.cfg.Conversations == nil {
		return Conversation{}, false
	}
	c, ok, err := b.cfg.Conversations.Recall(ctx, key)
	if err != nil {
		b.log.WarnContext(ctx, "could not recall conversation", "err", err)
		return Conversation{}, false
	}
	return c, ok
}

// Suggest lists titles for autocomplete, labelled "Ballerina (2023) · TV-MA".
func (b *Bot) Suggest(_ context.Context, prefix string, limit int) []TitleRef {
	cat := b.cfg.Catalog.Current()
	var entries []search.Entry
	if strings.TrimSpace(prefix) == "" {
		entries = cat.Prefix("", limit)
	} else {
		entries = cat.Prefix(prefix, limit)
		if len(entries) == 0 {
			res := cat.Search(prefix, 0)
			entries = append(res.Hits, res.Suggestions...)
		}
	}
	if len(entries) > limit {
		entries = entries[:limit]
	}
	return refs(cat, entries)
}

// SetProfile stores what "family-safe" means for a community.
func (b *Bot) SetProfile(ctx context.Context, platform, community string, p Profile) error {
	if b.cfg.Settings == nil {
		return fmt.Errorf("setting profile for %s: no settings store configured", community)
	}
	if err := b.cfg.Settings.SetProfile(ctx, platform+":"+community, p); err != nil {
		return fmt.Errorf("setting profile for %s: %w", community, err)
	}
	return nil
}

func refs(cat *catalog.Catalog, entries []search.Entry) []TitleRef {
	out := make([]TitleRef, 0, len(entries))
	for _, e := range entries {
		out = append(out, ref(cat, e.ID))
	}
	return out
}

func ref(cat *catalog.Catalog, id string) TitleRef {
	r, ok := cat.Review(id)
	if !ok {
		return TitleRef{ID: id}
	}
	return TitleRef{ID: r.ID, Title: r.Title, Year: r.Year, Rating: r.Rating.Value}
}

func ambiguousReply(q Query, cat *catalog.Catalog, hits []search.Entry) Reply {
	c := refs(cat, hits)
	labels := make([]string, len(c))
	for i, t := range c {
		labels[i] = t.Label()
	}
	return Reply{Query: q, Status: StatusAmbiguous, Candidates: c,
		Text: fmt.Sprintf("Several titles match %q: %s. Which one? Add the year, e.g. %q.", q.Title, strings.Join(labels, "; "), fmt.Sprintf("%s %d", c[0].Title, c[0].Year))}
}

func notFoundReply(q Query, cat *catalog.Catalog, suggestions []search.Entry, age int) Reply {
	c := refs(cat, suggestions)
	v := Decide(Facts{}, age)
	v.Reasons = []string{fmt.Sprintf("No curated review or rating for %q: I can't say whether it is safe.", q.Title)}
	text := fmt.Sprintf("I don't have a review of %q yet, so I can't say whether it is family-safe.", q.Title)
	if q.Year != nil {
		text = fmt.Sprintf("I don't have a review of %q from %d yet, so I can't say whether it is family-safe.", q.Title, *q.Year)
	}
	if len(c) > 0 {
		labels := make([]string, len(c))
		for i, t := range c {
			labels[i] = t.Label()
		}
		text += " Did you mean: " + strings.Join(labels, "; ") + "?"
	} else {
		text += " Check the spelling, or ask about another title."
	}
	return Reply{Query: q, Status: StatusNotFound, Candidates: c, Verdict: &v, Text: text}
}

func advisoryReply(q Query, r *catalog.Review, age int) Reply {
	v := Decide(FactsOf(r), age)
	m := TitleRef{ID: r.ID, Title: r.Title, Year: r.Year, Rating: r.Rating.Value}
	a := &Advisory{
		Title: r.Title, Year: r.Year, Kind: r.Kind,
		Release: r.Release.Date, Platform: r.Release.Platform, RuntimeMinutes: r.RuntimeMinutes,
		Rating:            RatingInfo{System: r.Rating.System, Value: r.Rating.Value, Reasons: r.Rating.Reasons, Note: r.Rating.Note},
		Logline:           r.Logline,
		CriticVerdict:     r.CriticVerdict,
		Themes:            r.Themes,
		RecommendedMinAge: r.RecommendedMinAge,
		Directors:         r.Credits.Directors,
		Source:            Attribution{Name: r.Source.Name, Reference: r.Source.Reference, Evidence: v.Evidence, Fixture: r.Fixture},
	}
	if rt, err := rating.Lookup(rating.System(r.Rating.System), r.Rating.Value); err == nil {
		a.Rating.Meaning = rt.Meaning
	}
	for _, p := range r.Credits.Cast {
		a.Cast = append(a.Cast, p.Name)
	}
	for _, cat := range catalog.Categories() {
		line := CategoryLine{Category: cat, Label: cat.Label(), Severity: string(catalog.SeverityUnknown)}
		if c := r.Concerns.Get(cat); c != nil {
			line.Severity, line.Note = string(c.Severity), c.Note
		}
		if q.Topic != nil && *q.Topic == cat {
			a.Lines = append([]CategoryLine{line}, a.Lines...)
		} else {
			a.Lines = append(a.Lines, line)
		}
	}
	reply := Reply{Query: q, Status: StatusFound, Match: &m, Candidates: []TitleRef{}, Verdict: &v, Advisory: a, Focus: q.Topic}
	reply.Text = summary(reply)
	return reply
}

// summary is the one-paragraph plain answer.
func summary(r Reply) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s.", r.Match.Label(), r.Verdict.Headline())
	if r.Focus != nil {
		l := r.Advisory.Lines[0]
		fmt.Fprintf(&b, " %s: %s.", l.Label, l.Severity)
		if l.Note != "" {
			fmt.Fprintf(&b, " %s", l.Note)
		}
	} else if len(r.Verdict.Reasons) > 0 {
		fmt.Fprintf(&b, " %s", r.Verdict.Reasons[0])
	}
	fmt.Fprintf(&b, " (Source: %s.)", r.Advisory.Source.Name)
	if r.Advisory.Source.Fixture {
		b.WriteString(" TEST FIXTURE — not a real advisory.")
	}
	return b.String()
}
