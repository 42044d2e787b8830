package httpapi

import (
	"context"
	"encoding/csv"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/cod"
	"dakiya/internal/idem"
)

func (a *api) upiLink(c echo.Context) error {
	uri, err := a.cod.UPILink(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"uri": uri})
}

// codSummary answers JSON, or CSV with ?format=csv for the ledger.
func (a *api) codSummary(c echo.Context) error {
	lines, err := a.cod.Summary(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), c.QueryParam("slot"))
	if err != nil {
		return err
	}
	if c.QueryParam("format") != "csv" {
		return c.JSON(http.StatusOK, map[string]any{"items": lines})
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="cod-`+c.Param("dc")+"-"+c.QueryParam("date")+"-"+c.QueryParam("slot")+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.WriteAll(cod.CSV(lines)); err != nil {
		logger(c).Warn("cod csv", "error", err.Error())
	}
	return nil
}

// settleCOD records a settlement exactly once per Idempotency-Key: a
// retried count is answered again, never added twice.
func (a *api) settleCOD(c echo.Context) error {
	if _, err := idempotentKey(c); err != nil {
		return err
	}
	body, err := readJSON(c, smallBody)
	if err != nil {
		return err
	}
	p, dc := principal(c), c.Param("dc")
	return a.idempotent(c, http.StatusCreated, body, func(ctx context.Context, r idem.Receipt) (any, error) {
		var in cod.SettleInput
		if err := strictJSON(body, &in); err != nil {
			return nil, err
		}
		return a.cod.Settle(ctx, p, dc, in, r)
	})
}

// listSettlements answers a slot's settlement entries: the ledger.
func (a *api) listSettlements(c echo.Context) error {
	entries, err := a.cod.Entries(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), c.QueryParam("slot"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": entries})
}

// closeSettlement makes a postman's slot final; closing again answers the
// first closing.
func (a *api) closeSettlement(c echo.Context) error {
	cl, err := a.cod.Close(c.Request().Context(), principal(c), c.Param("dc"), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cl)
}

// codDay answers a centre's cash for a day, per slot.
func (a *api) codDay(c echo.Context) error {
	day, err := a.cod.DaySummary(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, day)
}
