package proof

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"dakiya/internal/postal"
)

// DefaultDecoders is how many images are decoded at once when Options
// does not say. A decode of MaxSide² pixels holds 64 MiB as RGBA, 128 MiB
// for a 16-bit PNG and about 225 MiB for a progressive JPEG (its
// coefficients), so this, not the number of uploads, bounds the memory
// proofs take. A phone's photo, scaled for evidence, costs a few MiB.
const DefaultDecoders = 2

// errNoEnd is a file whose structure ends before its image does.
var errNoEnd = errors.New("proof: the image's end is missing")

// checkImage reads the whole of data, which inspect accepted as pic, and
// refuses any byte after the image's end: a header that reads is not yet
// an image, and a page hidden after one is not evidence. A sequential
// JPEG is walked to its end without decoding pixels (verifyJPEG: every
// segment, Huffman code and block); any other image is decoded whole. At
// most cap(s.decoding) decodes run at once; the others wait, or give up
// with ctx as unavailable (the phone retries).
func (s *Service) checkImage(ctx context.Context, k Kind, pic picture, data []byte) error {
	end, err := pic.format.end(data)
	if err != nil {
		return unreadable(k, err)
	}
	if end != len(data) {
		return onFile(postal.Errorf(postal.CodeUnprocessable, "the %s has %d bytes of other data after the end of its image",
			k, len(data)-end), "data after the end of the image")
	}
	switch err := pic.format.verify(data); {
	case err == nil:
		return nil
	case !errors.Is(err, errNeedsDecode):
		return unreadable(k, err)
	}
	select {
	case s.decoding <- struct{}{}:
	case <-ctx.Done():
		e := postal.Wrap(fmt.Errorf("proof: wait to decode: %w", ctx.Err()), postal.CodeUnavailable,
			"the server is busy checking other images; send the proof again in a moment")
		e.RetryAfter = 5 * time.Second
		return e
	}
	defer func() { <-s.decoding }()
	if err := pic.format.decode(data); err != nil {
		return unreadable(k, err)
	}
	return nil
}

// unreadable is the refusal of a file that does not decode.
func unreadable(k Kind, cause error) error {
	return onFile(postal.Wrap(cause, postal.CodeUnprocessable, fmt.Sprintf("the %s could not be read as an image", k)),
		"not a complete, readable image")
}

// onFile names the file field in e.
func onFile(e *postal.Error, why string) *postal.Error {
	e.Fields = []postal.FieldError{{Field: "file", Message: why}}
	return e
}

// pngEnd walks a PNG's chunks to the end of IEND.
func pngEnd(b []byte) (int, error) {
	i := 8 // the signature
	for i+12 <= len(b) {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		next := int64(i) + 12 + n
		if next > int64(len(b)) {
			return 0, errNoEnd
		}
		if string(b[i+4:i+8]) == "IEND" {
			return int(next), nil
		}
		i = int(next)
	}
	return 0, errNoEnd
}

// riffEnd is where a WebP's RIFF container says it ends.
func riffEnd(b []byte) (int, error) {
	if len(b) < 12 {
		return 0, errNoEnd
	}
	n := int64(binary.LittleEndian.Uint32(b[4:])) + 8
	if n%2 == 1 {
		n++ // a RIFF body is padded to an even length
	}
	if n > int64(len(b)) {
		return 0, errNoEnd
	}
	return int(n), nil
}

// JPEG markers that stand alone, without a length.
const (
	jpegTEM  = 0x01
	jpegRST0 = 0xd0
	jpegRST7 = 0xd7
	jpegEOI  = 0xd9
	jpegSOS  = 0xda
)

// nextMarker reads the marker at b[i], after any fill bytes, and returns
// it with the index after it; errNoEnd when the bytes end first or b[i]
// starts no marker.
func nextMarker(b []byte, i int) (byte, int, error) {
	if i >= len(b) || b[i] != 0xff {
		return 0, 0, errNoEnd
	}
	for i < len(b) && b[i] == 0xff { // fill bytes
		i++
	}
	if i >= len(b) {
		return 0, 0, errNoEnd
	}
	return b[i], i + 1, nil
}

// jpegEnd walks a JPEG's segments and entropy-coded scans to the end of
// its EOI marker.
func jpegEnd(b []byte) (int, error) {
	i := 2 // SOI
	for {
		m, next, err := nextMarker(b, i)
		if err != nil {
			return 0, err
		}
		i = next
		switch {
		case m == jpegEOI:
			return i, nil
		case m == jpegTEM || (m >= jpegRST0 && m <= jpegRST7):
			continue
		}
		if i+2 > len(b) {
			return 0, errNoEnd
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return 0, errNoEnd
		}
		i += n
		if m == jpegSOS {
			var ok bool
			if i, ok = scanEnd(b, i); !ok {
				return 0, errNoEnd
			}
		}
	}
}

// scanEnd skips entropy-coded data from i to the next marker that is not
// a stuffed zero or a restart, and returns where that marker starts.
func scanEnd(b []byte, i int) (int, bool) {
	for {
		j := bytes.IndexByte(b[i:], 0xff)
		if j < 0 || i+j+1 >= len(b) {
			return 0, false
		}
		i += j
		if n := b[i+1]; n == 0x00 || (n >= jpegRST0 && n <= jpegRST7) {
			i += 2
			continue
		}
		return i, true
	}
}
