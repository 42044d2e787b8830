package label_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"dakiya/internal/label"
	"dakiya/internal/postal"
)

// TestRenderDecodes renders labels and reads the PDF back: one A6 page per
// label, and on each page the bars drawn decode (module by module) to the
// Code 128 of that label's id, with the id, PIN and DIGIPIN in its text.
func TestRenderDecodes(t *testing.T) {
	labels := []label.Label{
		{ID: "EE123456785IN", Service: postal.ServiceSpeedPost, Name: "Asha Rao", Address: "12 MG Road, Bengaluru", PIN: "560034",
			DIGIPIN: "4P3-JK8-52C9", Sender: "Acme Books", CODPaise: 125050, Booked: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC)},
		{ID: "RR287043775IN", Service: postal.ServiceRegistered, Name: "Ravi", Address: "Jaipur", PIN: "302001",
			Sender: "Acme Books", Booked: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)},
	}
	var buf bytes.Buffer
	if err := label.Render(&buf, labels); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if n := len(regexp.MustCompile(`/Type /Page\b`).FindAll(pdf, -1)); n != len(labels) {
		t.Fatalf("%d pages, want %d", n, len(labels))
	}
	box := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindSubmatch(pdf)
	if box == nil || !near(num(t, box[1]), label.PageW/25.4*72) || !near(num(t, box[2]), label.PageH/25.4*72) {
		t.Fatalf("media box %q, want A6", box)
	}
	pages := contentStreams(t, pdf)
	if len(pages) != len(labels) {
		t.Fatalf("%d content streams", len(pages))
	}
	for i, l := range labels {
		want, err := label.Bars(l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := barsOf(t, pages[i]); !slices.Equal(got, trim(want)) || len(got) < 100 {
			t.Errorf("page %d: the bars do not encode %s", i+1, l.ID)
		}
		for _, s := range []string{"(" + l.ID + ")", "(PIN " + l.PIN + ")", "Booked 2026-11-2"} {
			if !strings.Contains(pages[i], s) {
				t.Errorf("page %d lacks %q", i+1, s)
			}
		}
	}
	if !strings.Contains(pages[0], "(COD Rs. 1250.50)") || !strings.Contains(pages[0], "(DIGIPIN 4P3-JK8-52C9)") || strings.Contains(pages[1], "COD") {
		t.Error("COD amount or DIGIPIN not as the labels say")
	}
	if !strings.Contains(pages[1], "Booked 2026-11-26") {
		t.Error("the booking date is not shown in India's time zone")
	}
}

// contentStreams inflates every Flate stream that draws a page.
func contentStreams(t *testing.T, pdf []byte) []string {
	var out []string
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed: fonts' metadata and the like
		}
		b, err := io.ReadAll(zr)
		if err == nil && bytes.Contains(b, []byte(" re f")) {
			out = append(out, string(b))
		}
	}
	return out
}

// barsOf reads the filled rectangles of a page back into modules.
func barsOf(t *testing.T, page string) []bool {
	type rect struct{ x, w float64 }
	var rs []rect
	for _, m := range regexp.MustCompile(`([0-9.]+) ([0-9.-]+) ([0-9.]+) ([0-9.-]+) re f`).FindAllStringSubmatch(page, -1) {
		rs = append(rs, rect{num(t, []byte(m[1])), num(t, []byte(m[3]))})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].x < rs[j].x })
	if len(rs) == 0 {
		t.Fatal("no bars")
	}
	mw := math.Inf(1)
	for _, r := range rs {
		mw = math.Min(mw, r.w)
	}
	var out []bool
	for _, r := range rs {
		start, n := int(math.Round((r.x-rs[0].x)/mw)), int(math.Round(r.w/mw))
		for len(out) < start {
			out = append(out, false)
		}
		for k := 0; k < n; k++ {
			out = append(out, true)
		}
	}
	return out
}

// trim drops the quiet zone around the bars.
func trim(b []bool) []bool {
	i, j := 0, len(b)
	for i < j && !b[i] {
		i++
	}
	for j > i && !b[j-1] {
		j--
	}
	return b[i:j]
}

func num(t *testing.T, b []byte) float64 {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.05 }
