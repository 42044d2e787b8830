package httpapi

// Partners' COD remittance statements: made and marked paid by admins,
// read by admins and by the partner's own keys (scope book), as JSON or
// CSV.

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
	"dakiya/internal/remit"
)

// makeRemittance makes (201) or answers (200) a partner's statement for a
// day that is over (admins).
func (a *api) makeRemittance(c echo.Context) error {
	var in struct {
		Date string `json:"date"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	d, made, err := a.remit.Make(c.Request().Context(), c.Param("id"), in.Date)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if made {
		status = http.StatusCreated
	}
	return c.JSON(status, d)
}

// payRemittance marks a statement paid with the bank's reference (admins).
func (a *api) payRemittance(c echo.Context) error {
	var in remit.PayInput
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := a.remit.Pay(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// listRemittances lists statements without their lines.
func (a *api) listRemittances(c echo.Context) error {
	q := remit.ListQuery{PartnerID: c.QueryParam("partner_id"), From: c.QueryParam("from"), To: c.QueryParam("to"),
		State: c.QueryParam("state"), Limit: c.QueryParam("limit"), Next: c.QueryParam("next")}
	page, err := a.remit.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// pendingRemittances lists a partner's COD money in no statement yet.
func (a *api) pendingRemittances(c echo.Context) error {
	p, err := a.remit.Pending(c.Request().Context(), c.QueryParam("partner_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// getRemittance answers a statement with its lines as JSON, or as CSV
// with Accept: text/csv (or ?format=csv, as the COD ledger).
func (a *api) getRemittance(c echo.Context) error {
	asCSV, err := wantsCSV(c)
	if err != nil {
		return err
	}
	d, err := a.remit.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if !asCSV {
		return c.JSON(http.StatusOK, d)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="remittance-`+d.Date+"-"+d.ID+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.WriteAll(remit.CSV(d)); err != nil {
		logger(c).Warn("remittance csv", "error", err.Error())
	}
	return nil
}

// wantsCSV reports whether a request asks for CSV: ?format=csv (or json),
// or an Accept header naming text/csv before any JSON type.
func wantsCSV(c echo.Context) (bool, error) {
	switch f := c.QueryParam("format"); f {
	case "csv", "json":
		return f == "csv", nil
	case "":
	default:
		return false, postal.Invalid("invalid query", postal.FieldError{Field: "format", Message: "csv or json"})
	}
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		switch {
		case err != nil:
		case mt == "text/csv":
			return true, nil
		case mt == "application/json", strings.HasSuffix(mt, "+json"):
			return false, nil
		}
	}
	return false, nil
}

// remittanceRoutes lists the remittance routes: admins make and pay
// statements; admins and a partner's keys with scope book read them.
func (a *api) remittanceRoutes(v1, s *echo.Group) {
	s.POST("/partners/:id/remittances", a.makeRemittance)
	v1.GET("/remittances", a.listRemittances, a.staffOrKey(postal.ScopeBook))
	v1.GET("/remittances/pending", a.pendingRemittances, a.staffOrKey(postal.ScopeBook))
	v1.GET("/remittances/:id", a.getRemittance, a.staffOrKey(postal.ScopeBook))
	s.POST("/remittances/:id/paid", a.payRemittance)
}
