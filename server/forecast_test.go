package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runForecast(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"dakiya", "forecast"}, args...), func(string) string { return "" },
		strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// seasonalCSV is 300 days of a weekly series with noise and a few
// missing days, with a header.
func seasonalCSV() string {
	rng := rand.New(rand.NewPCG(11, 12))
	week := []float64{1.3, 1.1, 1, 1, 0.95, 0.9, 0.5}
	var b strings.Builder
	b.WriteString("date,count\n")
	day := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	for i := range 300 {
		if i%37 == 5 {
			continue
		}
		v := (150 + 0.2*float64(i)) * week[i%7] * math.Exp(0.08*rng.NormFloat64())
		fmt.Fprintf(&b, "%s,%.0f\n", day.AddDate(0, 0, i).Format(time.DateOnly), v)
	}
	return b.String()
}

func TestForecastCommand(t *testing.T) {
	out, err := runForecast(t, "-horizon", "14", "-folds", "8", writeFile(t, "s.csv", seasonalCSV()))
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 9 {
		t.Fatalf("want 8 fold lines and a summary, got %d:\n%s", len(lines), out)
	}
	if lines[0]["origin"] != "2025-09-06" {
		t.Errorf("first origin %v, want 2025-09-06 (the day before the last 112 days)", lines[0]["origin"])
	}
	sum := lines[8]
	if sum["naive_mase"] != 1.0 || sum["mase"].(float64) >= 1 || sum["smape"].(float64) <= 0 {
		t.Errorf("summary %v: want mase < 1 and naive_mase 1", sum)
	}
	t.Logf("summary: %v", sum)
}

func TestForecastCommandBadInput(t *testing.T) {
	good := writeFile(t, "good.csv", seasonalCSV())
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "give one CSV file"},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.csv")}, "no such file"},
		{"bad date", []string{writeFile(t, "a.csv", "date,count\n2025-01-01,3\n2025-13-01,4\n")}, "line 3"},
		{"negative", []string{writeFile(t, "b.csv", "2025-01-01,-3\n")}, "line 1"},
		{"no comma", []string{writeFile(t, "c.csv", "2025-01-01 3\n")}, "line 1: want date,count"},
		{"duplicate", []string{writeFile(t, "d.csv", "2025-01-01,3\n2025-01-01,4\n")}, "line 2: 2025-01-01 appears twice"},
		{"empty", []string{writeFile(t, "e.csv", "date,count\n")}, "no date,count lines"},
		{"too short", []string{writeFile(t, "f.csv", "2025-01-01,3\n2025-02-01,4\n")}, "cannot hold 8 folds"},
		{"horizon", []string{"-horizon", "0", good}, "-horizon must be"},
		{"festivals", []string{"-festivals", writeFile(t, "g.csv", "date,name\n"), good}, "festivals"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runForecast(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) || out != "" {
				t.Errorf("err %v (want %q), out %q", err, c.want, out)
			}
		})
	}
}

// TestForecastExportDemo: the demo's generated year comes out as a series
// the command reads back, and the model beats seasonal naive on it.
func TestForecastExportDemo(t *testing.T) {
	csv, err := runForecast(t, "-export-demo", "jaipur-city", "-end", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(csv, "\n"); lines != 366 || !strings.HasPrefix(csv, "date,count\n2025-12-01,") {
		t.Fatalf("%d lines, starting %q", lines, csv[:min(len(csv), 40)])
	}
	out, err := runForecast(t, writeFile(t, "demo.csv", csv))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ MASE, NaiveMASE float64 }
	last := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if err := json.Unmarshal([]byte(last), &sum); err != nil || sum.MASE >= 1 {
		t.Errorf("summary %q: %v", last, err)
	}
	if _, err := runForecast(t, "-export-demo", "dc-nowhere"); err == nil {
		t.Error("an unknown centre: want an error")
	}
}
