package proof_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/manifest"
	"dakiya/internal/objstore"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// fix is a centre whose postman A holds three dispatched articles, with a
// proof service on a real S3 server.
type fix struct {
	*testkit.Centre
	objects  *objstore.Store
	svc      *proof.Service
	articles []string
}

func newFix(t *testing.T, db *store.DB) fix {
	t.Helper()
	ctx := context.Background()
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
	ids := c.Book(t, testkit.ArticleSpec{Serial: 301}, testkit.ArticleSpec{Serial: 302}, testkit.ArticleSpec{Serial: 303})
	slots := slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now)
	for _, id := range ids {
		if _, err := slots.Assign(ctx, c.Supervisor, id, article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}); err != nil {
			t.Fatal(err)
		}
	}
	mf := manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond})
	res, err := mf.Build(ctx, c.Supervisor, "dc-one", "2026-11-25", postal.SlotEvening)
	if err != nil || len(res.Manifests) != 1 {
		t.Fatalf("build: %+v %v", res, err)
	}
	if _, err := mf.Dispatch(ctx, c.Supervisor, res.Manifests[0].ID); err != nil {
		t.Fatal(err)
	}
	objects := newObjects(t)
	svc := proof.New(db, objects.Blobs(), c.Clock.Now, uuid.NewString, proof.Options{})
	return fix{Centre: c, objects: objects, svc: svc, articles: ids}
}

// newObjects starts a gateway and returns a store on its bucket.
func newObjects(t *testing.T) *objstore.Store {
	t.Helper()
	return testkit.Bucket(t)
}

func (f fix) upload(t *testing.T, p postal.Principal, id string, kind proof.Kind, data []byte) proof.Meta {
	t.Helper()
	m, err := f.svc.Upload(context.Background(), p, proof.Upload{ArticleID: id, Kind: kind, Key: uuid.NewString(), Data: data}, idem.Receipt{})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	return m
}

func wantCode(t *testing.T, err error, code postal.Code) *postal.Error {
	t.Helper()
	if !postal.IsCode(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	var e *postal.Error
	errors.As(err, &e)
	return e
}

func TestOwnedAndForArticle(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		a, b := f.articles[0], f.articles[1]
		photo := f.upload(t, f.PostmanA, a, proof.KindPhoto, prooftest.JPEG(20, 20, 1))
		f.Clock.Advance(time.Minute)
		sig := f.upload(t, f.PostmanA, a, proof.KindSignature, prooftest.PNG(40, 10, 1))
		onB := f.upload(t, f.PostmanA, b, proof.KindPhoto, prooftest.JPEG(20, 20, 2))

		got, err := f.svc.Owned(ctx, f.PostmanA, []string{sig.ID, photo.ID}, a)
		if err != nil || len(got) != 2 || got[0].ID != sig.ID || got[1].ID != photo.ID {
			t.Fatalf("Owned: %+v %v", got, err)
		}
		kinds, err := f.svc.Kinds(ctx, f.PostmanA, []string{sig.ID, photo.ID}, a)
		if err != nil || len(kinds) != 2 || kinds[0] != "signature" || kinds[1] != "photo" {
			t.Fatalf("Kinds: %v %v", kinds, err)
		}
		if none, err := f.svc.Owned(ctx, f.PostmanA, nil, a); err != nil || len(none) != 0 {
			t.Fatalf("Owned(none): %v %v", none, err)
		}
		all, err := f.svc.ForArticle(ctx, a)
		if err != nil || len(all) != 2 || all[0].ID != photo.ID || all[1].ID != sig.ID {
			t.Fatalf("ForArticle: %+v %v", all, err)
		}
		testOwnedRefusals(t, f, a, photo, sig, onB)
	})
}

// testOwnedRefusals: every bad id is named, and why is not said.
func testOwnedRefusals(t *testing.T, f fix, a string, photo, sig, onB proof.Meta) {
	for name, c := range map[string]struct {
		p     postal.Principal
		ids   []string
		badAt []string
	}{
		"unknown":       {f.PostmanA, []string{photo.ID, uuid.NewString()}, []string{"proof_ids[1]"}},
		"malformed":     {f.PostmanA, []string{"nope", sig.ID}, []string{"proof_ids[0]"}},
		"other article": {f.PostmanA, []string{onB.ID, photo.ID}, []string{"proof_ids[0]"}},
		"named twice":   {f.PostmanA, []string{photo.ID, photo.ID}, []string{"proof_ids[1]"}},
		"other postman": {f.PostmanB, []string{photo.ID, sig.ID}, []string{"proof_ids[0]", "proof_ids[1]"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Owned(context.Background(), c.p, c.ids, a)
			e := wantCode(t, err, postal.CodeUnprocessable)
			if len(e.Fields) != len(c.badAt) {
				t.Fatalf("fields %+v, want %v", e.Fields, c.badAt)
			}
			for i, fe := range e.Fields {
				if fe.Field != c.badAt[i] {
					t.Fatalf("fields %+v, want %v", e.Fields, c.badAt)
				}
			}
		})
	}
	many := make([]string, proof.MaxNamed+1)
	_, err := f.svc.Owned(context.Background(), f.PostmanA, many, a)
	wantCode(t, err, postal.CodeInvalid)
}

// TestConcurrentRetries: a phone that sends the same proof several times
// at once gets one proof, one row and one object.
func TestConcurrentRetries(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		in := proof.Upload{ArticleID: f.articles[0], Kind: proof.KindPhoto, Key: uuid.NewString(), Data: prooftest.JPEG(30, 30, 7)}
		const n = 6
		got := make([]proof.Meta, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i], errs[i] = f.svc.Upload(context.Background(), f.PostmanA, in, idem.Receipt{}) })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil || got[i] != got[0] {
				t.Fatalf("upload %d: %+v %v, want %+v", i, got[i], errs[i], got[0])
			}
		}
		var rows int
		if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM proofs").Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d rows, %v", rows, err)
		}
		if keys := listKeys(t, f.objects); len(keys) != 1 || keys[0] != got[0].ObjectKey {
			t.Fatalf("objects %v, want only %s", keys, got[0].ObjectKey)
		}
		body, err := f.svc.Body(context.Background(), got[0])
		if err != nil {
			t.Fatal(err)
		}
		defer body.Close()
		if b, err := io.ReadAll(body); err != nil || string(b) != string(in.Data) {
			t.Fatalf("body: %d bytes, %v", len(b), err)
		}
	})
}

// listKeys lists every proof object, whatever its age.
func listKeys(t *testing.T, st *objstore.Store) []string {
	t.Helper()
	var keys []string
	for key, err := range st.Blobs().Keys(context.Background(), proof.Prefix, time.Now().Add(time.Hour)) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	return keys
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
