package bot_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"advisorybot/adapters/tmdb"
	"advisorybot/adapters/tmdb/tmdbtest"
	"advisorybot/bot"
	"advisorybot/bot/catalog"
)

// curated is a catalog of the named testdata reviews only: with
// "ballerina-2023" alone, the other Ballerinas must come from TMDB.
func curated(t testing.TB, ids ...string) bot.CatalogSource {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, id := range ids {
		b, err := os.ReadFile("../testdata/reviews/" + id + ".json")
		if err != nil {
			t.Fatal(err)
		}
		fsys[id+".json"] = &fstest.MapFile{Data: b}
	}
	live, err := catalog.NewLive(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return live
}

// tmdbClient is a client of fake whose retries wait 1 ms, so that failure
// tests do not wait for TMDB's real pause; edits change the rest.
func tmdbClient(t testing.TB, fake *tmdbtest.Server, edits ...func(*tmdb.Config)) *tmdb.Client {
	t.Helper()
	cfg := fake.Config()
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.RetryDelay = time.Millisecond
	cfg.Jitter = func() float64 { return 0.5 }
	for _, e := range edits {
		e(&cfg)
	}
	c, err := tmdb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tmdbBot answers from the curated Ballerina (2023) and fake TMDB; cfg's
// other fields are kept.
func tmdbBot(t testing.TB, fake *tmdbtest.Server, cfg bot.Config, edits ...func(*tmdb.Config)) *bot.Bot {
	t.Helper()
	if cfg.Catalog == nil {
		cfg.Catalog = curated(t, "ballerina-2023")
	}
	cfg.Upstream = tmdbClient(t, fake, edits...)
	return bot.New(cfg)
}

// funcUpstream is an Upstream whose answers a test writes.
type funcUpstream struct {
	search  func(ctx context.Context, title string, year int) ([]bot.UpstreamTitle, error)
	details func(ctx context.Context, ref bot.UpstreamRef) (bot.UpstreamDetails, error)
}

func (f funcUpstream) Search(ctx context.Context, title string, year int) ([]bot.UpstreamTitle, error) {
	return f.search(ctx, title, year)
}

func (f funcUpstream) Details(ctx context.Context, ref bot.UpstreamRef) (bot.UpstreamDetails, error) {
	return f.details(ctx, ref)
}

// oneTitle is an Upstream that knows one title, found by any search.
func oneTitle(d bot.UpstreamDetails) funcUpstream {
	return funcUpstream{
		search: func(context.Context, string, int) ([]bot.UpstreamTitle, error) {
			return []bot.UpstreamTitle{d.UpstreamTitle}, nil
		},
		details: func(_ context.Context, ref bot.UpstreamRef) (bot.UpstreamDetails, error) {
			if ref != d.Ref {
				return bot.UpstreamDetails{}, bot.ErrUpstreamNotFound
			}
			return d, nil
		},
	}
}

func ask(b *bot.Bot, text string) bot.Reply {
	return b.Handle(context.Background(), bot.Request{Text: text})
}

func pick(b *bot.Bot, id string, age int) bot.Reply {
	return b.Handle(context.Background(), bot.Request{Kind: bot.KindButton, Options: &bot.Options{ID: id, Age: age}})
}

func filmID(id int) string { return "tmdb:film:" + strconv.Itoa(id) }
func showID(id int) string { return "tmdb:show:" + strconv.Itoa(id) }
