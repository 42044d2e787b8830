package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

type buildRequest struct {
	Date string      `json:"date"`
	Slot postal.Slot `json:"slot"`
}

func (a *api) buildManifests(c echo.Context) error {
	var in buildRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := manifest.ParseBuild(in.Date, in.Slot); err != nil {
		return err
	}
	res, err := a.manifests.Build(c.Request().Context(), principal(c), c.Param("dc"), in.Date, in.Slot)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

func (a *api) listManifests(c echo.Context) error {
	page, err := a.manifests.Page(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), c.QueryParam("slot"),
		c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *api) myManifests(c echo.Context) error {
	list, err := a.manifests.Mine(c.Request().Context(), principal(c), c.QueryParam("date"), c.QueryParam("slot"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (a *api) dispatchManifest(c echo.Context) error {
	s, err := a.manifests.Dispatch(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

func (a *api) amendManifest(c echo.Context) error {
	var in manifest.Amendment
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := a.manifests.Amend(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// getManifest serves the stored manifest as it is, with its strong ETag; a
// phone that already has this version gets 304 and no body.
func (a *api) getManifest(c echo.Context) error {
	read := a.manifests.Get
	inm := c.Request().Header.Get("If-None-Match")
	if inm != "" {
		read = a.manifests.Head
	}
	r, err := read(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	if inm != "" && !matches(inm, r.ETag) { // changed: now fetch the body
		if r, err = a.manifests.Get(c.Request().Context(), principal(c), c.Param("id")); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	etag := r.ETag
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		// A gzipped body is another representation: its strong ETag differs.
		etag = strings.TrimSuffix(r.ETag, `"`) + `-gzip"`
	}
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	if inm != "" && matches(inm, r.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, r.Body)
}

// matches reports whether an If-None-Match header names the manifest's
// version in either encoding (weak comparison, as RFC 9110 asks for this
// header).
func matches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(t), "W/"), `-gzip"`)
		if t == "*" || t == etag || t+`"` == etag {
			return true
		}
	}
	return false
}
