package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
	"dakiya/internal/privacy"
)

// privacyRoutes lists the audit log and a data principal's requests
// (admins only).
func (a *api) privacyRoutes(s *echo.Group) {
	s.GET("/audit", a.auditLog)
	s.GET("/privacy/export", a.privacyExport)
	s.POST("/privacy/erase", a.privacyErase)
}

// route names the request's route as documented (GET
// /api/v1/articles/{id}), for the audit log.
func route(c echo.Context) string {
	parts := strings.Split(c.Path(), "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return c.Request().Method + " " + strings.Join(parts, "/")
}

// audit records a view of personal data by the request's principal; with
// no privacy service (tests of other parts), nothing is recorded.
func (a *api) audit(c echo.Context, action, subjectType, subject, detail string) error {
	if a.privacy == nil {
		return nil
	}
	return a.privacy.Record(c.Request().Context(), principal(c), action, subjectType, subject, route(c), detail)
}

func (a *api) auditLog(c echo.Context) error {
	page, err := a.privacy.Audit(c.Request().Context(), principal(c), privacy.AuditParams{Actor: c.QueryParam("actor"),
		Subject: c.QueryParam("subject"), From: c.QueryParam("from"), To: c.QueryParam("to"),
		Limit: c.QueryParam("limit"), Next: c.QueryParam("next")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *api) privacyExport(c echo.Context) error {
	x, err := a.privacy.Export(c.Request().Context(), principal(c), c.QueryParam("phone"), route(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, x)
}

func (a *api) privacyErase(c echo.Context) error {
	if p := principal(c); p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only admins erase a data principal's data")
	}
	var in struct {
		Phone string `json:"phone"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.privacy.Erase(c.Request().Context(), principal(c), in.Phone, route(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
