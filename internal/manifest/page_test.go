package manifest_test

import (
	"context"
	"encoding/base64"
	"testing"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestManifestPages walks a centre's manifests two at a time: every one
// exactly once, in order, over several pages, with a manifest built
// meanwhile ahead of the cursor showing up; bad cursors and limits are
// refused.
func TestManifestPages(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		serial := 80000001
		build := func(date string, sl postal.Slot) []string {
			t.Helper()
			ids := f.Book(t, testkit.ArticleSpec{Serial: serial}, testkit.ArticleSpec{Serial: serial + 1, PIN: "560095"})
			serial += 2
			for _, id := range ids {
				if _, err := f.slots.Assign(ctx, f.Supervisor, id, article.Schedule{Date: date, Slot: sl}); err != nil {
					t.Fatalf("assign: %v", err)
				}
			}
			res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", date, sl)
			if err != nil || len(res.Manifests) != 2 {
				t.Fatalf("build %s %s: %+v %v", date, sl, res, err)
			}
			return []string{res.Manifests[0].ID, res.Manifests[1].ID}
		}
		want := map[string]bool{}
		for _, s := range []struct {
			date string
			sl   postal.Slot
		}{{"2026-11-26", postal.SlotEvening}, {"2026-11-26", postal.SlotMorning}, {"2026-11-27", postal.SlotMorning}} {
			for _, id := range build(s.date, s.sl) {
				want[id] = true
			}
		}
		seen, pages, next := map[string]bool{}, 0, ""
		var last manifest.Summary
		for {
			page, err := f.svc.Page(ctx, f.Supervisor, "dc-one", "", "", "2", next)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, s := range page.Items {
				if seen[s.ID] {
					t.Fatalf("manifest %s twice", s.ID)
				}
				if last.ID != "" && (s.Date < last.Date || (s.Date == last.Date && manifest.SlotRank(s.Slot) < manifest.SlotRank(last.Slot))) {
					t.Fatalf("out of order: %+v after %+v", s, last)
				}
				seen[s.ID], last = true, s
			}
			if pages == 1 { // built meanwhile, after the cursor: it comes in a later page
				for _, id := range build("2026-11-28", postal.SlotEvening) {
					want[id] = true
				}
			}
			if page.Next == "" {
				break
			}
			next = page.Next
		}
		if pages < 4 || len(seen) != len(want) || len(want) != 8 {
			t.Fatalf("%d pages, saw %d of %d manifests", pages, len(seen), len(want))
		}
		for id := range want {
			if !seen[id] {
				t.Fatalf("manifest %s never listed", id)
			}
		}
		all, err := f.svc.Page(ctx, f.Supervisor, "dc-one", "", "", "", "")
		if err != nil || len(all.Items) != 8 || all.Next != "" {
			t.Fatalf("one page: %d items, next %q, %v", len(all.Items), all.Next, err)
		}
		for name, q := range map[string][2]string{
			"limit 0":       {"0", ""},
			"limit too big": {"1001", ""},
			"limit not int": {"two", ""},
			"not base64":    {"", "!!"},
			"tampered":      {"", base64.RawURLEncoding.EncodeToString([]byte("m1|2026-13-01|evening|beat-a|x"))},
			"other list":    {"", base64.RawURLEncoding.EncodeToString([]byte("0|1700000000000|d1"))},
			"unknown slot":  {"", base64.RawURLEncoding.EncodeToString([]byte("m1|2026-11-26|night|beat-a|x"))},
			"empty id":      {"", base64.RawURLEncoding.EncodeToString([]byte("m1|2026-11-26|evening|beat-a|"))},
		} {
			if _, err := f.svc.Page(ctx, f.Supervisor, "dc-one", "", "", q[0], q[1]); !postal.IsCode(err, postal.CodeInvalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.svc.Page(ctx, f.Supervisor2, "dc-one", "", "", "", ""); !postal.IsCode(err, postal.CodeNotFound) {
			t.Errorf("other centre: %v", err)
		}
	})
}
