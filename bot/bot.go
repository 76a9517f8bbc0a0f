// Package bot is advisorybot's command core: it understands a question,
// finds the title, decides the verdict and returns a platform-neutral Reply.
// It imports no chat SDK; adapters translate to and from it.
package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"advisorybot/bot/cache"
	"advisorybot/bot/catalog"
	"advisorybot/bot/rating"
	"advisorybot/bot/search"
	"advisorybot/internal/lru"
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
	Catalog CatalogSource
	Logger  *slog.Logger
	// Gate de-duplicates deliveries, applies rate limits and keeps
	// conversations, in one round trip of shared state per question.
	Gate     Gate
	Settings Settings
	// Upstream answers for titles the catalog lacks (TMDB); nil: curated
	// reviews only.
	Upstream Upstream
	// Cache is the shared tier (Redis) of the upstream cache, in front of
	// which each replica keeps Limits.LocalCacheSize answers in process.
	Cache        Cache
	UpstreamTTLs UpstreamTTLs
	// Country is the rating country for communities that have not chosen
	// one (ISO 3166-1, e.g. "GB"); "" means US.
	Country string
	// Observer, when set, is told of every answer (metrics); if it is a
	// CacheObserver too, of the upstream cache's lookups.
	Observer Observer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits: zero rates and TTLs take DefaultLimits' values.
	Limits Limits
}

// Limits are the tunables of shared state and of the lookup cache.
type Limits struct {
	UserPerMinute      int
	CommunityPerMinute int
	DedupeTTL          time.Duration
	ConversationTTL    time.Duration
	// LocalCacheSize bounds the in-process tier of the upstream cache, in
	// entries; 0 turns that tier off when there is a shared tier (Cache).
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
	return l
}

// Bot answers requests. It is safe for concurrent use.
type Bot struct {
	parsed   *lru.Cache[Query] // see parse
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	upstream *upstreamCache // nil without Config.Upstream
}

// New returns a Bot.
func New(cfg Config) *Bot {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Limits = cfg.Limits.withDefaults()
	b := &Bot{cfg: cfg, log: cfg.Logger, now: cfg.Now, parsed: lru.New[Query](parseMemoSize, cfg.Now)}
	if cfg.Upstream != nil {
		size := cfg.Limits.LocalCacheSize
		if cfg.Cache == nil && size == 0 {
			// Without a shared tier the in-process one is the only cache:
			// turning it off too would send every question to the upstream.
			size = cache.DefaultSize
		}
		b.upstream = newUpstreamCache(cfg.Upstream, cfg.Cache, size, cfg.UpstreamTTLs, cfg.Now, cfg.Logger, cfg.Observer)
	}
	return b
}

// Handle answers one request. It never fails: problems become a Reply with
// a next step, and outages (shared state, the upstream) are logged and
// worked around.
func (b *Bot) Handle(ctx context.Context, req Request) Reply {
	start := b.now()
	reply := b.handle(ctx, req)
	if b.cfg.Observer != nil {
		b.cfg.Observer.Answered(ctx, req, reply, b.now().Sub(start))
	}
	return reply
}

func (b *Bot) handle(ctx context.Context, req Request) Reply {
	q := b.query(req)
	p := b.profile(ctx, req)
	profileAge := defaultProfileAge
	if p.Age > 0 {
		profileAge = p.Age
	}
	note := ThreadNote{Title: q.Title, Year: q.Year, Age: q.Age}
	if req.Options != nil && req.Options.ID != "" {
		note.ID = req.Options.ID
	}
	if note.Age == nil && ((q.Title != "" && !q.FollowUp) || q.RejectedAge != nil) {
		// A new question without an age is about the community's age, and
		// so are its follow-ups; a follow-up ("what about Frozen?") keeps
		// the age asked before.
		note.Age = &profileAge
	}
	th, r, ok := b.admit(ctx, req, q, note)
	if !ok {
		return r
	}
	if q.Intent == IntentHelp {
		return b.withNotice(helpReply(q))
	}
	age := profileAge
	if th.Age != nil {
		age = *th.Age
	}
	country := cmp.Or(p.Country, b.cfg.Country, rating.FallbackCountry)
	reply := b.answer(ctx, req, q, th, age, country)
	if q.RejectedAge != nil {
		reply.Notes = append(reply.Notes, fmt.Sprintf("I can't use %d as an age, so I answered for %s.", *q.RejectedAge, AgePhrase(age)))
	}
	reply.Visibility = p.Visibility
	return withFact(reply)
}

// admit runs the question through the Gate: de-duplication, rate limits
// and the conversation, in one round trip. It returns the conversation as
// it stands after this question, or the reply to send instead (ok false).
func (b *Bot) admit(ctx context.Context, req Request, q Query, note ThreadNote) (Thread, Reply, bool) {
	if b.cfg.Gate == nil {
		return Thread{}.Apply(note), Reply{}, true
	}
	a := b.admission(req)
	a.Note, a.ThreadTTL = note, b.cfg.Limits.ConversationTTL
	if req.Conversation != "" {
		a.ThreadKey = threadKey(req)
	}
	if req.Community != "" {
		a.Limits = append(a.Limits, LimitCheck{Key: "community", Max: b.cfg.Limits.CommunityPerMinute, Window: time.Minute})
	}
	adm, err := b.cfg.Gate.Admit(ctx, a)
	if err != nil {
		b.log.WarnContext(ctx, "shared state unavailable; answering without de-duplication, limits or conversation", "err", err)
		return Thread{}.Apply(note), Reply{}, true
	}
	if r, refused := refusal(q, a, adm, "asked"); refused {
		return Thread{}, r, false
	}
	if a.ThreadKey == "" {
		return Thread{}.Apply(note), Reply{}, true
	}
	return adm.Thread, Reply{}, true
}

// admission is what every delivery asks of the Gate: its scope, its
// de-duplication and the user's rate limit.
func (b *Bot) admission(req Request) Admit {
	a := Admit{Scope: scope(req), DedupeTTL: b.cfg.Limits.DedupeTTL}
	if req.EventID != "" {
		a.EventKey = "event:" + req.EventID
	}
	if req.UserID != "" {
		a.Limits = []LimitCheck{{Key: "user:" + req.UserID, Max: b.cfg.Limits.UserPerMinute, Window: time.Minute}}
	}
	return a
}

// refusal is the reply to a delivery the Gate did not admit: nothing for a
// duplicate, "try again" past a rate limit. did words what the user did
// too often ("asked", "sent").
func refusal(q Query, a Admit, adm Admission, did string) (Reply, bool) {
	switch {
	case adm.Duplicate:
		return Reply{Status: StatusDuplicate, Candidates: []TitleRef{}}, true
	case adm.LimitedBy >= 0:
		who := "you have " + did
		if a.Limits[adm.LimitedBy].Key == "community" {
			who = "this community has " + did
		}
		return problemReply(q, Problem{Code: ProblemRateLimited, Message: "Sorry — " + who + " a lot in the last minute.", Next: "Please try again in a minute."}), true
	}
	return Reply{}, false
}

// threadKey is the conversation's key within its scope.
func threadKey(req Request) string { return "thread:" + req.Conversation }

// scope keeps one question's shared state together (see Admit.Scope): its
// community, or its user in a direct message.
func scope(req Request) string {
	if req.Community == "" {
		return req.Platform + ":user:" + req.UserID
	}
	return req.Platform + ":" + req.Community
}

// profile is the community's settings, or the defaults.
func (b *Bot) profile(ctx context.Context, req Request) Profile {
	if b.cfg.Settings == nil || req.Community == "" {
		return Profile{}
	}
	p, ok, err := b.cfg.Settings.Profile(ctx, req.Platform+":"+req.Community)
	if err != nil {
		b.log.WarnContext(ctx, "settings unavailable; using the default profile", "err", err)
		return Profile{}
	}
	if !ok {
		return Profile{}
	}
	return p
}

// answer finds the title the conversation is now about and answers for it.
func (b *Bot) answer(ctx context.Context, req Request, q Query, th Thread, age int, country string) Reply {
	cat := b.cfg.Catalog.Current()
	switch {
	case th.ID != "":
		return b.answerID(ctx, cat, q, th.ID, age, country)
	case th.Title == "":
		return problemReply(q, Problem{Code: ProblemNoTitle, Message: "Which title do you mean?", Next: "Name it, e.g. \"is Ballerina family-safe?\", or type help."})
	}
	title, year := th.Title, 0
	if th.Year != nil {
		year = *th.Year
	}
	f := b.find(ctx, cat, title, year)
	if len(f.hits) == 0 && f.upErr == nil && q.Title != "" && q.Alt != nil {
		// The question allows a second reading of the title ("Death Race
		// 2000" whole rather than with a year): the second and last lookup.
		alt := *q.Alt
		altYear := 0
		if alt.Year != nil {
			altYear = *alt.Year
		}
		if g := b.find(ctx, cat, alt.Title, altYear); len(g.hits) > 0 {
			f, title, year = g, alt.Title, altYear
			q.Title, q.Year, q.Alt = alt.Title, alt.Year, nil
			b.rethread(ctx, req, ThreadNote{Title: alt.Title, Year: alt.Year})
		}
	}
	switch {
	case len(f.hits) == 1:
		return b.answerFor(ctx, cat, q, f.hits[0], f, age, country)
	case len(f.hits) > 1:
		choices, stale := b.rated(ctx, f.hits, country)
		return b.withNotice(ambiguousReply(q, title, choices, max(stale, f.stale)))
	case f.upErr != nil:
		r := problemReply(q, upstreamProblem(f.upErr))
		r.Candidates = f.suggestions
		return r
	}
	return b.withNotice(notFoundReply(q, title, year, f.suggestions, age, b.upstream != nil))
}

// rethread corrects the conversation when the title that resolved is not
// the reading admit remembered: a second round trip, only in that case.
func (b *Bot) rethread(ctx context.Context, req Request, n ThreadNote) {
	if b.cfg.Gate == nil || req.Conversation == "" {
		return
	}
	a := Admit{Scope: scope(req), ThreadKey: threadKey(req), ThreadTTL: b.cfg.Limits.ConversationTTL, Note: n}
	if _, err := b.cfg.Gate.Admit(ctx, a); err != nil {
		b.log.WarnContext(ctx, "could not correct the conversation's title", "err", err)
	}
}

// answerID answers for a title picked directly (a button, a choice).
func (b *Bot) answerID(ctx context.Context, cat *catalog.Catalog, q Query, id string, age int, country string) Reply {
	stale := problemReply(q, Problem{Code: ProblemStaleChoice, Message: "That choice is no longer available.", Next: "Ask again by title, e.g. /advisory Ballerina."})
	if r, ok := cat.Review(id); ok {
		return b.answerFor(ctx, cat, q, candidate{review: r}, found{}, age, country)
	}
	ref, ok := parseUpstreamID(id)
	if !ok || b.upstream == nil {
		return stale
	}
	d, age0, err := b.upstream.Details(ctx, ref)
	switch {
	case errors.Is(err, ErrUpstreamNotFound):
		return stale
	case err != nil:
		return problemReply(q, upstreamProblem(err))
	}
	return b.withNotice(certificationReply(q, d, age, country, age0))
}

// answerFor answers for the one title found.
func (b *Bot) answerFor(ctx context.Context, cat *catalog.Catalog, q Query, c candidate, f found, age int, country string) Reply {
	if c.review != nil {
		r := curatedReply(cat, q, c.review, age)
		if f.alone {
			r.Notes = append(r.Notes, aloneNote(c.review))
		}
		return r
	}
	d, stale, err := b.upstream.Details(ctx, c.up.Ref)
	if err != nil {
		if errors.Is(err, ErrUpstreamNotFound) {
			return b.withNotice(notFoundReply(q, c.up.Title, c.up.Year, nil, age, true))
		}
		return problemReply(q, upstreamProblem(err))
	}
	return b.withNotice(certificationReply(q, d, age, country, max(stale, f.stale)))
}

// withNotice adds the upstream's attribution to replies that may carry its
// data, as TMDB's terms ask.
func (b *Bot) withNotice(r Reply) Reply {
	if b.upstream != nil {
		r.Notice = TMDBNotice
	}
	return r
}

// query turns the request into a Query: structured options win over text.
func (b *Bot) query(req Request) Query {
	o := req.Options
	if o == nil {
		return b.parse(req.Text)
	}
	q := Query{Intent: IntentAdvisory, Title: strings.TrimSpace(o.Title)}
	if o.Title != "" {
		// Slash options may still hold "Ballerina 2023"; parse the title field alone.
		p := b.parse(o.Title)
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

// suggestBudget bounds the upstream's part of an autocomplete: Discord
// drops suggestions that come after 3 seconds.
const suggestBudget = 1500 * time.Millisecond

// Suggest lists titles for autocomplete, labelled "Ballerina (2023) · film ·
// TV-MA": curated titles first, then the upstream's matches when it answers
// within the budget (from its cache when it can). A slow upstream is not
// waited for, but its answer still fills the cache for the next keystroke.
func (b *Bot) Suggest(ctx context.Context, prefix string, limit int) []TitleRef {
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
	out := refs(cat, entries)
	if b.upstream == nil || strings.TrimSpace(prefix) == "" || len(out) >= limit {
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, suggestBudget)
	defer cancel()
	titles, _, err := b.upstream.Search(ctx, prefix, 0)
	if err != nil {
		return out
	}
	country := cmp.Or(b.cfg.Country, rating.FallbackCountry)
	for i := range titles {
		if len(out) >= limit {
			break
		}
		t := &titles[i]
		if coveredByRefs(out, t) {
			continue
		}
		r := candidate{up: t}.ref()
		if d, ok := b.upstream.PeekDetails(t.Ref); ok {
			if c, err := certify(d, country); err == nil {
				r.Rating, r.Country = c.Rating.Value, c.Country
			}
		}
		out = append(out, r)
	}
	return out
}

// coveredByRefs reports whether a curated suggestion is the same title.
func coveredByRefs(refs []TitleRef, t *UpstreamTitle) bool {
	for _, r := range refs {
		if sameTitle(r, t) {
			return true
		}
	}
	return false
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
