package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// getStats answers a centre's statistics for ?days= (default 14).
func (a *api) getStats(c echo.Context) error {
	days := 14
	if raw := c.QueryParam("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return postal.Invalid("invalid query", postal.FieldError{Field: "days", Message: "1 to 60"})
		}
		days = n
	}
	b, err := a.stats.Board(c.Request().Context(), principal(c), c.Param("dc"), days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}
