package proof

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/postal"
)

// LinkTTL is how long a presigned link to a proof lives: proofs are
// evidence, and links to them must not travel far.
const LinkTTL = 5 * time.Minute

// Service uploads proofs and serves them.
type Service struct {
	store   Store
	objects Objects
	now     func() time.Time
	newID   func() string
	opts    Options
	// decoding holds a token per image being decoded.
	decoding chan struct{}
}

// New returns a Service. newID makes proof ids, which must be UUIDs.
func New(store Store, objects Objects, now func() time.Time, newID func() string, opts Options) *Service {
	def := DefaultLimits()
	if opts.Limits.Photo <= 0 {
		opts.Limits.Photo = def.Photo
	}
	if opts.Limits.Signature <= 0 {
		opts.Limits.Signature = def.Signature
	}
	if opts.Decoders <= 0 {
		opts.Decoders = DefaultDecoders
	}
	return &Service{store: store, objects: objects, now: now, newID: newID, opts: opts,
		decoding: make(chan struct{}, opts.Decoders)}
}

// Limits returns the largest files accepted.
func (s *Service) Limits() Limits { return s.opts.Limits }

// Streams reports whether content is served through the API by default
// rather than by redirecting to the object store.
func (s *Service) Streams() bool { return s.opts.Stream }

// ParseKind reads a proof kind.
func ParseKind(raw string) (Kind, error) {
	switch k := Kind(raw); k {
	case KindPhoto, KindSignature:
		return k, nil
	}
	return "", postal.Invalid("unknown kind", postal.FieldError{Field: "kind", Message: `must be "photo" or "signature"`})
}

// Read reads a file of kind k from r, refusing it with CodeTooLarge as soon
// as it passes the kind's limit: it never holds more than limit+1 bytes.
// An error from r itself is returned wrapped and unclassified, for the
// caller to judge.
func (s *Service) Read(k Kind, r io.Reader) ([]byte, error) {
	limit := s.limit(k)
	data, err := readAtMost(r, limit+1)
	if err != nil {
		return nil, fmt.Errorf("proof: read file: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(k, limit)
	}
	return data, nil
}

// readAtMost reads r to its end or to n bytes, whichever comes first. Its
// buffer starts small and doubles, but never past n, so a small file costs
// little and a large one no more than n.
func readAtMost(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, 0, min(n, 32<<10))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), n))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func (s *Service) limit(k Kind) int64 {
	if k == KindSignature {
		return s.opts.Limits.Signature
	}
	return s.opts.Limits.Photo
}

func tooLarge(k Kind, limit int64) error {
	return postal.Errorf(postal.CodeTooLarge, "a %s may be at most %d bytes", k, limit)
}

// CheckUploader refuses, before any byte of a file is read, an upload that
// cannot succeed: only a postman uploads proofs, and each upload carries
// its Idempotency-Key, a UUID made by the phone.
func (s *Service) CheckUploader(p postal.Principal, key string) error {
	if p.Role != postal.RolePostman {
		return postal.Errorf(postal.CodeForbidden, "only the postman holding the article uploads its proofs")
	}
	if !isUUID(key) {
		return postal.Invalid("the Idempotency-Key header must be a UUID made by the phone",
			postal.FieldError{Field: "Idempotency-Key", Message: "a UUID such as 0b6f1f9e-3c1d-4f5e-9a7b-2c8d4e6f8a10"})
	}
	return nil
}

// isUUID accepts only the canonical 36-character form.
func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return len(s) == 36 && err == nil
}

// Get returns a proof's metadata to the capturing postman, a supervisor
// of its centre or an admin; to anyone else it does not exist. It records
// nothing: a view shown to a person goes through Open.
func (s *Service) Get(ctx context.Context, p postal.Principal, id string) (Meta, error) {
	if !isUUID(id) {
		return Meta{}, postal.Invalid("invalid proof id", postal.FieldError{Field: "id", Message: "must be a UUID"})
	}
	m, err := s.store.Proof(ctx, strings.ToLower(id))
	if err != nil {
		return Meta{}, err
	}
	if !visible(p, m) {
		return Meta{}, postal.Errorf(postal.CodeNotFound, "proof not found")
	}
	return m, nil
}

func visible(p postal.Principal, m Meta) bool {
	switch p.Role {
	case postal.RolePostman:
		return p.UserID == m.PostmanID
	case postal.RoleSupervisor:
		return p.DCID == m.DCID
	case postal.RoleAdmin:
		return true
	}
	return false
}

// Link returns a URL valid for LinkTTL that fetches a proof from the object
// store. m must come from Get, which checked who may see it.
func (s *Service) Link(ctx context.Context, m Meta) (*url.URL, error) {
	return s.objects.PresignGet(ctx, m.ObjectKey, LinkTTL)
}

// Body opens a proof's bytes. m must come from Get, which checked who may
// see it. Reading the body to its end fails if the bytes are not the ones
// recorded.
func (s *Service) Body(ctx context.Context, m Meta) (io.ReadCloser, error) {
	body, err := s.objects.Open(ctx, m.ObjectKey)
	if err != nil {
		return nil, err
	}
	return newVerified(body, m), nil
}

// Linked returns a proof's metadata for a signed proof-of-delivery link
// (internal/pod): the link, checked by the caller, is the permission, so no
// principal is asked for.
func (s *Service) Linked(ctx context.Context, id string) (Meta, error) {
	if !isUUID(id) {
		return Meta{}, postal.Errorf(postal.CodeNotFound, "proof not found")
	}
	return s.store.Proof(ctx, strings.ToLower(id))
}
