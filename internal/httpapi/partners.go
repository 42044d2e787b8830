package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/partner"
)

// createPartner adds a bulk customer (admins).
func (a *api) createPartner(c echo.Context) error {
	var in partner.Input
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := a.partners.Create(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// listPartners lists every partner (admins).
func (a *api) listPartners(c echo.Context) error {
	page, err := a.partners.List(c.Request().Context(), principal(c), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// getPartner returns a partner to an admin or to one of its own keys.
func (a *api) getPartner(c echo.Context) error {
	p, err := a.partners.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// createKey makes an API key and shows its secret this once (admins).
func (a *api) createKey(c echo.Context) error {
	var in partner.KeyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	k, err := a.partners.CreateKey(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

// listKeys lists a partner's keys, never their secrets.
func (a *api) listKeys(c echo.Context) error {
	page, err := a.partners.Keys(c.Request().Context(), c.Param("id"), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// revokeKey stops a key at once (admins).
func (a *api) revokeKey(c echo.Context) error {
	if err := a.partners.Revoke(c.Request().Context(), principal(c), c.Param("id"), c.Param("key_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// myPartner returns the partner of the calling key: how a partner's system
// learns its own id, billing and wallet.
func (a *api) myPartner(c echo.Context) error {
	caller, _ := partnerOf(c)
	p, err := a.partners.Get(c.Request().Context(), caller.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
