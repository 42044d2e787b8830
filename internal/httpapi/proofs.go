package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/idem"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
)

const (
	// proofFormSlack is what the form adds to the file: boundaries, part
	// headers and the two short fields.
	proofFormSlack = 64 << 10
	// proofFieldMax bounds article_id and kind.
	proofFieldMax = 64
)

// uploadProof takes one proof, streamed from a multipart form whose kind
// comes before its file, so the kind's limit applies while reading. It is
// idempotent by its key; as a form's boundary changes between a phone's
// retries, the request is fingerprinted by what it carries (article, kind
// and the file's SHA-256), not by its bytes.
func (a *api) uploadProof(c echo.Context) error {
	p := principal(c)
	key := c.Request().Header.Get("Idempotency-Key")
	if err := a.proofs.CheckUploader(p, key); err != nil {
		return err
	}
	in, err := a.readProofForm(c)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(in.Data)
	fingerprint := []byte(strings.ToUpper(in.ArticleID) + "\n" + string(in.Kind) + "\n" + hex.EncodeToString(sum[:]))
	return a.idempotent(c, http.StatusCreated, fingerprint, func(ctx context.Context, r idem.Receipt) (any, error) {
		in.Key = r.Key
		m, err := a.proofs.Upload(ctx, p, in, r)
		if err != nil {
			return nil, err
		}
		return m.View(), nil
	})
}

// readProofForm reads the form part by part, holding at most the kind's
// limit (plus one byte) of the file and never parsing the whole form.
func (a *api) readProofForm(c echo.Context) (proof.Upload, error) {
	lim := a.proofs.Limits()
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, max(lim.Photo, lim.Signature)+proofFormSlack)
	mr, err := req.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		return proof.Upload{}, postal.Errorf(postal.CodeUnsupported, "send the proof as multipart/form-data")
	}
	if err != nil {
		return proof.Upload{}, postal.Wrap(err, postal.CodeInvalid, "malformed multipart/form-data: no boundary")
	}
	var in proof.Upload
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return in, missingProofFields(seen)
		}
		if err != nil {
			return proof.Upload{}, formError(err)
		}
		// NextPart skips what a part leaves unread; a refused part is not
		// drained here.
		if err := a.readProofPart(part, &in, seen); err != nil {
			return proof.Upload{}, err
		}
	}
}

// readProofPart reads one part into in.
func (a *api) readProofPart(part *multipart.Part, in *proof.Upload, seen map[string]bool) error {
	name := part.FormName()
	if seen[name] {
		return postal.Invalid("field "+strconv.Quote(name)+" is sent twice", postal.FieldError{Field: name, Message: "sent twice"})
	}
	seen[name] = true
	switch name {
	case "article_id":
		v, err := proofField(part, name)
		in.ArticleID = v
		return err
	case "kind":
		v, err := proofField(part, name)
		if err != nil {
			return err
		}
		in.Kind, err = proof.ParseKind(v)
		return err
	case "file":
		if in.Kind == "" {
			return postal.Invalid("the kind field must come before the file, so its size limit is known while reading",
				postal.FieldError{Field: "kind", Message: "must come before file"})
		}
		data, err := a.proofs.Read(in.Kind, part)
		in.Data = data
		return formError(err)
	}
	return postal.Invalid("unknown field "+strconv.Quote(name), postal.FieldError{Field: name,
		Message: "the form takes article_id, kind and file"})
}

// proofField reads a short text field.
func proofField(part *multipart.Part, name string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, proofFieldMax+1))
	if err != nil {
		return "", formError(err)
	}
	if len(b) > proofFieldMax {
		return "", postal.Invalid("field "+strconv.Quote(name)+" is too long", postal.FieldError{Field: name, Message: "too long"})
	}
	v, err := formText(name, b)
	return strings.TrimSpace(v), err
}

func missingProofFields(seen map[string]bool) error {
	var missing []postal.FieldError
	for _, f := range []string{"article_id", "kind", "file"} {
		if !seen[f] {
			missing = append(missing, postal.FieldError{Field: f, Message: "required"})
		}
	}
	if len(missing) > 0 {
		return postal.Invalid("the form needs article_id, kind and file", missing...)
	}
	return nil
}

// formError classifies a failure to read the form: a body over the
// request's cap is too large, anything else is a malformed form. Errors
// already classified pass through.
func formError(err error) error {
	var tooBig *http.MaxBytesError
	var pe *postal.Error
	switch {
	case err == nil || errors.As(err, &pe):
		return err
	case errors.As(err, &tooBig):
		return postal.Errorf(postal.CodeTooLarge, "the request is over the %d-byte limit", tooBig.Limit)
	}
	return postal.Wrap(err, postal.CodeInvalid, "malformed multipart/form-data body")
}

// getProof returns a proof's metadata, the view recorded first.
func (a *api) getProof(c echo.Context) error {
	m, err := a.proofs.Open(c.Request().Context(), principal(c), c.Param("id"), proof.SeenMetadata)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m.View())
}

// proofContent redirects to a short-lived object-store link, or streams
// the bytes through the API when asked or configured to; the view is
// recorded before either.
func (a *api) proofContent(c echo.Context) error {
	stream, err := a.streamProof(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := a.proofs.Open(ctx, principal(c), c.Param("id"), proof.SeenContent)
	if err != nil {
		return err
	}
	if !stream {
		u, err := a.proofs.Link(ctx, m)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusFound, u.String())
	}
	return a.streamProofBody(c, m)
}

// proofViews lists who viewed a proof, and when.
func (a *api) proofViews(c echo.Context) error {
	page, err := a.proofs.Views(c.Request().Context(), principal(c), c.Param("id"), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// streamProof reads ?stream=, defaulting to the service's setting.
func (a *api) streamProof(c echo.Context) (bool, error) {
	raw := c.QueryParam("stream")
	if raw == "" {
		return a.proofs.Streams(), nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return false, postal.Invalid("stream must be 1 or 0", postal.FieldError{Field: "stream", Message: "1 or 0"})
	}
	return v, nil
}

// streamProofBody sends the stored bytes. They are immutable, so their
// SHA-256 is a strong ETag and a private cache may keep them briefly.
func (a *api) streamProofBody(c echo.Context, m proof.Meta) error {
	h := c.Response().Header()
	etag := `"` + m.SHA256 + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	if matches(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body, err := a.proofs.Body(c.Request().Context(), m)
	if err != nil {
		return err
	}
	defer body.Close()
	h.Set(echo.HeaderContentType, m.ContentType)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(m.Size, 10))
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.Copy(c.Response(), body); err != nil {
		// The status is sent; all that is left is to say so in the log.
		logger(c).Error("proof content cut short", "proof", m.ID, "error", err.Error())
	}
	return nil
}
