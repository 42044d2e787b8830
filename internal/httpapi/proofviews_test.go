package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"
)

// testViews: every view of a proof, metadata or content, by whoever may
// see it, is recorded before the answer; admins and the centre's
// supervisors read the record; a view that cannot be recorded is refused.
func testViews(t *testing.T, e *env, pid string, photo []byte) {
	sup1, post1, post2, sup2, admin := e.login("sup1"), e.login("post1"), e.login("post2"), e.login("sup2"), e.login("admin")
	path := "/api/v1/proofs/" + pid
	before := e.count("proof_views")
	e.clock.Advance(time.Minute)
	if r := e.do("GET", path, admin, nil); r.status != 200 {
		t.Fatalf("admin metadata: %d %s", r.status, r.body)
	}
	e.clock.Advance(time.Second)
	if r := e.do("GET", path+"/content?stream=1", admin, nil); r.status != 200 || !bytes.Equal(r.body, photo) {
		t.Fatalf("admin content: %d, %d bytes", r.status, len(r.body))
	}
	if n := e.count("proof_views"); n != before+2 {
		t.Fatalf("%d views recorded, want %d", n, before+2)
	}
	// The same views are in the audit log, newest first.
	if r := e.do("GET", "/api/v1/audit?subject="+pid+"&limit=2", admin, nil); r.status != 200 ||
		!strings.Contains(string(r.body), `"action":"proof.content","subject_type":"proof","subject":"`+pid+`","route":"GET /api/v1/proofs/{id}/content"`) ||
		!strings.Contains(string(r.body), `"action":"proof.metadata"`) {
		t.Fatalf("the audit log of the proof: %d %s", r.status, r.body)
	}
	for _, who := range []string{sup1, admin} {
		r := e.do("GET", path+"/views", who, nil)
		if r.status != 200 {
			t.Fatalf("views: %d %s", r.status, r.body)
		}
		items := r.json(t)["items"].([]any)
		if len(items) != before+2 {
			t.Fatalf("%d views listed, want %d: %s", len(items), before+2, r.body)
		}
		last, prev := items[len(items)-1].(map[string]any), items[len(items)-2].(map[string]any)
		viewer := last["viewer"].(map[string]any)
		if last["what"] != "content" || prev["what"] != "metadata" || viewer["name"] != "Admin" || viewer["role"] != "admin" ||
			last["proof_id"] != pid || !strings.HasSuffix(last["at"].(string), "+05:30") {
			t.Fatalf("the admin's views are not the last two: %s", r.body)
		}
	}
	checkWalk(t, e, path+"/views", sup1, "id", 1, 2) // it pages (TestListsPage has the rest)
	wantProblem(t, e.do("GET", path+"/views", post1, nil), 403)
	for _, who := range []string{post2, sup2} {
		wantProblem(t, e.do("GET", path+"/views", who, nil), 404)
		wantProblem(t, e.do("GET", path, who, nil), 404)
	}
	wantProblem(t, e.do("GET", path+"/views", "", nil), 401)
	if n := e.count("proof_views"); n != before+2 {
		t.Fatalf("listing or refused views recorded something: %d, want %d", n, before+2)
	}
	t.Run("unrecorded", func(t *testing.T) { testUnrecordedView(t, e, path, sup1) })
}

// testUnrecordedView: with the audit table gone, no view is answered.
func testUnrecordedView(t *testing.T, e *env, path, sup1 string) {
	ctx := context.Background()
	rename := func(from, to string) {
		err := e.db.QueryRowForTest(ctx, "ALTER TABLE "+from+" RENAME TO "+to).Scan()
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
	}
	rename("proof_views", "proof_views_away")
	defer rename("proof_views_away", "proof_views")
	wantProblem(t, e.do("GET", path, sup1, nil), 503)
	r := fetch(t, e.url+path+"/content", sup1)
	wantProblem(t, r, 503)
	if r.header.Get("Location") != "" {
		t.Fatalf("an unrecorded view got a link: %s", r.header.Get("Location"))
	}
	wantProblem(t, e.do("GET", path+"/content?stream=1", sup1, nil), 503)
}
