package prooftest_test

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"golang.org/x/image/webp"

	"dakiya/internal/proof/prooftest"
)

// TestWebPDecodes proves the hand-made WebP is real: the WebP decoder
// reads its header and every pixel.
func TestWebPDecodes(t *testing.T) {
	want := color.NRGBA{R: 200, G: 100, B: 50, A: 255}
	for _, size := range [][2]int{{1, 1}, {3, 2}, {64, 48}, {5000, 10}} {
		data := prooftest.WebP(size[0], size[1], want)
		cfg, err := webp.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != size[0] || cfg.Height != size[1] {
			t.Fatalf("%v: config %+v, %v", size, cfg, err)
		}
		img, err := webp.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%v: decode: %v", size, err)
		}
		b := img.Bounds()
		for _, p := range [][2]int{{0, 0}, {b.Dx() - 1, b.Dy() - 1}} {
			if got := color.NRGBAModel.Convert(img.At(p[0], p[1])); got != want {
				t.Fatalf("%v: pixel %v = %v, want %v", size, p, got, want)
			}
		}
	}
}

func TestLossyWebPDecodes(t *testing.T) {
	img, err := webp.Decode(bytes.NewReader(prooftest.LossyWebP))
	if err != nil || img.Bounds().Dx() != 4 || img.Bounds().Dy() != 3 {
		t.Fatalf("decode: %v, %v", img.Bounds(), err)
	}
}

// TestBadImages proves the crafted bad files are what they claim: their
// headers read, so only a full decode can refuse them.
func TestBadImages(t *testing.T) {
	if b := prooftest.PNGHeaderOnly(10, 10); len(b) != 33 {
		t.Fatalf("PNGHeaderOnly is %d bytes", len(b))
	}
	for name, b := range map[string][]byte{
		"png header only":   prooftest.PNGHeaderOnly(10, 10),
		"jpeg without scan": prooftest.JPEGWithoutScan(10, 10),
	} {
		if _, _, err := image.DecodeConfig(bytes.NewReader(b)); err != nil {
			t.Errorf("%s: header: %v", name, err)
		}
		if _, _, err := image.Decode(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: decodes", name)
		}
	}
	if !bytes.HasSuffix(prooftest.JPEGWithoutScan(10, 10), []byte{0xff, 0xd9}) {
		t.Error("JPEGWithoutScan does not end with EOI")
	}
}
