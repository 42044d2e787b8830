package proof

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// discardTimeout bounds the removal of an object a lost race left unused.
const discardTimeout = 10 * time.Second

// Upload is one proof as the phone sends it.
type Upload struct {
	ArticleID string
	Kind      Kind
	Key       string // the request's Idempotency-Key
	Data      []byte
}

// Upload checks a proof, stores its object and then its row, and returns
// it. Only the postman holding the article may upload, while it is out for
// delivery, and at most MaxPerArticle proofs. The file must read whole,
// with nothing after its image. r is the request's idempotency claim
// (retries are answered before they reach here): its answer, the proof's
// View, commits with the row. The row's own (postman, key) uniqueness
// still settles a race: the loser gets the winner's proof, or
// CodeUnprocessable if the key was used for other bytes, article or kind.
// The object is written before the row, so a row never lacks its object;
// an object whose row was never written is an orphan for the Sweeper, and
// one whose row was refused is deleted.
//
// The file is held in memory (at most its kind's limit, 2 MiB by default)
// rather than streamed to the object store: its hash must be known for a
// replay, and it must read whole, before anything is written, so a refused
// upload never leaves an object behind. A sequential JPEG is walked, not
// decoded; other images' decoded pixels, bounded by MaxSide and
// Options.Decoders, cost far more than the file.
func (s *Service) Upload(ctx context.Context, p postal.Principal, in Upload, r idem.Receipt) (Meta, error) {
	pic, sum, err := s.check(p, &in)
	if err != nil {
		return Meta{}, err
	}
	subj, err := s.held(ctx, p, in.ArticleID)
	if err != nil {
		return Meta{}, err
	}
	if err := s.checkImage(ctx, in.Kind, pic, in.Data); err != nil {
		return Meta{}, err
	}
	m := s.newMeta(p, in, subj, pic, sum)
	answer, err := r.Complete(m.View())
	if err != nil {
		return Meta{}, err
	}
	if err := s.objects.Put(ctx, m.ObjectKey, in.Data, m.ContentType, objectMeta(m)); err != nil {
		return Meta{}, err
	}
	if err := s.store.InsertProof(ctx, m, MaxPerArticle, answer); err != nil {
		return s.lost(ctx, p, in, m, err)
	}
	return m, nil
}

// check validates an upload without I/O, normalising its ids, and returns
// the picture and the SHA-256 of its bytes.
func (s *Service) check(p postal.Principal, in *Upload) (picture, string, error) {
	if err := s.CheckUploader(p, in.Key); err != nil {
		return picture{}, "", err
	}
	id, err := postal.ParseS10(in.ArticleID)
	if err != nil {
		return picture{}, "", postal.Invalid("invalid article id", postal.FieldError{Field: "article_id", Message: message(err)})
	}
	if _, err := ParseKind(string(in.Kind)); err != nil {
		return picture{}, "", err
	}
	if limit := s.limit(in.Kind); int64(len(in.Data)) > limit {
		return picture{}, "", tooLarge(in.Kind, limit)
	}
	pic, err := inspect(in.Kind, in.Data)
	if err != nil {
		return picture{}, "", err
	}
	in.ArticleID, in.Key = string(id), strings.ToLower(in.Key)
	sum := sha256.Sum256(in.Data)
	return pic, hex.EncodeToString(sum[:]), nil
}

// message is the client-safe message of a classified error.
func message(err error) string {
	var e *postal.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "invalid"
}

// replay finds the proof a key already made: done is true when the key
// was found (or the lookup failed).
func (s *Service) replay(ctx context.Context, p postal.Principal, in Upload, sum string) (Meta, bool, error) {
	m, err := s.store.ProofByKey(ctx, p.UserID, in.Key)
	switch {
	case postal.IsCode(err, postal.CodeNotFound):
		return Meta{}, false, nil
	case err != nil:
		return Meta{}, true, err
	case m.ArticleID != in.ArticleID || m.Kind != in.Kind || m.SHA256 != sum:
		return Meta{}, true, postal.Errorf(postal.CodeUnprocessable,
			"this Idempotency-Key was already used for a different proof; make a new key for a new proof")
	}
	return m, true, nil
}

// held returns the article if p holds it (p is its custodian, the postman
// of the dispatched manifest it is on), it is out for delivery and it has
// room for another proof. To anyone but its custodian it does not exist;
// the custodian is told why a proof is refused, in words the phone shows.
func (s *Service) held(ctx context.Context, p postal.Principal, articleID string) (Subject, error) {
	subj, err := s.store.ProofSubject(ctx, articleID)
	if err != nil {
		return Subject{}, err
	}
	switch {
	case subj.PostmanID == "" || subj.PostmanID != p.UserID:
		return Subject{}, subj.Taken.NotFound(p)
	case subj.Status != article.StatusOutForDelivery:
		return Subject{}, postal.Errorf(postal.CodeUnprocessable,
			"proofs are taken only while the article is out for delivery; it is now %s", strings.ReplaceAll(string(subj.Status), "_", " "))
	case subj.Proofs >= MaxPerArticle:
		return Subject{}, full()
	}
	return subj, nil
}

// full is the refusal of a proof for an article that has all it may have.
func full() error {
	return postal.Errorf(postal.CodeUnprocessable, "this article already has %d proofs: at most %d proofs are kept per article",
		MaxPerArticle, MaxPerArticle)
}

// newMeta names a new proof. Its key is made by the server, dated in the
// centre's time zone, so it groups by the centre's working day.
func (s *Service) newMeta(p postal.Principal, in Upload, subj Subject, pic picture, sum string) Meta {
	at := time.UnixMilli(s.now().UnixMilli()).UTC() // the stored precision, so a replay shows the same time
	id := strings.ToLower(s.newID())
	day := at.In(zone(subj.TimeZone)).Format("2006/01/02")
	return Meta{
		ID: id, ArticleID: subj.ArticleID, DCID: subj.DCID, PostmanID: p.UserID, Kind: in.Kind,
		ObjectKey:   fmt.Sprintf("%s%s/%s/%s/%s.%s", Prefix, subj.DCID, day, subj.ArticleID, id, pic.format.ext),
		ContentType: pic.format.contentType, Size: int64(len(in.Data)), SHA256: sum,
		Width: pic.width, Height: pic.height, IdempotencyKey: in.Key, CreatedAt: at, TimeZone: subj.TimeZone,
	}
}

// objectMeta is what the object itself says about the proof, so the bucket
// can be audited without the database.
func objectMeta(m Meta) map[string]string {
	return map[string]string{"article": m.ArticleID, "kind": string(m.Kind), "postman": m.PostmanID, "proof-id": m.ID}
}

// lost handles a row that could not be written. A conflict means a
// concurrent request with the same key won: this request's object is
// unused and goes, and the winner's proof is the answer. A full article
// (other uploads took the last places), or one that left the uploader's
// hands meanwhile, refuses the proof, and its object goes too. On any
// other failure the row may or may not exist, so the object stays for the
// Sweeper, which deletes it only if no row names it.
func (s *Service) lost(ctx context.Context, p postal.Principal, in Upload, m Meta, err error) (Meta, error) {
	isFull, gone := errors.Is(err, ErrFull), errors.Is(err, ErrNotHeld)
	if !isFull && !gone && !postal.IsCode(err, postal.CodeConflict) {
		return Meta{}, err
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	_ = s.objects.Delete(dctx, m.ObjectKey) // if it fails, the Sweeper removes it
	switch {
	case isFull:
		return Meta{}, full()
	case gone:
		if _, herr := s.held(ctx, p, in.ArticleID); herr != nil {
			return Meta{}, herr // why, as a postman reads it
		}
		return Meta{}, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	if prev, done, rerr := s.replay(ctx, p, in, m.SHA256); done {
		return prev, rerr
	}
	return Meta{}, err
}
