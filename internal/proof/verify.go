package proof

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// verified reads a stored proof and, at its end, checks that the bytes are
// the ones recorded: evidence that changed in the bucket must not pass
// unnoticed.
type verified struct {
	body io.ReadCloser
	sum  hash.Hash
	n    int64
	want Meta
}

func newVerified(body io.ReadCloser, m Meta) *verified {
	return &verified{body: body, sum: sha256.New(), want: m}
}

// Read implements io.Reader.
func (v *verified) Read(p []byte) (int, error) {
	n, err := v.body.Read(p)
	v.sum.Write(p[:n])
	v.n += int64(n)
	if errors.Is(err, io.EOF) {
		if got := hex.EncodeToString(v.sum.Sum(nil)); got != v.want.SHA256 || v.n != v.want.Size {
			return n, fmt.Errorf("proof: %s: stored object is %d bytes with sha256 %s, recorded %d bytes with %s",
				v.want.ID, v.n, got, v.want.Size, v.want.SHA256)
		}
	}
	return n, err
}

// Close implements io.Closer.
func (v *verified) Close() error { return v.body.Close() }
