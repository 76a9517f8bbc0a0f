package memory

import (
	"context"
	"time"

	"advisorybot/bot"
)

// Admit implements bot.Gate under the store's one lock, so it is atomic like
// the Redis script; the conversation rule is bot.Thread.Apply itself.
func (s *Store) Admit(ctx context.Context, r bot.Admit) (bot.Admission, error) {
	return s.AdmitSeeded(ctx, r, nil)
}

// AdmitSeeded is Admit, except that when the store holds no conversation at
// ThreadKey the note is applied to seed instead (when not nil), as
// adapters/redis does for the failover.
func (s *Store) AdmitSeeded(_ context.Context, r bot.Admit, seed *bot.Thread) (bot.Admission, error) {
	if err := r.Validate(); err != nil {
		return bot.Admission{LimitedBy: -1}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	a := bot.Admission{LimitedBy: -1}
	if r.EventKey != "" {
		k := scoped{r.Scope, r.EventKey}
		if exp, ok := s.admitSeen[k]; ok && now.Before(exp) {
			a.Duplicate = true
			return a, nil
		}
		s.admitSeen[k] = now.Add(r.DedupeTTL)
	}
	for i, l := range r.Limits {
		if l.Key == "" {
			continue
		}
		k := scoped{r.Scope, l.Key}
		w := s.admitWindows[k]
		if now.Sub(w.start) >= w.per {
			w = window{start: now, per: l.Window}
		}
		w.n++
		s.admitWindows[k] = w
		if w.n > l.Max {
			a.LimitedBy = i
			return a, nil
		}
	}
	if r.ThreadKey == "" {
		return a, nil
	}
	k := scoped{r.Scope, r.ThreadKey}
	var t bot.Thread
	if e, ok := s.threads[k]; ok && now.Before(e.exp) {
		t, a.HadThread = e.v, true
	} else if seed != nil {
		t, a.HadThread = *seed, true
	}
	a.Thread = t.Apply(r.Note)
	s.keepThread(k, a.Thread.Apply(bot.ThreadNote{}), now.Add(r.ThreadTTL)) // a copy: the caller owns a.Thread
	return a, nil
}

// Record keeps what another store (the shared one) decided for a question,
// so that it still holds here if that store becomes unavailable: the event
// is marked as seen and an admitted question's conversation is kept as the
// other store left it. Rate limits are not copied: during an outage each
// replica counts afresh.
func (s *Store) Record(r bot.Admit, a bot.Admission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	if r.EventKey != "" && r.DedupeTTL > 0 {
		s.admitSeen[scoped{r.Scope, r.EventKey}] = now.Add(r.DedupeTTL)
	}
	if a.Admitted() && r.ThreadKey != "" && r.ThreadTTL > 0 {
		s.keepThread(scoped{r.Scope, r.ThreadKey}, a.Thread.Apply(bot.ThreadNote{}), now.Add(r.ThreadTTL))
	}
}

// Thread returns the conversation kept for a key within a scope.
func (s *Store) Thread(scope, key string) (bot.Thread, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.threads[scoped{scope, key}]
	if !ok || !s.now().Before(e.exp) {
		return bot.Thread{}, false
	}
	return e.v.Apply(bot.ThreadNote{}), true // a copy
}

// keepThread stores t until exp, or forgets the key when t is empty. s.mu is held.
func (s *Store) keepThread(k scoped, t bot.Thread, exp time.Time) {
	if t.IsZero() {
		delete(s.threads, k)
		return
	}
	s.threads[k] = expiring[bot.Thread]{t, exp}
}
