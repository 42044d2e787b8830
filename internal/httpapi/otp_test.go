package httpapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// otpFor reads the latest code sent for article id from the outbox.
func (e *env) otpFor(id string) string {
	e.t.Helper()
	r := e.do("GET", "/api/v1/dev/sms?phone=%2B919845012345", "", nil)
	m := regexp.MustCompile(id + `\b[^"]*? code (\d{6}) `).FindStringSubmatch(string(r.body))
	if m == nil {
		e.t.Fatalf("no code for %s in the outbox: %s", id, r.body)
	}
	return m[1]
}

// dispatchOne books one COD Speed Post article, schedules, builds and
// dispatches it, returning its id.
func dispatchOne(t *testing.T, e *env, sup1 string) string { return dispatchN(t, e, sup1, 1)[0] }

// dispatchN does the same for n articles at n households.
func dispatchN(t *testing.T, e *env, sup1 string, n int) []string {
	t.Helper()
	var ids []string
	var batch []any
	for i := range n {
		id := s10(t, "EE", 14000001+i)
		it := item(id)
		it["recipient"].(map[string]any)["address"] = fmt.Sprintf("No. %d, 5th Cross, Koramangala", i+1)
		ids, batch = append(ids, id), append(batch, it)
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); r.status != 200 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "evening"})
	mid := r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
	if r := e.do("POST", "/api/v1/manifests/"+mid+"/dispatch", sup1, nil); r.status != 200 {
		t.Fatalf("dispatch: %d %s", r.status, r.body)
	}
	return ids
}

func TestOTPAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, post2 := e.login("sup1"), e.login("post1"), e.login("post2")
		id := dispatchOne(t, e, sup1)
		code := e.otpFor(id)
		path := "/api/v1/articles/" + id + "/otp/"
		wrong := "000000"
		if code == wrong {
			wrong = "000001"
		}
		p := wantProblem(t, e.do("POST", path+"verify", post1, map[string]string{"otp": wrong}), 422)
		if p["valid"] != false || p["attempts_left"] != float64(4) {
			t.Fatalf("wrong code: %v", p)
		}
		if r := e.do("POST", path+"verify", post1, map[string]string{"otp": code}); r.status != 200 || strings.TrimSpace(string(r.body)) != `{"valid":true}` {
			t.Fatalf("right code: %d %s", r.status, r.body)
		}
		for name, c := range map[string]struct {
			token string
			body  any
			want  int
		}{
			"other postman":  {post2, map[string]string{"otp": code}, 404},
			"supervisor":     {sup1, map[string]string{"otp": code}, 404},
			"no token":       {"", map[string]string{"otp": code}, 401},
			"five digits":    {post1, map[string]string{"otp": "12345"}, 400},
			"not a string":   {post1, `{"otp":123456}`, 400},
			"unknown field":  {post1, `{"otp":"123456","x":1}`, 400},
			"malformed":      {post1, `{"otp":`, 400},
			"bad article id": {post1, map[string]string{"otp": code}, 400},
		} {
			t.Run(name, func(t *testing.T) {
				p := path
				if name == "bad article id" {
					p = "/api/v1/articles/EE123456789IN/otp/"
				}
				wantProblem(t, e.do("POST", p+"verify", c.token, c.body), c.want)
			})
		}
		for range 4 {
			e.do("POST", path+"verify", post1, map[string]string{"otp": wrong})
		}
		wantProblem(t, e.do("POST", path+"verify", post1, map[string]string{"otp": code}), 423)
		wantProblem(t, e.do("POST", path+"unlock", post1, nil), 403)
		if r := e.do("POST", path+"unlock", sup1, nil); r.status != 204 {
			t.Fatalf("unlock: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("POST", path+"resend", post2, nil), 404)
		e.clock.Advance(time.Minute)
		if r := e.do("POST", path+"resend", post1, nil); r.status != 202 {
			t.Fatalf("resend: %d %s", r.status, r.body)
		}
		fresh := e.otpFor(id)
		if fresh == code {
			t.Fatal("resend sent the same code")
		}
		wantProblem(t, e.do("POST", path+"verify", post1, map[string]string{"otp": code}), 422)
		if r := e.do("POST", path+"verify", post1, map[string]string{"otp": fresh}); r.status != 200 {
			t.Fatalf("new code: %d %s", r.status, r.body)
		}
	})
}
