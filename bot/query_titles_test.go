package bot_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"advisorybot/bot"
)

// TestParseKeepsRealTitles puts real film titles (every 20th of
// testdata/us-films.jsonl) into questions of each family and checks that the
// title comes back, as the first reading or the second. A few old titles
// read as questions ("Murder in Trinidad" is asked about as well as named),
// so the bar is 99%, not all.
func TestParseKeepsRealTitles(t *testing.T) {
	f, err := os.Open("../testdata/us-films.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var titles []string
	sc := bufio.NewScanner(f)
	for i := 0; sc.Scan(); i++ {
		if i%20 != 0 {
			continue
		}
		var film struct{ Title string }
		if err := json.Unmarshal(sc.Bytes(), &film); err != nil {
			t.Fatal(err)
		}
		titles = append(titles, film.Title)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(titles) < 1000 {
		t.Fatalf("read %d titles, want the whole file's", len(titles))
	}
	for _, frame := range []string{
		"%s", "is %s ok for kids", "how much swearing is in %s", "%s - is it ok for a 9 year old?",
		"can my 10 year old watch %s", "what about %s?", "is %s too scary", "how long is %s",
	} {
		var lost []string
		for _, title := range titles {
			in := fmt.Sprintf(frame, title)
			q := bot.Parse(in)
			want := cleanWant(title)
			if !strings.EqualFold(cleanWant(q.Title), want) && (q.Alt == nil || !strings.EqualFold(cleanWant(q.Alt.Title), want)) {
				lost = append(lost, fmt.Sprintf("%q: %s", in, fmtQuery(q)))
			}
		}
		if len(lost)*100 > len(titles) {
			t.Errorf("%q lost %d of %d titles, e.g.\n%s", frame, len(lost), len(titles), strings.Join(lost[:min(10, len(lost))], "\n"))
		}
	}
}

// cleanWant drops what the parser drops around any title: quotes and end punctuation.
func cleanWant(s string) string {
	return strings.Trim(strings.TrimSpace(s), `?!.,;:'"`)
}
