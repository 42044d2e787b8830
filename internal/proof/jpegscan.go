package proof

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errNeedsDecode marks a file the structural checks leave to the full
// decoder: a progressive JPEG, a WebP.
var errNeedsDecode = errors.New("proof: only a full decode checks this image")

// JPEG markers verifyJPEG reads besides those jpegEnd knows.
const (
	jpegSOF0 = 0xc0
	jpegSOF1 = 0xc1
	jpegSOF2 = 0xc2
	jpegDHT  = 0xc4
	jpegDQT  = 0xdb
	jpegDRI  = 0xdd
	jpegAPP0 = 0xe0
	jpegAPPF = 0xef
	jpegCOM  = 0xfe
)

// jpegFormatError is a JPEG that verifyJPEG refuses.
type jpegFormatError string

func (e jpegFormatError) Error() string { return "proof: invalid JPEG: " + string(e) }

// huffTable is a canonical Huffman table as JPEG defines it (annex C).
type huffTable struct {
	n        int // codes in the table; 0 when undefined
	vals     [256]byte
	lut      [256]uint16 // by the next 8 bits: value<<8 | length of a code of at most 8 bits; 0 when longer
	minCode  [16]int32   // per length: the first code, -1 when none
	maxCode  [16]int32
	valIndex [16]int32
}

// jpegComp is a frame component: its id and sampling factors.
type jpegComp struct{ id, h, v int }

// jpegVerifier walks a sequential (baseline or extended) JPEG without
// decoding pixels: every segment from SOI to EOI and every Huffman code
// and coefficient of every block of every scan, with the checks
// image/jpeg makes on the way (it refuses what the decoder refuses, and
// more: a restart out of order, a malformed Huffman table or an EOB run
// are errors here, where the decoder resynchronises or tolerates them).
// No dequantisation, inverse DCT or pixel buffer: its memory is its
// tables, whatever the image's size.
type jpegVerifier struct {
	b             []byte
	huff          [2][4]huffTable // [DC, AC][table]
	comps         []jpegComp
	width, height int
	baseline      bool
	ri            int // restart interval in MCUs; 0: none
	scans         int
	// the bit reader over entropy-coded data
	pos   int    // next byte of b to read
	acc   uint64 // bits read, not yet used, in the low nbits
	nbits uint
}

// verifyJPEG checks b as described at jpegVerifier and returns where its
// EOI ends. A progressive JPEG returns errNeedsDecode.
func verifyJPEG(b []byte) (int, error) {
	v := jpegVerifier{b: b}
	return v.walk()
}

func (v *jpegVerifier) walk() (int, error) {
	b := v.b
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		return 0, jpegFormatError("missing SOI")
	}
	i := 2
	for {
		m, next, err := nextMarker(b, i)
		if err != nil {
			return 0, err
		}
		i = next
		switch {
		case m == jpegEOI:
			if v.scans == 0 {
				return 0, jpegFormatError("no scan")
			}
			return i, nil
		case m >= jpegRST0 && m <= jpegRST7:
			continue // image/jpeg ignores a stray restart marker too
		}
		if i+2 > len(b) {
			return 0, errNoEnd
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return 0, errNoEnd
		}
		seg := b[i+2 : i+n]
		i += n
		switch {
		case m == jpegSOF0 || m == jpegSOF1:
			err = v.sof(seg, m == jpegSOF0)
		case m == jpegSOF2:
			return 0, errNeedsDecode
		case m == jpegDHT:
			err = v.dht(seg)
		case m == jpegDQT:
			err = dqt(seg)
		case m == jpegDRI:
			if len(seg) != 2 {
				return 0, jpegFormatError("DRI has wrong length")
			}
			v.ri = int(binary.BigEndian.Uint16(seg))
		case m == jpegSOS:
			i, err = v.sos(seg, i)
		case (m >= jpegAPP0 && m <= jpegAPPF) || m == jpegCOM:
		default:
			return 0, jpegFormatError(fmt.Sprintf("marker %#02x not supported", m))
		}
		if err != nil {
			return 0, err
		}
	}
}

// sof reads a frame header, as image/jpeg does.
func (v *jpegVerifier) sof(s []byte, baseline bool) error {
	if v.comps != nil {
		return jpegFormatError("multiple SOF markers")
	}
	if len(s) < 6 || s[0] != 8 {
		return jpegFormatError("SOF: bad length or precision")
	}
	nc := int(s[5])
	if (nc != 1 && nc != 3 && nc != 4) || len(s) != 6+3*nc {
		return jpegFormatError("SOF: bad number of components")
	}
	v.height, v.width = int(binary.BigEndian.Uint16(s[1:])), int(binary.BigEndian.Uint16(s[3:]))
	if v.width < 1 || v.height < 1 || v.width > MaxSide || v.height > MaxSide {
		return jpegFormatError("SOF: bad dimensions")
	}
	v.baseline = baseline
	v.comps = make([]jpegComp, nc)
	for k := range nc {
		c := s[6+3*k:]
		h, vv := int(c[1]>>4), int(c[1]&0x0f)
		if h < 1 || h > 4 || vv < 1 || vv > 4 || h == 3 || vv == 3 || c[2] > 3 {
			return jpegFormatError("SOF: bad sampling factors or table")
		}
		for _, prev := range v.comps[:k] {
			if prev.id == int(c[0]) {
				return jpegFormatError("SOF: repeated component")
			}
		}
		if nc == 1 {
			h, vv = 1, 1 // one component is never interleaved (A.2)
		}
		v.comps[k] = jpegComp{id: int(c[0]), h: h, v: vv}
	}
	// The sampling ratios image/jpeg supports, checked by its
	// DecodeConfig in inspect: the walk relies on them.
	return nil
}

// dht reads Huffman tables.
func (v *jpegVerifier) dht(s []byte) error {
	for len(s) > 0 {
		if len(s) < 17 {
			return jpegFormatError("DHT has wrong length")
		}
		tc, th := s[0]>>4, s[0]&0x0f
		if tc > 1 || th > 3 || (v.baseline && th > 1) {
			return jpegFormatError("DHT: bad table class or id")
		}
		t := &v.huff[tc][th]
		total := 0
		for _, c := range s[1:17] {
			total += int(c)
		}
		if total == 0 || total > 256 || len(s) < 17+total {
			return jpegFormatError("DHT has wrong length")
		}
		t.n = total
		copy(t.vals[:], s[17:17+total])
		clear(t.lut[:])
		code, index := int32(0), int32(0)
		for l := range 16 {
			c := int32(s[1+l])
			if c == 0 {
				t.minCode[l], t.maxCode[l], t.valIndex[l] = -1, -1, -1
			} else {
				t.minCode[l], t.maxCode[l], t.valIndex[l] = code, code+c-1, index
			}
			if code+c > 1<<(l+1) {
				return jpegFormatError("DHT: more codes than their lengths allow")
			}
			for k := range c {
				if l < 8 {
					base := (code + k) << (7 - l)
					for j := range int32(1) << (7 - l) {
						t.lut[base+j] = uint16(t.vals[index+k])<<8 | uint16(l+1)
					}
				}
			}
			code, index = (code+c)<<1, index+c
		}
		s = s[17+total:]
	}
	return nil
}

// dqt checks quantisation tables' layout, as image/jpeg does.
func dqt(s []byte) error {
	for len(s) > 0 {
		if s[0]&0x0f > 3 {
			return jpegFormatError("DQT: bad table id")
		}
		n := 64
		switch s[0] >> 4 {
		case 0:
		case 1:
			n = 128
		default:
			return jpegFormatError("DQT: bad precision")
		}
		if len(s) < 1+n {
			return jpegFormatError("DQT has wrong length")
		}
		s = s[1+n:]
	}
	return nil
}

// sos reads a scan header and its entropy-coded data, which starts at
// b[at], and returns where the next marker starts.
func (v *jpegVerifier) sos(s []byte, at int) (int, error) {
	if v.comps == nil {
		return 0, jpegFormatError("SOS before SOF")
	}
	if len(s) < 4 || len(s) != 4+2*int(s[0]) || int(s[0]) < 1 || int(s[0]) > len(v.comps) {
		return 0, jpegFormatError("SOS has wrong length")
	}
	type scanComp struct {
		comp   jpegComp
		dc, ac *huffTable
	}
	nc := int(s[0])
	scan := make([]scanComp, nc)
	totalHV := 0
	for k := range nc {
		id, tables := int(s[1+2*k]), s[2+2*k]
		ci := -1
		for j, c := range v.comps {
			if c.id == id {
				ci = j
			}
		}
		if ci < 0 {
			return 0, jpegFormatError("SOS: unknown component")
		}
		for _, prev := range scan[:k] {
			if prev.comp.id == id {
				return 0, jpegFormatError("SOS: repeated component")
			}
		}
		td, ta := tables>>4, tables&0x0f
		if td > 3 || ta > 3 || (v.baseline && (td > 1 || ta > 1)) {
			return 0, jpegFormatError("SOS: bad table id")
		}
		dc, ac := &v.huff[0][td], &v.huff[1][ta]
		if dc.n == 0 || ac.n == 0 {
			return 0, jpegFormatError("SOS: Huffman table not defined")
		}
		scan[k] = scanComp{v.comps[ci], dc, ac}
		totalHV += v.comps[ci].h * v.comps[ci].v
	}
	if len(v.comps) > 1 && totalHV > 10 {
		return 0, jpegFormatError("SOS: sampling factors too large")
	}
	// A sequential scan's Ss, Se, Ah and Al are ignored, as image/jpeg
	// ignores them.
	v.scans++
	v.pos, v.acc, v.nbits = at, 0, 0
	// MCUs as image/jpeg counts them, including for non-interleaved
	// scans, which skip the blocks outside the image.
	h0, v0 := v.comps[0].h, v.comps[0].v
	mxx, myy := (v.width+8*h0-1)/(8*h0), (v.height+8*v0-1)/(8*v0)
	mcu, blockCount, rst := 0, 0, byte(jpegRST0)
	for range myy {
		for range mxx {
			for _, sc := range scan {
				for range sc.comp.h * sc.comp.v {
					if nc == 1 {
						q := mxx * sc.comp.h
						bx, by := blockCount%q, blockCount/q
						blockCount++
						if bx*8 >= v.width || by*8 >= v.height {
							continue
						}
					}
					if err := v.block(sc.dc, sc.ac); err != nil {
						return 0, err
					}
				}
			}
			mcu++
			if v.ri > 0 && mcu%v.ri == 0 && mcu < mxx*myy {
				// The bits left in the last byte are padding; the
				// restart marker, in order, must come next.
				v.unread()
				if v.pos+2 > len(v.b) || v.b[v.pos] != 0xff || v.b[v.pos+1] != rst {
					return 0, jpegFormatError("restart marker missing or out of order")
				}
				v.pos += 2
				v.acc, v.nbits = 0, 0
				rst = jpegRST0 + (rst-jpegRST0+1)%8
			}
		}
	}
	// What is left before the next marker is padding (image/jpeg skips it).
	v.unread()
	end, ok := scanEnd(v.b, v.pos)
	if !ok {
		return 0, errNoEnd
	}
	return end, nil
}

// block reads one 8×8 block's DC difference and AC coefficients.
func (v *jpegVerifier) block(dc, ac *huffTable) error {
	t, err := v.symbol(dc)
	if err != nil {
		return err
	}
	if t > 16 {
		return jpegFormatError("excessive DC difference")
	}
	if err := v.skip(uint(t)); err != nil {
		return err
	}
	for k := 1; k < 64; k++ {
		var rs byte
		if v.nbits < 32 {
			v.refill()
		}
		if e := ac.lut[uint32(v.acc>>(v.nbits-8))&0xff]; v.nbits >= 32 && e != 0 {
			// The common case inline: a short code and its magnitude
			// bits, all already held.
			v.nbits -= uint(e & 0xff)
			rs = byte(e >> 8)
		} else {
			var err error
			if rs, err = v.symbol(ac); err != nil {
				return err
			}
		}
		run, size := int(rs>>4), uint(rs&0x0f)
		if size == 0 {
			if run == 0 {
				return nil // end of block
			}
			if run != 15 {
				return jpegFormatError("end-of-band run in a sequential scan")
			}
			k += 15 // sixteen zeros
			continue
		}
		k += run
		if k > 63 {
			return nil // image/jpeg stops the block here
		}
		if size <= v.nbits {
			v.nbits -= size // the magnitude bits, already held
		} else if err := v.skip(size); err != nil {
			return err
		}
	}
	return nil
}

// errScanEnds is entropy-coded data that ends (at a marker or at the end
// of the file) while a code or coefficient still wants bits.
var errScanEnds = jpegFormatError("entropy-coded data ends inside a block")

// refill reads whole bytes, unstuffing 0xff 0x00, until more than 56 bits
// are held or a marker (or the file's end) comes: it never reads past a
// marker, so only the data's own bits are ever used.
func (v *jpegVerifier) refill() {
	for v.nbits <= 56 && v.pos < len(v.b) {
		c := v.b[v.pos]
		if c == 0xff {
			if v.pos+1 >= len(v.b) || v.b[v.pos+1] != 0x00 {
				return
			}
			v.pos++
		}
		v.pos++
		v.acc = v.acc<<8 | uint64(c)
		v.nbits += 8
	}
}

// unread gives back the whole bytes refill read ahead, so pos is just
// past the byte holding the last bit used. A 0xff data byte is always
// stuffed (refill reads no other), so 0xff 0x00 before pos is one byte.
func (v *jpegVerifier) unread() {
	for ; v.nbits >= 8; v.nbits -= 8 {
		v.pos--
		if v.pos >= 1 && v.b[v.pos] == 0x00 && v.b[v.pos-1] == 0xff {
			v.pos--
		}
	}
	v.acc &= 1<<v.nbits - 1
}

// skip consumes n bits (a coefficient's magnitude).
func (v *jpegVerifier) skip(n uint) error {
	if v.nbits < n {
		v.refill()
		if v.nbits < n {
			return errScanEnds
		}
	}
	v.nbits -= n
	return nil
}

// symbol decodes one Huffman code of t: codes of up to 8 bits by table,
// longer ones by the canonical code ranges (F.2.2.3), from the next 16
// bits, or from fewer when a marker comes sooner.
func (v *jpegVerifier) symbol(t *huffTable) (byte, error) {
	if v.nbits < 16 {
		v.refill()
	}
	if v.nbits >= 16 {
		peek := uint32(v.acc>>(v.nbits-16)) & 0xffff
		if e := t.lut[peek>>8]; e != 0 {
			v.nbits -= uint(e & 0xff)
			return byte(e >> 8), nil
		}
		for l := 8; l < 16; l++ {
			if code := int32(peek >> (15 - l)); t.maxCode[l] >= 0 && code <= t.maxCode[l] && code >= t.minCode[l] {
				v.nbits -= uint(l + 1)
				return t.vals[t.valIndex[l]+code-t.minCode[l]], nil
			}
		}
		return 0, jpegFormatError("bad Huffman code")
	}
	for l := range 16 { // fewer than 16 bits before a marker
		if uint(l+1) > v.nbits {
			return 0, errScanEnds
		}
		code := int32(v.acc>>(v.nbits-uint(l+1))) & (1<<(l+1) - 1)
		if t.maxCode[l] >= 0 && code <= t.maxCode[l] && code >= t.minCode[l] {
			v.nbits -= uint(l + 1)
			return t.vals[t.valIndex[l]+code-t.minCode[l]], nil
		}
	}
	return 0, jpegFormatError("bad Huffman code")
}
