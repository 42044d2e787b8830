// Package prooftest makes small, real images for proof tests: JPEG and
// PNG through the standard library, lossless WebP of any size through a
// minimal VP8L writer (checked with libwebp's dwebp as well as Go's
// decoder), and one lossy WebP made by cwebp.
package prooftest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
)

// JPEG returns a w×h JPEG with a gradient, so its bytes depend on seed.
func JPEG(w, h int, seed uint8) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h, seed), &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// NoisyJPEG returns a w×h JPEG of random pixels (fixed seed) at quality
// 80: every coefficient coded, the worst case for a check of the scan;
// 544×408 is about 150 KB, the size a phone sends after downscaling.
func NoisyJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(5, 5))
	for i := range img.Pix {
		img.Pix[i] = byte(r.IntN(256))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG returns a w×h PNG with a gradient, so its bytes depend on seed.
func PNG(w, h int, seed uint8) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, picture(w, h, seed)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func picture(w, h int, seed uint8) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x) + seed, uint8(y), seed, 255})
		}
	}
	return img
}

// WebP returns a w×h lossless WebP (VP8L) filled with c: no transforms, no
// colour cache, and a one-symbol prefix code per channel, so each pixel
// costs zero bits. Width and height must be from 1 to 16384.
func WebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(1, 1) // alpha is used
	bw.write(0, 3) // version 0
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	// Green (with lengths), red, blue, alpha: one 8-bit symbol each;
	// distance: one 1-bit symbol.
	for _, v := range []uint8{c.G, c.R, c.B, c.A} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint32(v), 8)
	}
	bw.write(1, 1)
	bw.write(0, 1)
	bw.write(0, 1) // of 1 bit
	bw.write(0, 1)
	return riff(bw.bytes())
}

// riff wraps a VP8L bitstream in its WebP container.
func riff(data []byte) []byte {
	chunk := data
	if len(chunk)%2 == 1 {
		chunk = append(chunk, 0) // chunks are padded to even length
	}
	out := make([]byte, 0, 20+len(chunk))
	out = append(out, "RIFF"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(chunk)))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
	return append(out, chunk...)
}

// bitWriter packs bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (b *bitWriter) write(v uint32, n uint) {
	b.acc |= uint64(v&(1<<n-1)) << b.nbits
	b.nbits += n
	for b.nbits >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.nbits -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.nbits > 0 {
		return append(b.buf, byte(b.acc))
	}
	return b.buf
}

// LossyWebP is a 4×3 lossy (VP8) WebP, made by libwebp 1.2.4 with
// `cwebp -q 60` from PNG(4, 3, 7).
var LossyWebP = []byte{
	0x52, 0x49, 0x46, 0x46, 0x28, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x20, 0x1c, 0x00, 0x00, 0x00, 0x50, 0x01, 0x00, 0x9d,
	0x01, 0x2a, 0x04, 0x00, 0x03, 0x00, 0x02, 0x80, 0x42, 0x25, 0x9c, 0x00,
	0x04, 0x33, 0x80, 0x00, 0xfe, 0xf9, 0x7d, 0x8b, 0xbc, 0x70, 0x00, 0x00,
}

// PNGHeaderOnly is a PNG of w×h that ends after its IHDR chunk: 33 bytes
// whose header reads, with no pixel data and no IEND.
func PNGHeaderOnly(w, h int) []byte { return PNG(w, h, 1)[:33] }

// JPEGWithoutScan is a w×h JFIF JPEG (as cameras and browsers make them)
// with every segment up to its first scan (SOS) and then EOI: its header
// reads, yet it has no pixels.
func JPEGWithoutScan(w, h int) []byte {
	b := JPEG(w, h, 1)
	i := 2 // after SOI
	for i+4 <= len(b) && b[i] == 0xff && b[i+1] != 0xda {
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	out := append([]byte{0xff, 0xd8}, jfif...)
	out = append(out, b[2:i]...)
	return append(out, 0xff, 0xd9)
}

// jfif is an APP0 JFIF segment: version 1.1, no density, no thumbnail.
var jfif = []byte{0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}

// Truncated is data without its last n bytes.
func Truncated(data []byte, n int) []byte { return data[: len(data)-n : len(data)-n] }

// Appended is data followed by extra, as a file with a page hidden after
// its image.
func Appended(data []byte, extra string) []byte {
	return append(data[:len(data):len(data)], extra...)
}

// Page is an HTML page to hide after an image.
const Page = "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
