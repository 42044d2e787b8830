package httpapi

// This file serves tariffs (admins upload them as CSV; admins and
// partners' keys read them) and quotes (partners' keys).

import (
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
	"dakiya/internal/tariff"
)

// tariffRoutes lists the tariff and quote routes.
func (a *api) tariffRoutes(v1, s *echo.Group) {
	s.POST("/tariffs", a.uploadTariff)
	v1.GET("/tariffs", a.listTariffs, a.staffOrKey(postal.ScopeBook))
	v1.GET("/tariffs/:version", a.getTariff, a.staffOrKey(postal.ScopeBook))
	v1.POST("/quotes", a.createQuote, a.partnerKey(postal.ScopeBook))
}

// uploadTariff stores a tariff version from a CSV body (admins): 201 when
// new, 200 when the same version is uploaded again.
func (a *api) uploadTariff(c echo.Context) error {
	if !isCSV(c) {
		return postal.Errorf(postal.CodeUnsupported, "send the tariff as text/csv (UTF-8)")
	}
	body, err := readBody(c, smallBody)
	if err != nil {
		return err
	}
	v, created, err := a.tariffs.Upload(c.Request().Context(), principal(c), c.QueryParam("version"), c.QueryParam("effective_from"), body)
	if err != nil {
		return err
	}
	if created {
		return c.JSON(http.StatusCreated, v)
	}
	return c.JSON(http.StatusOK, v)
}

// listTariffs lists the versions with the one in force today.
func (a *api) listTariffs(c echo.Context) error {
	page, current, err := a.tariffs.Versions(c.Request().Context(), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tariffPage{Page: page, InForce: current, Today: a.tariffs.Today()})
}

// tariffPage is a page of tariff versions, with the one in force today.
type tariffPage struct {
	paging.Page[tariff.Version]
	InForce string `json:"in_force"`
	Today   string `json:"today"`
}

// tariffView is a version with its rates, as JSON.
type tariffView struct {
	tariff.Version
	Rates []tariff.Rate `json:"rates"`
}

// getTariff returns a version as JSON, or as the CSV it was uploaded as
// when the client prefers text/csv.
func (a *api) getTariff(c echo.Context) error {
	v, t, err := a.tariffs.Get(c.Request().Context(), c.Param("version"))
	if err != nil {
		return err
	}
	if prefersCSV(c.Request().Header.Get(echo.HeaderAccept)) {
		c.Response().Header().Set("Content-Disposition", `attachment; filename="tariff-`+v.Name+`.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(v.CSV))
	}
	return c.JSON(http.StatusOK, tariffView{Version: v, Rates: t.Rates})
}

// prefersCSV reports whether an Accept header names text/csv before any
// type JSON would satisfy (qualities are not weighed).
func prefersCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "application/*", "*/*":
			return false
		}
	}
	return false
}

// createQuote prices an article for the key's partner and keeps the quote.
func (a *api) createQuote(c echo.Context) error {
	var r tariff.Request
	if err := bind(c, &r); err != nil {
		return err
	}
	p, _ := partnerOf(c)
	q, err := a.tariffs.Quote(c.Request().Context(), p.ID, r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}
