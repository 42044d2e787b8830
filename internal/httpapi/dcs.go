package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/centre"
)

// dcRequest is what an admin sends to add a centre: only the fields a
// client may set, so read-only ones (digipin, beats) are refused.
type dcRequest struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Address  string  `json:"address"`
	PIN      string  `json:"pin"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	TimeZone string  `json:"time_zone"`
	UPIVPA   string  `json:"upi_vpa"`
}

// beatRequest is what a supervisor sends to add a beat.
type beatRequest struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	PostmanID       string   `json:"postman_id"`
	DIGIPINPrefixes []string `json:"digipin_prefixes"`
	PINs            []string `json:"pins"`
}

func (a *api) getDC(c echo.Context) error {
	dc, err := a.centres.Get(c.Request().Context(), principal(c), c.Param("dc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, dc)
}

func (a *api) createDC(c echo.Context) error {
	var in dcRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	dc, err := a.centres.Create(c.Request().Context(), principal(c), centre.DC{ID: in.ID, Name: in.Name,
		Address: in.Address, PIN: in.PIN, Lat: in.Lat, Lon: in.Lon, TimeZone: in.TimeZone, UPIVPA: in.UPIVPA})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, dc)
}

func (a *api) createBeat(c echo.Context) error {
	var in beatRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	b, err := a.centres.AddBeat(c.Request().Context(), principal(c), centre.Beat{ID: in.ID, DCID: c.Param("dc"),
		Name: in.Name, PostmanID: in.PostmanID, DIGIPINPrefixes: in.DIGIPINPrefixes, PINs: in.PINs})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, b)
}

// patchBeat renames a beat or gives it another postman.
func (a *api) patchBeat(c echo.Context) error {
	var in centre.BeatPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	b, err := a.centres.UpdateBeat(c.Request().Context(), principal(c), c.Param("dc"), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (a *api) listDCs(c echo.Context) error {
	page, err := a.centres.List(c.Request().Context(), principal(c), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *api) listBeats(c echo.Context) error {
	page, err := a.centres.Beats(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
