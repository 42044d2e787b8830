package proof

import (
	"context"
	"errors"
	"testing"

	"dakiya/internal/postal"
	"dakiya/internal/proof/prooftest"
)

// TestImageEnds walks crafted structures: the end is found past stuffed
// bytes, restarts, fill bytes and several scans, and a missing end is
// errNoEnd, never a panic.
func TestImageEnds(t *testing.T) {
	seg := func(marker byte, body ...byte) []byte {
		n := len(body) + 2
		return append([]byte{0xff, marker, byte(n >> 8), byte(n)}, body...)
	}
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	soi, eoi := []byte{0xff, 0xd8}, []byte{0xff, 0xd9}
	scan := []byte{0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x78} // stuffed 0xff, RST0, RST7
	progressive := cat(soi, seg(0xe0, 'J', 'F', 'I', 'F', 0), seg(0xc2, 8), seg(0xda, 1), scan,
		seg(0xc4, 0, 1), seg(0xda, 2), scan, []byte{0xff, 0xff}, eoi) // a DHT between scans, fill before EOI
	for name, c := range map[string]struct {
		end  func([]byte) (int, error)
		data []byte
		want int // -1: errNoEnd
	}{
		"jpeg, two scans":          {jpegEnd, progressive, len(progressive)},
		"jpeg, trailing page":      {jpegEnd, append(progressive[:len(progressive):len(progressive)], "<html>"...), len(progressive)},
		"jpeg, no EOI":             {jpegEnd, progressive[:len(progressive)-2], -1},
		"jpeg, cut in a segment":   {jpegEnd, cat(soi, seg(0xe0, 1, 2, 3))[:7], -1},
		"jpeg, segment length < 2": {jpegEnd, cat(soi, []byte{0xff, 0xe0, 0, 1}), -1},
		"jpeg, junk between":       {jpegEnd, cat(soi, []byte{0x00}, eoi), -1},
		"jpeg, scan never ends":    {jpegEnd, cat(soi, seg(0xda, 1), scan), -1},
		"png, IEND":                {pngEnd, cat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", 13), pngChunk("IEND", 0)), 8 + 25 + 12},
		"png, no IEND":             {pngEnd, cat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", 13)), -1},
		"png, huge chunk length":   {pngEnd, cat([]byte("\x89PNG\r\n\x1a\n"), []byte{0xff, 0xff, 0xff, 0xff}, []byte("IDAT"), make([]byte, 8)), -1},
		"riff, odd size padded":    {riffEnd, cat([]byte("RIFF\x05\x00\x00\x00WEBP"), []byte{1, 0}), 14},
		"riff, cut":                {riffEnd, []byte("RIFF\x40\x00\x00\x00WEBP"), -1},
	} {
		got, err := c.end(c.data)
		if c.want < 0 {
			if !errors.Is(err, errNoEnd) {
				t.Errorf("%s: %d, %v; want errNoEnd", name, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %d, %v; want %d", name, got, err, c.want)
		}
	}
}

// pngChunk is a chunk of n zero bytes (its CRC is not checked here).
func pngChunk(typ string, n int) []byte {
	out := []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	out = append(out, typ...)
	return append(out, make([]byte, n+4)...)
}

// TestDecodeQueueTimeoutIsUnavailable: an upload that cannot get a decode
// slot before its deadline is told the server is busy (503, retry), not
// an internal error.
func TestDecodeQueueTimeoutIsUnavailable(t *testing.T) {
	data := prooftest.PNG(8, 8, 1) // decoded whole: a sequential JPEG is only walked
	pic, err := inspect(KindPhoto, data)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{decoding: make(chan struct{}, 1)}
	s.decoding <- struct{}{} // the only slot, taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = s.checkImage(ctx, KindPhoto, pic, data)
	var e *postal.Error
	if !errors.As(err, &e) || e.Code != postal.CodeUnavailable || e.RetryAfter <= 0 {
		t.Fatalf("got %v, want unavailable with a Retry-After", err)
	}
}
