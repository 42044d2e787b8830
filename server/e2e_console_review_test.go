package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/testkit"
)

// TestConsoleReview runs e2e/console-review.mjs: a postman's outcomes
// with photos and signatures (some flagged: far from the address, without
// a position, without the code, UPI without its reference) are reviewed in
// the console by supervisor1 with the keyboard alone (j/k/a/r), in English
// and Hindi, every proof image visibly loaded through the API; an admin
// sees the images too. Then the server must hold the reviews (approved,
// rejected with the note) and a recorded view of each proof shown.
func TestConsoleReview(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	date, slot := firstScheduled(t, base)
	dispatchFirstSlot(t, base)
	made := reviewOutcomes(t, base, date, slot)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	out := runE2E(t, node, root, "console-review.mjs", phone, base, control, shots)
	var res reviewResult
	scriptResult(t, out, "E2E RESULT", &res)
	if len(res.Approved) == 0 || len(res.Rejected) == 0 || len(res.Seen) == 0 || len(res.AdminSeen) == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkReviews(t, base, made, res)
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyConsoleShots(t, shots, filepath.Join(root, "docs"), "console-review*.png")
	}
}

// reviewResult is what the review script did.
type reviewResult struct {
	Approved  []string
	Rejected  []struct{ ID, Note string }
	Seen      []string // proofs whose images supervisor1 saw loaded
	AdminSeen []string `json:"admin_seen"`
}

// firstScheduled is the date and slot of the demo's first scheduled article.
func firstScheduled(t *testing.T, base string) (string, string) {
	t.Helper()
	var page struct {
		Items []struct{ Schedule struct{ Date, Slot string } }
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/articles?status=scheduled&limit=1", login(t, base, "supervisor1"), 200, &page)
	if len(page.Items) == 0 {
		t.Fatal("the demo has no scheduled article")
	}
	return page.Items[0].Schedule.Date, page.Items[0].Schedule.Slot
}

type reviewItem struct {
	ID          string
	CODPaise    int64 `json:"cod_paise"`
	OTPRequired bool  `json:"otp_required"`
}

type reviewStop struct {
	Lat, Lon *float64
	Phone    string
	Articles []reviewItem
}

// reviewOutcomes delivers six of postman1's articles with a photo and a
// signature each: two clean, one 1.1 km away, one without a position, one
// needing the code delivered against ID and one paid by UPI without its
// reference (the last two when the manifest has such articles). It
// returns each article's flags.
func reviewOutcomes(t *testing.T, base, date, slot string) map[string][]string {
	t.Helper()
	tok := login(t, base, "postman1")
	var mine []struct{ ID string }
	getJSON(t, base+"/api/v1/me/manifests?date="+date+"&slot="+slot, tok, 200, &mine)
	if len(mine) == 0 {
		t.Fatal("postman1 has no manifest")
	}
	var m struct{ Stops []reviewStop }
	getJSON(t, base+"/api/v1/manifests/"+mine[0].ID, tok, 200, &m)
	want := map[string][]string{}
	// The code and money twists go to the first articles they fit, the
	// rest in turn to the others.
	special := map[string]func(reviewItem) bool{"bypass": func(a reviewItem) bool { return a.OTPRequired },
		"upi": func(a reviewItem) bool { return a.CODPaise > 0 }}
	plain := []string{"clean", "far", "nofix", "clean"}
	for _, st := range m.Stops {
		for _, a := range st.Articles {
			if st.Lat == nil || len(want) == 6 {
				continue
			}
			twist := ""
			for name, fits := range special {
				if fits(a) {
					twist = name
					delete(special, name)
					break
				}
			}
			if twist == "" && len(plain) > 0 {
				twist, plain = plain[0], plain[1:]
			}
			if twist != "" {
				want[a.ID] = deliverForReview(t, base, tok, st, a, twist)
			}
		}
	}
	if len(want) < 4 {
		t.Fatalf("only %d articles with a position on postman1's manifest", len(want))
	}
	t.Logf("outcomes to review: %v", want)
	return want
}

// deliverForReview uploads a photo and a signature and records the
// delivery with its twist, returning the flags it must carry.
func deliverForReview(t *testing.T, base, tok string, st reviewStop, a reviewItem, twist string) []string {
	t.Helper()
	photo, sig := uploadReviewProof(t, base, tok, a.ID, "photo"), uploadReviewProof(t, base, tok, a.ID, "signature")
	body := map[string]any{"article_id": a.ID, "outcome": "delivered", "proof_ids": []string{photo, sig},
		"captured_at": time.Now().Format(time.RFC3339), "location": map[string]any{"lat": *st.Lat, "lon": *st.Lon, "accuracy_m": 12}}
	var flags []string
	if a.OTPRequired && twist != "bypass" {
		body["otp"] = smsCode(t, base, st.Phone, a.ID)
	}
	if a.CODPaise > 0 {
		body["cod"] = map[string]any{"mode": "cash", "amount_paise": a.CODPaise}
	}
	switch twist {
	case "far":
		body["location"] = map[string]any{"lat": *st.Lat + 0.01, "lon": *st.Lon, "accuracy_m": 20}
		flags = append(flags, "far_from_address")
	case "nofix":
		delete(body, "location")
		flags = append(flags, "no_location")
	case "bypass":
		body["id_evidence"] = map[string]any{"type": "aadhaar", "last4": "1234", "received_by": "Neighbour"}
		flags = append(flags, "otp_bypassed")
	case "upi":
		body["cod"] = map[string]any{"mode": "upi", "amount_paise": a.CODPaise}
		flags = append(flags, "upi_unconfirmed")
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+"/api/v1/deliveries", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	var got struct{ Flags []string }
	doReviewRequest(t, req, 201, &got)
	for _, f := range flags {
		if !slices.Contains(got.Flags, f) {
			t.Fatalf("%s (%s) got flags %v, want %s among them", a.ID, twist, got.Flags, f)
		}
	}
	return got.Flags
}

// uploadReviewProof uploads a small real JPEG photo or PNG signature.
func uploadReviewProof(t *testing.T, base, tok, articleID, kind string) string {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("article_id", articleID)
	w.WriteField("kind", kind)
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	if kind == "signature" {
		part, _ := w.CreateFormFile("file", "sig.png")
		sig := image.NewNRGBA(image.Rect(0, 0, 240, 80))
		for x := 10; x < 230; x++ {
			sig.Set(x, 40+int(20*float64((x%40)-20)/20), color.Black)
		}
		png.Encode(part, sig)
	} else {
		part, _ := w.CreateFormFile("file", "door.jpg")
		jpeg.Encode(part, img, nil)
	}
	w.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/proofs", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	var p struct{ ID string }
	doReviewRequest(t, req, 201, &p)
	return p.ID
}

func doReviewRequest(t *testing.T, req *http.Request, status int, v any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d: %s", req.Method, req.URL, res.StatusCode, status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// smsCode reads an article's code from the development outbox.
func smsCode(t *testing.T, base, phone, id string) string {
	t.Helper()
	var out struct{ Messages []struct{ Body string } }
	getJSON(t, base+"/api/v1/dev/sms?phone="+url.QueryEscape(phone), "", 200, &out)
	re := regexp.MustCompile(id + `\b.*? code (\d{6}) `)
	for _, m := range out.Messages {
		if c := re.FindStringSubmatch(m.Body); c != nil {
			return c[1]
		}
	}
	t.Fatalf("no code for %s", id)
	return ""
}

// checkReviews reads back what the browser left: each approval and
// rejection (with its note) by supervisor1, and a recorded view of every
// proof image shown, by supervisor1 and by the admin.
func checkReviews(t *testing.T, base string, made map[string][]string, res reviewResult) {
	t.Helper()
	sup := login(t, base, "supervisor1")
	var me struct{ ID string }
	getJSON(t, base+"/api/v1/me", sup, 200, &me)
	var list struct {
		Items []struct {
			ID        string
			ArticleID string `json:"article_id"`
			Review    string
			Reviews   []struct {
				ReviewerID     string `json:"reviewer_id"`
				Decision, Note string
			}
		}
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/deliveries", sup, 200, &list)
	byID := map[string]int{}
	for i, d := range list.Items {
		byID[d.ID] = i
	}
	check := func(id, decision, note string) {
		i, ok := byID[id]
		if !ok {
			t.Errorf("reviewed outcome %s is not in the centre's list", id)
			return
		}
		d := list.Items[i]
		if d.Review != decision || len(d.Reviews) == 0 {
			t.Errorf("%s (%s): review %s with %d reviews, want %s", id, d.ArticleID, d.Review, len(d.Reviews), decision)
			return
		}
		last := d.Reviews[len(d.Reviews)-1]
		if last.Decision != decision || last.Note != note || last.ReviewerID != me.ID {
			t.Errorf("%s: last review %+v, want %s %q", id, last, decision, note)
		}
	}
	for _, id := range res.Approved {
		check(id, "approved", "")
	}
	for _, r := range res.Rejected {
		check(r.ID, "rejected", r.Note)
	}
	views := func(proof, role string) bool {
		var v struct {
			Items []struct {
				What   string
				Viewer struct{ Role string }
			}
		}
		getJSON(t, base+"/api/v1/proofs/"+proof+"/views", sup, 200, &v)
		return slices.ContainsFunc(v.Items, func(x struct {
			What   string
			Viewer struct{ Role string }
		}) bool {
			return x.What == "content" && x.Viewer.Role == role
		})
	}
	for _, p := range res.Seen {
		if !views(p, "supervisor") {
			t.Errorf("proof %s was shown to supervisor1 but no view of its content is recorded", p)
		}
	}
	for _, p := range res.AdminSeen {
		if !views(p, "admin") {
			t.Errorf("proof %s was shown to the admin but no view of its content is recorded", p)
		}
	}
	t.Logf("%d outcomes made; %d approved, %d rejected with notes; %d proofs seen by supervisor1, %d by the admin, each view recorded",
		len(made), len(res.Approved), len(res.Rejected), len(res.Seen), len(res.AdminSeen))
}
