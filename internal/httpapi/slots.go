package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/article"
	"dakiya/internal/postal"
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

// calendarRequest is a calendar as GET returns it, so a client can read,
// change and send it back; dc_id and time_zone are the centre's and only
// checked. sunday_delivery left out means the default (on).
type calendarRequest struct {
	DCID           string                      `json:"dc_id"`
	TimeZone       string                      `json:"time_zone"`
	Windows        map[postal.Slot]slot.Window `json:"windows"`
	SundayDelivery *bool                       `json:"sunday_delivery"`
	Holidays       []string                    `json:"holidays"`
	Capacity       map[postal.Slot]int         `json:"capacity"`
}

func (a *api) putCalendar(c echo.Context) error {
	var in calendarRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.DCID != "" && in.DCID != c.Param("dc") {
		return postal.Invalid("invalid calendar", postal.FieldError{Field: "dc_id", Message: "not this centre"})
	}
	cal := slot.Calendar{Windows: in.Windows, SundayDelivery: in.SundayDelivery == nil || *in.SundayDelivery,
		Holidays: in.Holidays, Capacity: in.Capacity}
	view, err := a.slots.PutCalendar(c.Request().Context(), principal(c), c.Param("dc"), cal, in.TimeZone)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view)
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
	d, err := a.articles.Get(c.Request().Context(), principal(c), art.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
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

// slotPage serves the recipient's slot page, compressed like any app file;
// its script reads the token from the address. Since the token is in the
// path, the page is not stored and the referrer is withheld.
func slotPage(shell *appShell) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Referrer-Policy", "no-referrer")
		return shell.send(c, "slot.html", "no-store")
	}
}
