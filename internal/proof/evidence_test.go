package proof_test

import (
	"bytes"
	"context"
	"image/color"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestUploadDecodesTheWholeImage: a file whose header reads but whose
// image does not read whole (decoded, or for a sequential JPEG walked code
// by code), or that carries bytes after the image's end, is
// refused with a reason a postman can read, and leaves no row and no
// object behind.
func TestUploadDecodesTheWholeImage(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		id := f.articles[0]
		jpeg, png := prooftest.JPEG(32, 24, 3), prooftest.PNG(32, 24, 3)
		webp := prooftest.WebP(16, 16, color.NRGBA{R: 9, G: 99, B: 199, A: 255})
		corrupt := append([]byte(nil), png...)
		corrupt[len(corrupt)/2] ^= 0xff // inside IDAT: the chunk's CRC no longer matches
		big := prooftest.JPEG(64, 48, 5)
		sos := bytes.Index(big, []byte{0xff, 0xda})
		scan := sos + 2 + (int(big[sos+2])<<8 | int(big[sos+3]))
		cutScan := append(append([]byte(nil), big[:scan+(len(big)-scan)/2]...), 0xff, 0xd9) // half a scan, then EOI
		ones := append([]byte(nil), big...)
		copy(ones[scan+20:], bytes.Repeat([]byte{0xff, 0x00}, 4)) // 32 one bits: no Huffman code
		progressive, err := os.ReadFile("testdata/progressive.jpg")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			kind proof.Kind
			data []byte
			says string
		}{
			{"33-byte PNG without pixels", proof.KindPhoto, prooftest.PNGHeaderOnly(10, 10), "could not be read"},
			{"33-byte PNG signature", proof.KindSignature, prooftest.PNGHeaderOnly(10, 10), "could not be read"},
			{"JPEG without a scan", proof.KindPhoto, prooftest.JPEGWithoutScan(10, 10), "could not be read"},
			{"PNG with a page after IEND", proof.KindPhoto, prooftest.Appended(png, prooftest.Page), "after the end"},
			{"PNG signature with a page after IEND", proof.KindSignature, prooftest.Appended(png, prooftest.Page), "after the end"},
			{"JPEG with a page after EOI", proof.KindPhoto, prooftest.Appended(jpeg, prooftest.Page), "after the end"},
			{"JPEG with one zero byte after EOI", proof.KindPhoto, prooftest.Appended(jpeg, "\x00"), "after the end"},
			{"JPEG with a second JPEG after EOI", proof.KindPhoto, prooftest.Appended(jpeg, string(prooftest.JPEG(8, 8, 1))), "after the end"},
			{"WebP with a page after its RIFF", proof.KindPhoto, prooftest.Appended(webp, prooftest.Page), "after the end"},
			{"lossy WebP with a page after its RIFF", proof.KindPhoto, prooftest.Appended(prooftest.LossyWebP, prooftest.Page), "after the end"},
			{"JPEG cut short", proof.KindPhoto, prooftest.Truncated(jpeg, 40), "could not be read"},
			{"JPEG without its EOI", proof.KindPhoto, prooftest.Truncated(jpeg, 2), "could not be read"},
			{"JPEG with half its scan, then EOI", proof.KindPhoto, cutScan, "could not be read"},
			{"JPEG with a bad Huffman code", proof.KindPhoto, ones, "could not be read"},
			{"progressive JPEG cut short", proof.KindPhoto, prooftest.Truncated(progressive, 40), "could not be read"},
			{"PNG without IEND", proof.KindPhoto, prooftest.Truncated(png, 12), "could not be read"},
			{"PNG with a corrupt IDAT", proof.KindPhoto, corrupt, "could not be read"},
			{"WebP cut short", proof.KindPhoto, prooftest.Truncated(prooftest.LossyWebP, 6), "could not be read"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.Upload(context.Background(), f.PostmanA, proof.Upload{ArticleID: id, Kind: c.kind, Key: uuid.NewString(), Data: c.data}, idem.Receipt{})
				if err == nil {
					t.Fatal("accepted")
				}
				var e *postal.Error
				if !postal.IsCode(err, postal.CodeUnprocessable) && !postal.IsCode(err, postal.CodeInvalid) {
					t.Fatalf("error %v, want unprocessable or invalid", err)
				}
				if e = wantCode(t, err, postal.ErrorCode(err)); !strings.Contains(e.Message, c.says) || !strings.Contains(e.Message, string(c.kind)) {
					t.Fatalf("message %q does not say the %s %s", e.Message, c.kind, c.says)
				}
			})
		}
		wantStored(t, f, db, 0)
		for _, data := range [][]byte{jpeg, png, webp, prooftest.LossyWebP, progressive} {
			f.upload(t, f.PostmanA, id, proof.KindPhoto, data)
		}
		f.upload(t, f.PostmanA, id, proof.KindSignature, png)
		wantStored(t, f, db, 6)
	})
}

// wantStored checks there are n proof rows and n objects.
func wantStored(t *testing.T, f fix, db *store.DB, n int) {
	t.Helper()
	var rows int
	if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM proofs").Scan(&rows); err != nil || rows != n {
		t.Fatalf("%d proof rows (%v), want %d", rows, err, n)
	}
	if keys := listKeys(t, f.objects); len(keys) != n {
		t.Fatalf("%d objects, want %d: %v", len(keys), n, keys)
	}
}

// TestProofsPerArticleCapped: an article takes at most MaxPerArticle
// proofs, however many uploads race for the last places.
func TestProofsPerArticleCapped(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		for i := range proof.MaxPerArticle {
			f.upload(t, f.PostmanA, f.articles[0], proof.KindPhoto, prooftest.JPEG(8, 8, uint8(i)))
		}
		_, err := f.svc.Upload(ctx, f.PostmanA, proof.Upload{ArticleID: f.articles[0], Kind: proof.KindPhoto,
			Key: uuid.NewString(), Data: prooftest.JPEG(8, 8, 99)}, idem.Receipt{})
		if e := wantCode(t, err, postal.CodeUnprocessable); !strings.Contains(e.Message, "at most 10 proofs") {
			t.Fatalf("message %q", e.Message)
		}
		wantStored(t, f, db, proof.MaxPerArticle)

		ok := testkit.Race(t, proof.MaxPerArticle+5, postal.CodeUnprocessable, func(i int) error {
			_, err := f.svc.Upload(ctx, f.PostmanA, proof.Upload{ArticleID: f.articles[1], Kind: proof.KindPhoto,
				Key: uuid.NewString(), Data: prooftest.JPEG(8, 8, uint8(100+i))}, idem.Receipt{})
			return err
		})
		if ok != proof.MaxPerArticle {
			t.Errorf("%d racing uploads accepted, want %d", ok, proof.MaxPerArticle)
		}
		wantStored(t, f, db, 2*proof.MaxPerArticle)
	})
}

// TestOnlyTheCustodianWhileOut: proofs come only from the postman holding
// the article, and only while it is out for delivery.
func TestOnlyTheCustodianWhileOut(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		ctx := context.Background()
		a, b := f.articles[0], f.articles[1]
		upload := func(p postal.Principal, id string) error {
			_, err := f.svc.Upload(ctx, p, proof.Upload{ArticleID: id, Kind: proof.KindPhoto, Key: uuid.NewString(), Data: prooftest.JPEG(8, 8, 1)}, idem.Receipt{})
			return err
		}
		wantCode(t, upload(f.PostmanB, a), postal.CodeNotFound)
		delivered := article.Event{Event: article.EventDelivered, Status: article.StatusDelivered,
			Code: article.UPUCode(article.EventDelivered), At: f.Clock.Now(), Place: "Koramangala DC", ActorID: f.PostmanA.UserID}
		if err := db.AppendEvent(ctx, a, article.StatusOutForDelivery, delivered, nil); err != nil {
			t.Fatal(err)
		}
		if err := upload(f.PostmanA, a); !postal.IsCode(err, postal.CodeUnprocessable) && !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("a proof after delivery: %v", err)
		}
		if _, err := f.Articles.Record(ctx, f.Supervisor, b, article.Manual{Event: article.EventHeldAtCounter}); err != nil {
			t.Fatal(err)
		}
		if err := upload(f.PostmanA, b); !postal.IsCode(err, postal.CodeUnprocessable) && !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("a proof once held at the counter: %v", err)
		}
		wantStored(t, f, db, 0)
		if err := upload(f.PostmanA, f.articles[2]); err != nil {
			t.Fatalf("the custodian, article out: %v", err)
		}
	})
}
