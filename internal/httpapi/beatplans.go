package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/beatplan"
)

func (a *api) proposeBeatPlan(c echo.Context) error {
	var in beatplan.Request
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := a.beatPlans.Propose(c.Request().Context(), principal(c), c.Param("dc"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (a *api) getBeatPlan(c echo.Context) error {
	p, err := a.beatPlans.Get(c.Request().Context(), principal(c), c.Param("dc"), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (a *api) chooseBeatPlan(c echo.Context) error {
	p, err := a.beatPlans.Choose(c.Request().Context(), principal(c), c.Param("dc"), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (a *api) clearBeatPlan(c echo.Context) error {
	p, err := a.beatPlans.Clear(c.Request().Context(), principal(c), c.Param("dc"), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
