package httpapi

import (
	"io/fs"
	"regexp"
	"testing"

	"dakiya/internal/article"
	"dakiya/pwa"
)

// TestRecipientPagesText: every fixed text of a page (data-t) and every
// tracking event has its words in both languages, so no recipient reads a
// key or "received at dc".
func TestRecipientPagesText(t *testing.T) {
	keys := map[string]map[string]bool{}
	keyRe := regexp.MustCompile(`(?m)^\s*'([a-zA-Z0-9_.]+)':`)
	for _, l := range []string{"en", "hi"} {
		b, err := fs.ReadFile(pwa.Files(), "locales/"+l+".js")
		if err != nil {
			t.Fatal(err)
		}
		keys[l] = map[string]bool{}
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			keys[l][m[1]] = true
		}
	}
	var want []string
	pages, _ := fs.Glob(pwa.Files(), "*.html")
	dataT := regexp.MustCompile(`data-t="([^"]+)"`)
	for _, p := range pages {
		b, _ := fs.ReadFile(pwa.Files(), p)
		for _, m := range dataT.FindAllStringSubmatch(string(b), -1) {
			want = append(want, m[1])
		}
	}
	if len(want) < 10 {
		t.Fatalf("only %d data-t texts in the pages", len(want))
	}
	for _, e := range []article.EventName{article.EventBooked, article.EventReceivedAtDC, article.EventScheduled, article.EventRescheduled,
		article.EventOutForDelivery, article.EventDeliveryAttempted, article.EventDelivered, article.EventHeldAtCounter, article.EventReturnedToSender} {
		want = append(want, "static.ev."+string(e))
	}
	for _, k := range want {
		for l, have := range keys {
			if !have[k] {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}
