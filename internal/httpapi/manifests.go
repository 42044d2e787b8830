package httpapi

import (
	"net/http"
	"strconv"
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

// getManifest serves the stored manifest as it is, plain or as stored
// gzipped (nothing is compressed per request), each representation with its
// own strong ETag; a phone that already has this version gets 304 and no
// body.
func (a *api) getManifest(c echo.Context) error {
	req := c.Request()
	inm := req.Header.Get("If-None-Match")
	f, err := a.manifests.Fetch(req.Context(), principal(c), c.Param("id"), etagHint(inm))
	if err != nil {
		return err
	}
	gz := acceptsGzip(req.Header.Get("Accept-Encoding"))
	h := c.Response().Header()
	etag := f.ETag
	if gz {
		// A gzipped body is another representation: its strong ETag differs.
		etag = strings.TrimSuffix(f.ETag, `"`) + `-gzip"`
	}
	h["Etag"] = []string{etag}
	h["Cache-Control"] = privateNoCache
	h["Vary"] = varyEncoding
	if inm != "" && matches(inm, f.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := f.Body
	if gz {
		body = f.Gzip
		h["Content-Encoding"] = gzipEncoding
	}
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.Response().WriteHeader(http.StatusOK)
	_, err = c.Response().Write(body)
	return err
}

// The manifest's constant header values, made once (slices of one: an Add
// copies rather than writes into them).
var (
	privateNoCache = []string{"private, no-cache"}
	varyEncoding   = []string{"Accept-Encoding"}
	gzipEncoding   = []string{codingGzip}
	jsonType       = []string{echo.MIMEApplicationJSON}
)

// etagHint is the manifest ETag an If-None-Match header names first, in
// either encoding, for Fetch to skip reading a body the phone has; the
// answer is decided by matches.
func etagHint(header string) string {
	t, _, _ := strings.Cut(header, ",")
	t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
	if strings.HasSuffix(t, `-gzip"`) {
		return strings.TrimSuffix(t, `-gzip"`) + `"`
	}
	return t
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip (q > 0,
// by name or by "*").
func acceptsGzip(header string) bool {
	if header == "" {
		return false
	}
	if !strings.Contains(header, ";") { // no q-values: named is accepted
		for t := range strings.SplitSeq(header, ",") {
			switch strings.ToLower(strings.TrimSpace(t)) {
			case codingGzip, "x-gzip", "*":
				return true
			}
		}
		return false
	}
	return acceptable(header)(codingGzip) > 0
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
