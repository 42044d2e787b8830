package proof

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"dakiya/internal/proof/prooftest"
)

// testdata holds JPEGs libjpeg-turbo 2.1.5 made from one 61×37 picture
// (jpegtran and cjpeg): restart intervals of 1 and 2 MCUs and of 3 rows
// of blocks, grayscale, three non-interleaved scans, 2×1 and 1×1
// sampling, optimised Huffman tables, and one progressive.
func testdataJPEGs(t *testing.T) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob("testdata/*.jpg")
	if err != nil || len(names) < 7 {
		t.Fatalf("testdata: %v, %v", names, err)
	}
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(n)] = b
	}
	return out
}

// validJPEGs are sequential JPEGs image/jpeg decodes: Go's encoder's
// (4:2:0, and grayscale), noisy and flat, of sizes that end MCUs partly
// outside the image, and libjpeg-turbo's.
func validJPEGs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, wh := range [][2]int{{1, 1}, {8, 8}, {17, 9}, {32, 24}, {61, 37}, {300, 200}} {
		out[string(rune('a'+len(out)))+" go gradient"] = prooftest.JPEG(wh[0], wh[1], uint8(wh[0]))
	}
	r := rand.New(rand.NewPCG(1, 2))
	noisy := image.NewRGBA(image.Rect(0, 0, 97, 53))
	for i := range noisy.Pix {
		noisy.Pix[i] = byte(r.IntN(256))
	}
	gray := image.NewGray(image.Rect(0, 0, 33, 19))
	for i := range gray.Pix {
		gray.Pix[i] = byte(r.IntN(256))
	}
	for name, img := range map[string]image.Image{"go noisy": noisy, "go gray": gray} {
		for _, q := range []int{1, 50, 100} {
			var b bytes.Buffer
			if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			out[name+" q"+string(rune('0'+q/10))] = b.Bytes()
		}
	}
	for name, b := range testdataJPEGs(t) {
		if name != "progressive.jpg" && name != noninterleaved {
			out[name] = b
		}
	}
	return out
}

// noninterleaved is a valid JPEG that image/jpeg refuses: in a scan of
// one subsampled component it counts the blocks by the image's width,
// not the component's, and so runs out of data. The walk counts blocks
// as the decoder does, and refuses it too.
const noninterleaved = "noninterleaved.jpg"

// TestVerifyJPEGAcceptsValidImages: every sequential JPEG image/jpeg
// decodes passes the walk, which ends where jpegEnd does; a progressive
// one is left to the decoder.
func TestVerifyJPEGAcceptsValidImages(t *testing.T) {
	for name, b := range validJPEGs(t) {
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("%s: the decoder refuses it: %v", name, err)
		}
		end, err := verifyJPEG(b)
		if err != nil || end != len(b) {
			t.Errorf("%s: %d of %d bytes, %v", name, end, len(b), err)
		}
	}
	files := testdataJPEGs(t)
	if _, err := jpeg.Decode(bytes.NewReader(files[noninterleaved])); err == nil {
		t.Errorf("%s: the decoder accepts it now; move it to the valid ones", noninterleaved)
	}
	if _, err := verifyJPEG(files[noninterleaved]); err == nil {
		t.Errorf("%s: the decoder refuses it, the walk accepts it", noninterleaved)
	}
	prog := files["progressive.jpg"]
	if _, err := verifyJPEG(prog); !errors.Is(err, errNeedsDecode) {
		t.Errorf("progressive: %v, want errNeedsDecode", err)
	}
}

// TestVerifyJPEGRefusesWhatTheDecoderRefuses damages valid JPEGs at
// random (flipped bits, overwritten bytes, cuts, cuts with EOI put back,
// bytes inserted) and checks that whatever the full decode refused (with
// jpegEnd's end check, as checkImage made them before the walk), the walk
// (with the same end check) refuses too. It also counts the damaged files
// the old checks accepted and the walk refuses: the walk is stricter
// about restart markers (the decoder resynchronises) and EOB runs in a
// sequential scan (invalid there; the decoder tolerates them).
func TestVerifyJPEGRefusesWhatTheDecoderRefuses(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	var refused, stricter, total int
	for name, orig := range validJPEGs(t) {
		for range 400 {
			b := append([]byte(nil), orig...)
			switch r.IntN(5) {
			case 0:
				i := 2 + r.IntN(len(b)-2)
				b[i] ^= 1 << r.IntN(8)
			case 1:
				i := 2 + r.IntN(len(b)-2)
				b[i] = []byte{0x00, 0xff, 0xd0, 0xd9, 0xda, byte(r.IntN(256))}[r.IntN(6)]
			case 2:
				b = b[:2+r.IntN(len(b)-2)]
			case 3:
				b = append(b[:2+r.IntN(len(b)-4):len(b)], 0xff, 0xd9)
			case 4:
				i := 2 + r.IntN(len(b)-2)
				b = append(b[:i:i], append([]byte{byte(r.IntN(256))}, b[i:]...)...)
			}
			total++
			_, decErr := jpeg.Decode(bytes.NewReader(b))
			if end, err := jpegEnd(b); decErr == nil && (err != nil || end != len(b)) {
				decErr = errors.New("data after the end, or no end")
			}
			end, err := verifyJPEG(b)
			ok := err == nil && end == len(b)
			if errors.Is(err, errNeedsDecode) {
				ok = decErr == nil // a damaged SOF2 marker: checkImage decodes it
			}
			switch {
			case decErr != nil && ok:
				t.Errorf("%s: the old checks refuse (%v), the walk accepts:\n% x", name, decErr, b)
			case decErr != nil:
				refused++
			case !ok:
				stricter++
				if os.Getenv("DAKIYA_JPEG_WHY") != "" {
					t.Logf("%s: only the walk refuses: %d of %d bytes, %v", name, end, len(b), err)
				}
			}
		}
	}
	t.Logf("%d damaged files: %d refused by both the old checks and the walk, %d only by the walk", total, refused, stricter)
}

// TestVerifyJPEGRefuses names what the walk must catch, each a file
// jpegEnd accepts whole (so the end check alone would let it through).
func TestVerifyJPEGRefuses(t *testing.T) {
	good := prooftest.JPEG(64, 48, 9)
	sos := bytes.Index(good, []byte{0xff, 0xda})
	scan := sos + 2 + (int(good[sos+2])<<8 | int(good[sos+3]))
	eoi := len(good) - 2
	cut := func(n int) []byte { // the scan's first n bytes, then EOI
		return append(append([]byte(nil), good[:scan+n]...), 0xff, 0xd9)
	}
	ones := append([]byte(nil), good...) // 0xff stuffed: a run of one bits, never a valid code
	copy(ones[scan+20:], bytes.Repeat([]byte{0xff, 0x00}, 4))
	restart := testdataJPEGs(t)["restart.jpg"]
	rst := bytes.Index(restart, []byte{0xff, 0xd1})
	swapped := append([]byte(nil), restart...)
	swapped[rst+1] = 0xd2 // RST2 where RST1 belongs
	dropped := append(append([]byte(nil), restart[:rst]...), restart[rst+2:]...)
	for name, b := range map[string][]byte{
		"entropy data cut after 1 byte":     cut(1),
		"entropy data cut halfway":          cut((eoi - scan) / 2),
		"entropy data cut 2 bytes short":    cut(eoi - scan - 2),
		"a run of one bits in the scan":     ones,
		"restart markers out of order":      swapped,
		"a restart marker missing":          dropped,
		"TEM marker before EOI":             append(append([]byte(nil), good[:eoi]...), 0xff, 0x01, 0xff, 0xd9),
		"DNL segment (not supported)":       append(append([]byte(nil), good[:eoi]...), 0xff, 0xdc, 0, 4, 0, 48, 0xff, 0xd9),
		"a second frame header":             append(append([]byte(nil), good[:sos]...), append(sofOf(t, good), good[sos:]...)...),
		"Huffman table with too many codes": withDHT(good, sos),
	} {
		if _, err := jpeg.Decode(bytes.NewReader(b)); err == nil && name != "Huffman table with too many codes" && name != "restart markers out of order" {
			t.Errorf("%s: the decoder accepts it; the case proves nothing", name)
		}
		if end, err := jpegEnd(b); err != nil || end != len(b) {
			t.Errorf("%s: jpegEnd %d of %d, %v; want the whole file", name, end, len(b), err)
		}
		if _, err := verifyJPEG(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// sofOf returns the frame header segment of b.
func sofOf(t *testing.T, b []byte) []byte {
	t.Helper()
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	return append([]byte(nil), b[i:i+2+(int(b[i+2])<<8|int(b[i+3]))]...)
}

// withDHT puts, before the scan at sos, a DC table 0 claiming three codes
// of one bit.
func withDHT(b []byte, sos int) []byte {
	dht := []byte{0xff, 0xc4, 0, 2 + 17 + 3, 0x00, 3}
	dht = append(dht, make([]byte, 15)...)
	dht = append(dht, 0, 1, 2)
	return append(append(append([]byte(nil), b[:sos]...), dht...), b[sos:]...)
}

// TestVerifyJPEGMemoryIsItsTables: the walk allocates nothing per pixel
// (a decode of this image holds a 1 MiB buffer).
func TestVerifyJPEGMemoryIsItsTables(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 1024, 1024))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 10}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := verifyJPEG(data); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("the walk allocated %d bytes", n)
	}
}

// BenchmarkJPEGCheck compares the walk with the full decode it replaces
// on a 544×408 noisy photo of about 150 KB (the API benchmark's).
func BenchmarkJPEGCheck(b *testing.B) {
	data := prooftest.NoisyJPEG(544, 408)
	b.Run("walk", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := verifyJPEG(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
