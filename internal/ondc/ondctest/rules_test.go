package ondctest

import "testing"

// TestRulesAreAllRead: the interpreter reads every rule of the actions the
// adapter serves and sends.
func TestRulesAreAllRead(t *testing.T) {
	rs, err := LoadRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"search", "init", "confirm", "status", "track", "cancel", "update",
		"on_search", "on_init", "on_confirm", "on_status", "on_track", "on_cancel", "on_update"} {
		res := rs.Check(a, map[string]any{})
		if len(res.Unsupported) > 0 {
			t.Errorf("%s: %v", a, res.Unsupported)
		}
		t.Logf("%s: %d rules", a, len(res.Passed)+len(res.Failed))
	}
}

func TestEval(t *testing.T) {
	doc := map[string]any{"a": []any{
		map[string]any{"code": "x", "list": []any{map[string]any{"code": "k", "value": "1"}}},
		map[string]any{"code": "y", "@o/v": "w"},
	}}
	if got := eval(doc, "$.a[?(@.code=='x')].list[*].code"); len(got) != 1 || got[0] != "k" {
		t.Fatalf("filter: %v", got)
	}
	if got := eval(doc, "$.a[*]['@o/v']"); len(got) != 1 || got[0] != "w" {
		t.Fatalf("bracket: %v", got)
	}
	if got := eval(doc, "$.a[?(@.code=='z' || @.code=='y')].code"); len(got) != 1 || got[0] != "y" {
		t.Fatalf("or filter: %v", got)
	}
	r := Rule{"attr": "$.a[*].code", "enumList": []any{"x"}, "_RETURN_": "attr are present && attr all in enumList"}
	if ok, err := r.holds(doc); err != nil || ok {
		t.Fatalf("y is not in [x]: %v %v", ok, err)
	}
	r["enumList"] = []any{"x", "y"}
	if ok, err := r.holds(doc); err != nil || !ok {
		t.Fatalf("x, y in [x, y]: %v %v", ok, err)
	}
	r = Rule{"p": "$.none", "_CONTINUE_": "!(p are present)", "_RETURN_": "p all in q", "q": []any{"x"}}
	if ok, _ := r.holds(doc); !ok {
		t.Fatal("a rule whose _CONTINUE_ holds is skipped")
	}
}

// TestExamplesFollowRules: ONDC's own example payloads pass the rules of
// their actions, which checks this interpreter against ONDC's reading.
func TestExamplesFollowRules(t *testing.T) {
	rs, err := LoadRules()
	if err != nil {
		t.Fatal(err)
	}
	flows, err := Flows()
	if err != nil || len(flows) != 6 {
		t.Fatalf("flows %v %v", flows, err)
	}
	n := 0
	for _, f := range flows {
		steps, err := Steps(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			res := rs.Check(s.API, s.Payload)
			if len(res.Failed)+len(res.Unsupported) > 0 {
				t.Errorf("%s %s: %v %v", f, s.ActionID, res.Failed, res.Unsupported)
			}
			n += len(res.Passed)
		}
	}
	t.Logf("%d rule checks passed on the examples", n)
}
