package httpapi

import (
	"encoding/csv"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/cod"
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

func (a *api) settleCOD(c echo.Context) error {
	var in cod.SettleInput
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := a.cod.Settle(c.Request().Context(), principal(c), c.Param("dc"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s)
}
