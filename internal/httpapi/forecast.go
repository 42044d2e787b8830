package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakiya/internal/demand"
	"dakiya/internal/forecast"
	"dakiya/internal/postal"
)

// getForecast answers a centre's forecast per date and slot for
// ?from= (default tomorrow) and ?days= (default 14).
func (a *api) getForecast(c echo.Context) error {
	q := demand.Query{From: c.QueryParam("from"), Days: 14}
	if raw := c.QueryParam("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return postal.Invalid("invalid query", postal.FieldError{Field: "days", Message: "1 to 28"})
		}
		q.Days = n
	}
	v, err := a.demand.Forecast(c.Request().Context(), principal(c), c.Param("dc"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) getBacktest(c echo.Context) error {
	v, err := a.demand.Backtest(c.Request().Context(), principal(c), c.Param("dc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) listFestivals(c echo.Context) error {
	page, err := a.demand.Festivals(c.Request().Context(), principal(c), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *api) createFestival(c echo.Context) error {
	var in forecast.Festival
	if err := bind(c, &in); err != nil {
		return err
	}
	f, err := a.demand.CreateFestival(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

func (a *api) updateFestival(c echo.Context) error {
	var in forecast.Festival
	if err := bind(c, &in); err != nil {
		return err
	}
	f, err := a.demand.UpdateFestival(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (a *api) deleteFestival(c echo.Context) error {
	if err := a.demand.DeleteFestival(c.Request().Context(), principal(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
