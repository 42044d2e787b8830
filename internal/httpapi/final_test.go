package httpapi

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// finalRunner asks the phone's final (pwa/check.js) about each case.
const finalRunner = `import { readFileSync } from 'node:fs';
import { final } from './check.mjs';
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(JSON.stringify(cases.map((c) => final(c.status, c.type))));
`

// TestPhoneFinalAgreesWithServer: the phone stops retrying exactly the
// refusals the server stores for a key (idem.Final), for every error code
// as the API sends it. 401 is left out: the phone renews its session on a
// 401 and never keeps one in its outbox.
func TestPhoneFinalAgreesWithServer(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	type phoneCase struct {
		Code   postal.Code `json:"code"`
		Status int         `json:"status"`
		Type   string      `json:"type"`
		Want   bool        `json:"want"`
	}
	var cases []phoneCase
	for _, c := range []postal.Code{postal.CodeInvalid, postal.CodeForbidden, postal.CodeNotFound, postal.CodeConflict,
		postal.CodeTooLarge, postal.CodeUnsupported, postal.CodeUnprocessable, postal.CodeLocked, postal.CodeAlreadyDone,
		postal.CodeRateLimited, postal.CodeUnavailable, postal.CodeInternal} {
		cases = append(cases, phoneCase{c, statusOf(c), problemType(c), idem.Final(postal.Errorf(c, "x"))})
	}
	cases = append(cases, phoneCase{"timeout", 408, "", false}, phoneCase{"gateway", 502, "", false})
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "pwa", "check.js"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cases)
	for name, data := range map[string][]byte{"check.mjs": src, "run.mjs": []byte(finalRunner), "cases.json": b} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(node, filepath.Join(dir, "run.mjs"), filepath.Join(dir, "cases.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []bool
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("node said %s (%v)", out, err)
	}
	for i, c := range cases {
		if got[i] != c.Want {
			t.Errorf("%s (%d %s): phone final = %v, server stores it: %v", c.Code, c.Status, c.Type, got[i], c.Want)
		}
	}
	if !cases[8].Want || cases[3].Want || !cases[7].Want {
		t.Fatal("the cases no longer cover already_done (final), conflict (not) and locked (final)")
	}
}
