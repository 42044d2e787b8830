package httpapi

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/booking"
	"dakiya/internal/idem"
	"dakiya/internal/label"
	"dakiya/internal/partner"
	"dakiya/internal/pod"
	"dakiya/internal/postal"
)

// createBooking books up to 1000 articles for the calling key's partner,
// sent as JSON or as CSV (the quote then in ?quote_id=). With an
// Idempotency-Key, a retry gets the first answer; without one, each
// request books anew (ids the partner sends are still never booked twice).
func (a *api) createBooking(c echo.Context) error {
	caller, _ := partnerOf(c)
	csv := isCSV(c)
	var body []byte
	var err error
	if csv {
		body, err = readBody(c, batchBody)
	} else {
		body, err = readJSON(c, batchBody)
	}
	if err != nil {
		if !csv && postal.IsCode(err, postal.CodeUnsupported) {
			return postal.Errorf(postal.CodeUnsupported, "send the booking as application/json or text/csv (UTF-8)")
		}
		return err
	}
	req, err := decodeBooking(body, csv, c.QueryParam("quote_id"))
	if err != nil {
		return err
	}
	run := func(ctx context.Context, r idem.Receipt) (any, error) { return a.bookings.Book(ctx, caller, req, r) }
	if c.Request().Header.Get("Idempotency-Key") != "" {
		mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
		fingerprint := bytes.Join([][]byte{[]byte(mt), []byte(c.QueryParam("quote_id")), body}, []byte("\n"))
		return a.idempotent(c, http.StatusCreated, fingerprint, run)
	}
	res, err := run(c.Request().Context(), idem.Receipt{})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// decodeBooking reads a booking's body in its media type.
func decodeBooking(body []byte, csv bool, quoteID string) (booking.Request, error) {
	if !csv {
		if quoteID != "" {
			return booking.Request{}, postal.Invalid("send quote_id in the JSON body", postal.FieldError{Field: "quote_id", Message: "a query parameter only for CSV"})
		}
		return booking.DecodeJSON(body)
	}
	if postal.TextProblem(quoteID) != "" || len(quoteID) > 100 {
		return booking.Request{}, postal.Invalid("invalid quote_id", postal.FieldError{Field: "quote_id", Message: "a quote id from POST /api/v1/quotes"})
	}
	return booking.DecodeCSV(body, strings.TrimSpace(quoteID))
}

// getBooking shows a booking to the partner that made it.
func (a *api) getBooking(c echo.Context) error {
	caller, _ := partnerOf(c)
	v, err := a.bookings.Get(c.Request().Context(), caller, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// bookingLabels sends a booking's labels as one PDF, an A6 page each;
// ?items=ID,ID… picks some of its articles.
func (a *api) bookingLabels(c echo.Context) error {
	caller, _ := partnerOf(c)
	var ids []string
	if raw := c.QueryParam("items"); raw != "" {
		ids = strings.Split(raw, ",")
	}
	labels, err := a.bookings.Labels(c.Request().Context(), caller, c.Param("id"), ids)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := label.Render(&buf, labels); err != nil {
		return postal.Wrap(err, postal.CodeInternal, "labels")
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="labels-`+c.Param("id")+`.pdf"`)
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}

// partnerArticle is GET /articles/:id for a partner's key: its own
// article, with links to its proofs of delivery valid 24 hours.
func (a *api) partnerArticle(c echo.Context, caller postal.Partner) error {
	if a.bookings == nil {
		return postal.Errorf(postal.CodeNotFound, "article not found")
	}
	ctx := c.Request().Context()
	v, err := a.bookings.Article(ctx, caller, c.Param("id"))
	if err != nil {
		return err
	}
	metas, err := a.proofs.ForArticle(ctx, v.ID)
	if err != nil {
		return err
	}
	if a.podLinks != nil {
		now := a.now()
		for _, m := range metas {
			v.Proofs = append(v.Proofs, booking.ProofLink{ID: m.ID, Kind: string(m.Kind), ContentType: m.ContentType,
				URL: a.podLinks.URL(m.ID, now), ExpiresAt: pod.Expiry(now)})
		}
	}
	return c.JSON(http.StatusOK, v)
}

// podContent streams a proof of delivery to whoever holds a valid signed
// link to it (no account): a partner's system, a webhook receiver.
func (a *api) podContent(c echo.Context) error {
	id, err := a.podLinks.Parse(c.Param("token"), a.now())
	if err != nil {
		return err
	}
	m, err := a.proofs.Linked(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return a.streamProofBody(c, m)
}

// getWallet shows a partner's wallet to an admin or to its own keys.
func (a *api) getWallet(c echo.Context) error {
	w, err := a.bookings.Wallet(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// topUpWallet records money received into a partner's wallet (admins).
// It is idempotent by its reference, and by Idempotency-Key when sent.
func (a *api) topUpWallet(c echo.Context) error {
	body, err := readJSON(c, smallBody)
	if err != nil {
		return err
	}
	var in booking.TopUpInput
	if err := strictJSON(body, &in); err != nil {
		return err
	}
	run := func(ctx context.Context, _ idem.Receipt) (any, error) {
		return a.bookings.TopUp(ctx, principal(c), c.Param("id"), in)
	}
	if c.Request().Header.Get("Idempotency-Key") != "" {
		return a.idempotent(c, http.StatusCreated, body, run)
	}
	e, err := run(c.Request().Context(), idem.Receipt{})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

// patchPartner changes a partner's name, billing, discount or remittance
// account (admins).
func (a *api) patchPartner(c echo.Context) error {
	var in partner.Patch
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := a.partners.Update(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
