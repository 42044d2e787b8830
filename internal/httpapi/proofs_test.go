package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image/color"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// part is one field of an upload form; a file when filename is set.
type part struct {
	name, filename, contentType string
	body                        []byte
}

func field(name, value string) part { return part{name: name, body: []byte(value)} }

func file(name string, data []byte) part {
	return part{name: "file", filename: name, contentType: "image/jpeg", body: data}
}

// form is the usual upload: article, kind, then file.
func form(article, kind, filename string, data []byte) []part {
	return []part{field("article_id", article), field("kind", kind), file(filename, data)}
}

func multipartBody(t testing.TB, parts []part) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="` + p.name + `"`
		if p.filename != "" {
			disp += `; filename="` + p.filename + `"`
			h.Set("Content-Type", p.contentType)
		}
		h.Set("Content-Disposition", disp)
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.body)
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// upload posts a proof form with an Idempotency-Key (none when key is "").
func (e *env) upload(token, key string, parts ...part) resp {
	e.t.Helper()
	body, ct := multipartBody(e.t, parts)
	headers := []string{"Content-Type", ct}
	if key != "" {
		headers = append(headers, "Idempotency-Key", key)
	}
	return e.do("POST", "/api/v1/proofs", token, body, headers...)
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fetch GETs a URL as a browser would: following redirects, and sending
// the API token only to the API, never on to the object store.
func fetch(t testing.TB, rawURL, token string, headers ...string) resp {
	t.Helper()
	req, err := http.NewRequest("GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		r.Header.Del("Authorization")
		return nil
	}}
	res, err := client.Do(req)
	return answer(t, res, err)
}

// noRedirect GETs a URL and returns its first answer.
func noRedirect(t testing.TB, rawURL, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", rawURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestProofAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		id := dispatchOne(t, e, sup1)
		photo := prooftest.JPEG(64, 48, 1)
		key := uuid.NewString()
		first := e.upload(post1, key, form(id, "photo", "door.jpg", photo)...)
		if first.status != 201 {
			t.Fatalf("upload: %d %s", first.status, first.body)
		}
		got := first.json(t)
		pid, _ := got["id"].(string)
		wantFields(t, got, map[string]any{"article_id": id, "kind": "photo", "sha256": hexSum(photo),
			"size": float64(len(photo)), "content_type": "image/jpeg", "width": float64(64), "height": float64(48)})
		if at, err := time.Parse(time.RFC3339, got["created_at"].(string)); err != nil || !strings.HasSuffix(got["created_at"].(string), "+05:30") {
			t.Fatalf("created_at %v in the centre's zone: %v %v", got["created_at"], at, err)
		}
		t.Run("replay", func(t *testing.T) { testReplay(t, e, post1, key, id, photo, first) })
		t.Run("read", func(t *testing.T) { testRead(t, e, pid, photo, first) })
		t.Run("views", func(t *testing.T) { testViews(t, e, pid, photo) })
		t.Run("kinds and formats", func(t *testing.T) { testFormats(t, e, post1, id) })
		t.Run("refusals", func(t *testing.T) { testUploadRefusals(t, e, id) })
		t.Run("object store down", func(t *testing.T) { testStoreDown(t, e, post1, id) })
		t.Run("after the outcome", func(t *testing.T) { testAfterOutcome(t, e, post1, id) })
	})
}

func testReplay(t *testing.T, e *env, post1, key, id string, photo []byte, first resp) {
	rows, objects := e.count("proofs"), e.objects().stored(t)
	again := e.upload(post1, key, form(id, "photo", "renamed.jpg", photo)...)
	if again.status != 201 || !bytes.Equal(again.body, first.body) {
		t.Fatalf("replay: %d %s, want the first body %s", again.status, again.body, first.body)
	}
	upper := e.upload(post1, strings.ToUpper(key), form(id, "photo", "door.jpg", photo)...)
	if upper.status != 201 || !bytes.Equal(upper.body, first.body) {
		t.Fatalf("replay with the key in upper case: %d %s", upper.status, upper.body)
	}
	other := prooftest.JPEG(64, 48, 2)
	for name, parts := range map[string][]part{
		"other bytes":   form(id, "photo", "door.jpg", other),
		"other kind":    form(id, "signature", "sig.png", prooftest.PNG(20, 10, 1)),
		"other article": form(s10(t, "EE", 14000099), "photo", "door.jpg", photo),
	} {
		t.Run(name, func(t *testing.T) { wantProblem(t, e.upload(post1, key, parts...), 422) })
	}
	if r, o := e.count("proofs"), e.objects().stored(t); r != rows || o != objects {
		t.Fatalf("replays stored something: %d rows (was %d), %d objects (was %d)", r, rows, o, objects)
	}
}

func testRead(t *testing.T, e *env, pid string, photo []byte, first resp) {
	sup1, post1, post2, sup2, admin := e.login("sup1"), e.login("post1"), e.login("post2"), e.login("sup2"), e.login("admin")
	path := "/api/v1/proofs/" + pid
	for _, who := range []string{post1, sup1, admin} {
		if r := e.do("GET", path, who, nil); r.status != 200 || !bytes.Equal(r.body, first.body) {
			t.Fatalf("metadata: %d %s, want %s", r.status, r.body, first.body)
		}
		res := noRedirect(t, e.url+path+"/content", who)
		loc, err := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != 302 || err != nil || loc.Query().Get("X-Amz-Expires") != "300" {
			t.Fatalf("content: %d to %q, want 302 to a link valid 300 s", res.StatusCode, loc)
		}
		if r := fetch(t, e.url+path+"/content", who); r.status != 200 || !bytes.Equal(r.body, photo) {
			t.Fatalf("content followed: %d, %d bytes, want the %d uploaded", r.status, len(r.body), len(photo))
		}
		testStream(t, e, path, who, photo)
	}
	for name, who := range map[string]string{"other postman": post2, "other centre": sup2} {
		t.Run(name, func(t *testing.T) {
			for _, p := range []string{path, path + "/content", path + "/content?stream=1"} {
				wantProblem(t, e.do("GET", p, who, nil), 404)
			}
		})
	}
	wantProblem(t, e.do("GET", path, "", nil), 401)
	wantProblem(t, e.do("GET", "/api/v1/proofs/not-a-uuid", sup1, nil), 400)
	wantProblem(t, e.do("GET", "/api/v1/proofs/"+uuid.NewString(), sup1, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/proofs/"+uuid.NewString()+"/content", sup1, nil), 404)
	wantProblem(t, e.do("GET", path+"/content?stream=maybe", sup1, nil), 400)
}

func testStream(t *testing.T, e *env, path, who string, photo []byte) {
	t.Helper()
	r := e.do("GET", path+"/content?stream=1", who, nil)
	etag := `"` + hexSum(photo) + `"`
	want := map[string]string{"Content-Type": "image/jpeg", "Cache-Control": "private, max-age=300",
		"X-Content-Type-Options": "nosniff", "ETag": etag, "Content-Length": strconv.Itoa(len(photo))}
	if r.status != 200 || !bytes.Equal(r.body, photo) {
		t.Fatalf("stream: %d, %d bytes", r.status, len(r.body))
	}
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("stream header %s = %q, want %q", k, got, v)
		}
	}
	if r := e.do("GET", path+"/content?stream=1", who, nil, "If-None-Match", etag); r.status != 304 || len(r.body) != 0 {
		t.Fatalf("stream with If-None-Match: %d", r.status)
	}
}

func testFormats(t *testing.T, e *env, post1, id string) {
	lossless := prooftest.WebP(40, 30, color.NRGBA{R: 90, G: 140, B: 200, A: 255})
	for _, c := range []struct {
		kind, ct string
		data     []byte
		w, h     int
	}{
		{"photo", "image/png", prooftest.PNG(30, 20, 3), 30, 20},
		{"photo", "image/webp", lossless, 40, 30},
		{"photo", "image/webp", prooftest.LossyWebP, 4, 3},
		{"signature", "image/png", prooftest.PNG(300, 100, 4), 300, 100},
	} {
		r := e.upload(post1, uuid.NewString(), form(id, c.kind, "x.bin", c.data)...)
		if r.status != 201 {
			t.Fatalf("%s %s: %d %s", c.kind, c.ct, r.status, r.body)
		}
		wantFields(t, r.json(t), map[string]any{"kind": c.kind, "content_type": c.ct, "width": float64(c.w),
			"height": float64(c.h), "sha256": hexSum(c.data)})
		wantObject(t, e, r.json(t)["id"].(string), "2026/11/25", c.data)
	}
	// Past midnight in Bengaluru, still the evening before in UTC: the key
	// carries the centre's date.
	e.clock.Set(time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC))
	defer e.clock.Set(time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC))
	data := prooftest.JPEG(10, 10, 9)
	r := e.upload(e.login("post1"), uuid.NewString(), form(id, "photo", "late.jpg", data)...)
	if r.status != 201 || !strings.HasPrefix(r.json(t)["created_at"].(string), "2026-11-26T00:30:00+05:30") {
		t.Fatalf("late upload: %d %s", r.status, r.body)
	}
	wantObject(t, e, r.json(t)["id"].(string), "2026/11/26", data)
}

// wantObject checks a proof's row names a server-made key holding its
// bytes, with the proof's metadata on the object.
func wantObject(t *testing.T, e *env, pid, day string, data []byte) {
	t.Helper()
	var key, article, postman, kind string
	if err := e.db.QueryRowForTest(context.Background(), "SELECT object_key, article_id, postman_id, kind FROM proofs WHERE id = ?", pid).
		Scan(&key, &article, &postman, &kind); err != nil {
		t.Fatal(err)
	}
	if prefix := "proofs/dc-one/" + day + "/" + article + "/" + pid + "."; !strings.HasPrefix(key, prefix) {
		t.Fatalf("object key %q, want %s{ext}", key, prefix)
	}
	obj, err := e.objects().st.Stat(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"article": article, "kind": kind, "postman": postman, "proof-id": pid}
	if obj.SHA256 != hexSum(data) || obj.Size != int64(len(data)) || len(obj.Meta) != len(want) {
		t.Fatalf("object %+v, want %d bytes with sha256 %s and %v", obj, len(data), hexSum(data), want)
	}
	for k, v := range want {
		if obj.Meta[k] != v {
			t.Fatalf("object metadata %v, want %v", obj.Meta, want)
		}
	}
}

// refusedUpload is an upload the API must refuse without storing anything.
type refusedUpload struct {
	name        string
	token, key  string
	parts       []part
	body, ctype string // a raw body instead of parts
	status      int
}

func testUploadRefusals(t *testing.T, e *env, id string) {
	post1, post2 := e.login("post1"), e.login("post2")
	jpeg, big := prooftest.JPEG(16, 16, 5), append(prooftest.JPEG(16, 16, 6), make([]byte, 3<<20)...)
	text := []byte("Delivered to the neighbour, see photo. This is plain text.\n")
	k := uuid.NewString
	cases := []refusedUpload{
		{name: "text file named .jpg", token: post1, key: k(), parts: form(id, "photo", "door.jpg", text), status: 415},
		{name: "3 MiB photo", token: post1, key: k(), parts: form(id, "photo", "big.jpg", big), status: 413},
		{name: "300 KiB signature", token: post1, key: k(), parts: form(id, "signature", "s.png", append(prooftest.PNG(8, 8, 1), make([]byte, 300<<10)...)), status: 413},
		{name: "JPEG signature", token: post1, key: k(), parts: form(id, "signature", "s.png", jpeg), status: 415},
		{name: "WebP signature", token: post1, key: k(), parts: form(id, "signature", "s.webp", prooftest.LossyWebP), status: 415},
		{name: "5000x10 PNG", token: post1, key: k(), parts: form(id, "photo", "wide.png", prooftest.PNG(5000, 10, 1)), status: 400},
		{name: "5000x10 WebP", token: post1, key: k(), parts: form(id, "photo", "wide.webp", prooftest.WebP(5000, 10, color.NRGBA{A: 255})), status: 400},
		{name: "empty file", token: post1, key: k(), parts: form(id, "photo", "empty.jpg", nil), status: 400},
		{name: "corrupt JPEG", token: post1, key: k(), parts: form(id, "photo", "bad.jpg", append([]byte{0xff, 0xd8, 0xff}, text...)), status: 400},
		{name: "33-byte PNG without pixels", token: post1, key: k(), parts: form(id, "photo", "door.png", prooftest.PNGHeaderOnly(10, 10)), status: 422},
		{name: "JPEG without a scan", token: post1, key: k(), parts: form(id, "photo", "door.jpg", prooftest.JPEGWithoutScan(10, 10)), status: 422},
		{name: "PNG with a page appended", token: post1, key: k(), parts: form(id, "signature", "s.png", prooftest.Appended(prooftest.PNG(8, 8, 1), prooftest.Page)), status: 422},
		{name: "other postman", token: post2, key: k(), parts: form(id, "photo", "door.jpg", jpeg), status: 404},
		{name: "supervisor", token: e.login("sup1"), key: k(), parts: form(id, "photo", "door.jpg", jpeg), status: 403},
		{name: "other centre's supervisor", token: e.login("sup2"), key: k(), parts: form(id, "photo", "door.jpg", jpeg), status: 403},
		{name: "admin", token: e.login("admin"), key: k(), parts: form(id, "photo", "door.jpg", jpeg), status: 403},
		{name: "no token", key: k(), parts: form(id, "photo", "door.jpg", jpeg), status: 401},
		{name: "no key", token: post1, parts: form(id, "photo", "door.jpg", jpeg), status: 400},
		{name: "key not a UUID", token: post1, key: "retry-1", parts: form(id, "photo", "door.jpg", jpeg), status: 400},
		{name: "key without dashes", token: post1, key: strings.ReplaceAll(k(), "-", ""), parts: form(id, "photo", "door.jpg", jpeg), status: 400},
		{name: "file before kind", token: post1, key: k(), parts: []part{field("article_id", id), file("door.jpg", jpeg), field("kind", "photo")}, status: 400},
		{name: "no kind", token: post1, key: k(), parts: []part{field("article_id", id)}, status: 400},
		{name: "no file", token: post1, key: k(), parts: []part{field("article_id", id), field("kind", "photo")}, status: 400},
		{name: "no article", token: post1, key: k(), parts: []part{field("kind", "photo"), file("door.jpg", jpeg)}, status: 400},
		{name: "unknown kind", token: post1, key: k(), parts: form(id, "selfie", "door.jpg", jpeg), status: 400},
		{name: "bad check digit", token: post1, key: k(), parts: form(id[:10]+"0IN", "photo", "door.jpg", jpeg), status: 400},
		{name: "unknown article", token: post1, key: k(), parts: form(s10(t, "EE", 14000077), "photo", "door.jpg", jpeg), status: 404},
		{name: "kind twice", token: post1, key: k(), parts: append([]part{field("kind", "photo")}, form(id, "photo", "door.jpg", jpeg)...), status: 400},
		{name: "unknown field", token: post1, key: k(), parts: append(form(id, "photo", "door.jpg", jpeg), field("note", "x")), status: 400},
		{name: "long article id", token: post1, key: k(), parts: form(strings.Repeat("E", 100), "photo", "door.jpg", jpeg), status: 400},
		{name: "JSON body", token: post1, key: k(), body: `{"article_id":"` + id + `"}`, ctype: "application/json", status: 415},
		{name: "no boundary", token: post1, key: k(), body: "--x\r\n", ctype: "multipart/form-data", status: 400},
		{name: "malformed multipart", token: post1, key: k(), body: "--x\r\nno headers end", ctype: "multipart/form-data; boundary=x", status: 400},
		{name: "body over the cap", token: post1, key: k(), body: strings.Repeat("x\r\n", 1<<20) + "--x--\r\n", ctype: "multipart/form-data; boundary=x", status: 413},
	}
	rows, objects := e.count("proofs"), e.objects().stored(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := wantProblem(t, c.send(e), c.status)
			if c.name == "file before kind" && !strings.Contains(p["detail"].(string), "kind field must come before the file") {
				t.Errorf("detail %q does not say kind comes first", p["detail"])
			}
			if c.name == "33-byte PNG without pixels" && p["detail"] != "the photo could not be read as an image" {
				t.Errorf("detail %q does not say the photo could not be read", p["detail"])
			}
			if r, o := e.count("proofs"), e.objects().stored(t); r != rows || o != objects {
				t.Fatalf("refused upload stored something: %d rows (was %d), %d objects (was %d)", r, rows, o, objects)
			}
		})
	}
}

func (c refusedUpload) send(e *env) resp {
	if c.parts != nil || c.body == "" {
		return e.upload(c.token, c.key, c.parts...)
	}
	return e.do("POST", "/api/v1/proofs", c.token, c.body, "Content-Type", c.ctype, "Idempotency-Key", c.key)
}

func testStoreDown(t *testing.T, e *env, post1, id string) {
	var pid string
	if err := e.db.QueryRowForTest(context.Background(), "SELECT id FROM proofs ORDER BY created_at LIMIT 1").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	rows, objects := e.count("proofs"), e.objects().stored(t)
	e.objects().down(t)
	defer e.objects().up()
	r := e.upload(post1, uuid.NewString(), form(id, "photo", "door.jpg", prooftest.JPEG(16, 16, 8))...)
	wantProblem(t, r, 503)
	if r.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	stream := e.do("GET", "/api/v1/proofs/"+pid+"/content?stream=1", post1, nil)
	wantProblem(t, stream, 503)
	if r, o := e.count("proofs"), e.objects().stored(t); r != rows || o != objects {
		t.Fatalf("an upload during the outage stored something: %d rows (was %d), %d objects (was %d)", r, rows, o, objects)
	}
}

// testAfterOutcome: proofs are taken only while the article is out, so a
// proof after its outcome is refused with a reason, and one for an article
// the postman never held is not found.
func testAfterOutcome(t *testing.T, e *env, post1, id string) {
	sup1 := e.login("sup1")
	if r := e.do("POST", "/api/v1/deliveries", post1, outcome(id, e.otpFor(id)), "Idempotency-Key", uuid.NewString()); r.status != 201 {
		t.Fatalf("deliver: %d %s", r.status, r.body)
	}
	rows := e.count("proofs")
	late := wantProblem(t, e.upload(post1, uuid.NewString(), form(id, "signature", "sig.png", prooftest.PNG(50, 20, 9))...), 422)
	if d, _ := late["detail"].(string); !strings.Contains(d, "only while the article is out for delivery") {
		t.Errorf("detail %q does not say why", d)
	}
	if n := e.count("proofs"); n != rows {
		t.Fatalf("a refused proof was stored: %d rows, was %d", n, rows)
	}
	other := s10(t, "EE", 14000013)
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(other)); r.status != 200 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	wantProblem(t, e.upload(post1, uuid.NewString(), form(other, "photo", "door.jpg", prooftest.JPEG(8, 8, 1))...), 404)
}
