package postal

import (
	"fmt"
	"testing"
)

func TestJSONTextErrors(t *testing.T) {
	for _, c := range []struct {
		doc, want string
	}{
		{`{"a":"plain","b":[1,true,null,{"c":"ok"}],"d":"\u00e9\ud83d\ude00\n\"\\"}`, "[]"},
		{`"é and ✓"`, "[]"},
		{`{"name":"a\u0000b"}`, "[{name " + msgNUL + "}]"},
		{"{\"name\":\"a\x00b\"}", "[{name " + msgNUL + "}]"},
		{"{\"r\":{\"name\":\"a\xffb\"}}", "[{r.name " + msgNotUTF8 + "}]"},
		{`{"list":["ok","\ud800"]}`, "[{list[1] " + msgNotUTF8 + "}]"},
		{`{"list":["\ud800\u0041"]}`, "[{list[0] " + msgNotUTF8 + "}]"},
		{`{"list":[ "x" , "\udc00" ]}`, "[{list[1] " + msgNotUTF8 + "}]"},
		{`{"m":{"k\u0000":1}}`, "[{m has a key that " + msgNUL + "}]"},
		{`"\u0000"`, "[{body " + msgNUL + "}]"},
		{"[{\"a\":\"\xc3\"},{\"a\":\"\xc3\xa9\"}]", "[{[0].a " + msgNotUTF8 + "}]"},
		{`[}`, "[]"}, // not JSON: the scan ends rather than loops
		{`{"a" "b"}`, "[]"},
	} {
		if got := fmt.Sprint(JSONTextErrors([]byte(c.doc))); got != c.want {
			t.Errorf("JSONTextErrors(%q) = %s, want %s", c.doc, got, c.want)
		}
	}
}

func TestTextProblem(t *testing.T) {
	for s, want := range map[string]string{"ok é": "", "a\x00": msgNUL, "a\xff": msgNotUTF8, "": ""} {
		if got := TextProblem(s); got != want {
			t.Errorf("TextProblem(%q) = %q, want %q", s, got, want)
		}
	}
}
