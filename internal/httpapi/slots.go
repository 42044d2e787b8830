package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/article"
	"dakiya/internal/slot"
)

func (a *api) listSlots(c echo.Context) error {
	ins, err := a.slots.Slots(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("from"), c.QueryParam("days"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ins)
}

func (a *api) getCalendar(c echo.Context) error {
	cal, err := a.slots.Calendar(c.Request().Context(), principal(c), c.Param("dc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cal)
}

func (a *api) putCalendar(c echo.Context) error {
	var in slot.Calendar
	if err := bind(c, &in); err != nil {
		return err
	}
	cal, err := a.slots.PutCalendar(c.Request().Context(), principal(c), c.Param("dc"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cal)
}

func (a *api) autoSchedule(c echo.Context) error {
	res, err := a.slots.AutoSchedule(c.Request().Context(), principal(c), c.Param("dc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (a *api) assignSlot(c echo.Context) error {
	var in article.Schedule
	if err := bind(c, &in); err != nil {
		return err
	}
	art, err := a.slots.Assign(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, art)
}

func (a *api) slotChoice(c echo.Context) error {
	v, err := a.slots.Choice(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) chooseSlot(c echo.Context) error {
	var in article.Schedule
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := a.slots.Choose(c.Request().Context(), c.Param("token"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// slotPage serves the recipient's slot page; its script reads the token
// from the address.
func (a *api) slotPage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer") // the token is in the path
	return a.serveFile(c, "slot.html")
}
