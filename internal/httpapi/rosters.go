package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
	"dakiya/internal/roster"
)

func (a *api) getRoster(c echo.Context) error {
	v, err := a.rosters.Get(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) putRosterEntry(c echo.Context) error {
	var in roster.Input
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := a.rosters.Put(c.Request().Context(), principal(c), c.Param("dc"), c.Param("date"), c.Param("user_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (a *api) deleteRosterEntry(c echo.Context) error {
	d, err := a.rosters.Delete(c.Request().Context(), principal(c), c.Param("dc"), c.Param("date"), c.Param("user_id"),
		postal.Slot(c.QueryParam("slot")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// weeklyOffRequest sets a postman's weekly off day; null clears it.
type weeklyOffRequest struct {
	Weekday *int `json:"weekday"`
}

func (a *api) putWeeklyOff(c echo.Context) error {
	var in weeklyOffRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := a.rosters.PutWeeklyOff(c.Request().Context(), principal(c), c.Param("dc"), c.Param("user_id"), in.Weekday)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
