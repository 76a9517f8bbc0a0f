package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Gate admits one question in a single round trip of shared state: it
// de-duplicates the delivery, charges the rate limits and moves the
// conversation on, atomically, so that several replicas sharing one store
// agree on all three. adapters/memory and adapters/redis implement it (Redis
// with one Lua script).
//
// In order:
//
//  1. De-duplication. If EventKey was seen within DedupeTTL the question is a
//     Duplicate and nothing else changes: no limit is charged and the
//     conversation is untouched. Otherwise EventKey is marked.
//  2. Rate limits, in the order given. Each check counts the question in a
//     fixed window that starts at the window's first question. At the first
//     check over its Max the question is refused (LimitedBy is that check's
//     index): the checks after it are not charged, the ones before it (and
//     it) are, and the conversation is untouched. The bot checks the user
//     before the community, so a user over their own limit does not use up
//     their community's.
//  3. Conversation. The thread at ThreadKey is read, Note is applied to it
//     (Thread.Apply) and the result is written back with ThreadTTL, or the
//     key removed when nothing is left to remember, and returned.
type Gate interface {
	Admit(ctx context.Context, r Admit) (Admission, error)
}

// Admit is what one question asks of shared state.
//
// Scope keeps every key of the question together: the stores namespace each
// key by it, and Redis puts it in a hash tag so that one question's keys
// share a Cluster hash slot (one script may only touch one slot). The bot
// uses "<platform>:<community>", or "<platform>:user:<user>" when there is no
// community (a direct message). A consequence: every key is per scope, so a
// user's rate limit counts per community, and an event id or a thread is
// looked up within its community (both are always delivered with it).
type Admit struct {
	Scope string

	// EventKey identifies the delivery (a platform event, interaction or
	// trigger id); "" means no de-duplication.
	EventKey  string
	DedupeTTL time.Duration

	// Limits are checked in order; a check with an empty Key is skipped.
	Limits []LimitCheck

	// ThreadKey is the conversation (a thread or channel); "" means none.
	ThreadKey string
	ThreadTTL time.Duration
	// Note is what this question adds to the conversation.
	Note ThreadNote
}

// LimitCheck allows at most Max questions per Window for Key.
type LimitCheck struct {
	Key    string
	Max    int
	Window time.Duration
}

// Admission is a store's decision about one question.
type Admission struct {
	// Duplicate: the delivery was seen before; nothing changed.
	Duplicate bool
	// LimitedBy is the index in Admit.Limits of the check that refused the
	// question, or -1.
	LimitedBy int
	// Thread is the conversation after applying the note. It is set only
	// for an admitted question with a ThreadKey.
	Thread Thread
	// HadThread says whether the conversation existed before this question.
	HadThread bool
}

// Admitted reports whether the question is to be answered.
func (a Admission) Admitted() bool { return !a.Duplicate && a.LimitedBy < 0 }

// Thread is what a follow-up needs to know about a conversation: the title
// last asked about (as asked, with its year), or the title picked directly
// (a review id, e.g. from a button), and the age last asked about. Nil
// pointers and empty strings mean "not known". When both are set, ID wins.
type Thread struct {
	Title string `json:"title,omitempty"`
	Year  *int   `json:"year,omitempty"`
	Age   *int   `json:"age,omitempty"`
	ID    string `json:"id,omitempty"`
}

// ThreadNote is what one question says about its conversation, with the
// same fields as Thread: the question's title and year, its age, or the id
// it picked. Nil pointers and empty strings mean "not said".
type ThreadNote struct {
	Title string
	Year  *int
	Age   *int
	ID    string
}

// Apply returns the thread after a question that says n:
//
//   - a direct pick (ID) sets the id and forgets the title and year;
//   - otherwise a question that names a title sets the title and its year
//     (forgetting the old year when it gives none) and forgets the id;
//   - otherwise (a follow-up: "and in 2016?", "for my 8 year old?") only the
//     year, if given, is replaced;
//   - in every case the age is replaced only when the question gives one, so
//     "what about Frozen?" keeps the age asked before.
//
// adapters/redis mirrors this rule in Lua; adapters/storetest holds the
// table both must pass. The result shares no memory with t or n.
func (t Thread) Apply(n ThreadNote) Thread {
	switch {
	case n.ID != "":
		t.ID, t.Title, t.Year = n.ID, "", nil
	case n.Title != "":
		t.Title, t.Year, t.ID = n.Title, n.Year, ""
	case n.Year != nil:
		t.Year = n.Year
	}
	if n.Age != nil {
		t.Age = n.Age
	}
	t.Year, t.Age = copyIntPtr(t.Year), copyIntPtr(t.Age)
	return t
}

// IsZero reports whether the thread remembers nothing.
func (t Thread) IsZero() bool {
	return t.Title == "" && t.Year == nil && t.Age == nil && t.ID == ""
}

// Equal reports whether two threads hold the same values.
func (t Thread) Equal(u Thread) bool {
	return t.Title == u.Title && t.ID == u.ID && equalIntPtr(t.Year, u.Year) && equalIntPtr(t.Age, u.Age)
}

// String shows a thread in test failures and logs.
func (t Thread) String() string {
	s := fmt.Sprintf("{title %q id %q", t.Title, t.ID)
	if t.Year != nil {
		s += fmt.Sprintf(" year %d", *t.Year)
	}
	if t.Age != nil {
		s += fmt.Sprintf(" age %d", *t.Age)
	}
	return s + "}"
}

// ErrInvalidAdmit is wrapped by Validate's errors: a caller's mistake, never
// a store being unavailable.
var ErrInvalidAdmit = errors.New("invalid admission request")

// Validate checks what every store needs: a TTL for each key that is set,
// at least a millisecond (Redis counts in milliseconds).
func (r Admit) Validate() error {
	if r.EventKey != "" && r.DedupeTTL < time.Millisecond {
		return fmt.Errorf("%w: de-duplication ttl %v for event %q", ErrInvalidAdmit, r.DedupeTTL, r.EventKey)
	}
	for i, l := range r.Limits {
		if l.Key != "" && l.Window < time.Millisecond {
			return fmt.Errorf("%w: limit %d (%q) has window %v", ErrInvalidAdmit, i, l.Key, l.Window)
		}
	}
	if r.ThreadKey != "" && r.ThreadTTL < time.Millisecond {
		return fmt.Errorf("%w: conversation ttl %v for %q", ErrInvalidAdmit, r.ThreadTTL, r.ThreadKey)
	}
	return nil
}

func copyIntPtr(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func equalIntPtr(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
