package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *api) login(c echo.Context) error {
	var in loginRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := a.auth.Login(c.Request().Context(), in.Username, in.Password, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

func (a *api) refresh(c echo.Context) error {
	var in refreshRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := a.auth.Refresh(c.Request().Context(), in.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

func (a *api) logout(c echo.Context) error {
	var in refreshRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.auth.Logout(c.Request().Context(), in.RefreshToken); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) me(c echo.Context) error {
	u, err := a.auth.Me(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (a *api) createUser(c echo.Context) error {
	if principal(c).Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only an admin may add staff")
	}
	var in auth.NewUser
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := a.auth.CreateUser(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

// listUsers lists staff: all for an admin (or one centre's with ?dc_id=),
// their centre's for a supervisor.
func (a *api) listUsers(c echo.Context) error {
	page, err := a.auth.Users(c.Request().Context(), principal(c), c.QueryParam("dc_id"), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// patchUser disables, enables, re-roles or resets the password of a user.
func (a *api) patchUser(c echo.Context) error {
	var in auth.Patch
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := a.auth.UpdateUser(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}
