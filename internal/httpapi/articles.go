package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/privacy"
)

func (a *api) createArticles(c echo.Context) error {
	if isCSV(c) {
		return a.importArticles(c)
	}
	body, err := readJSON(c, batchBody)
	if err != nil {
		return err
	}
	inputs, bad, err := article.DecodeBatch(body)
	if err != nil {
		return err
	}
	res, err := a.articles.Create(c.Request().Context(), principal(c), c.Param("dc"), inputs, bad)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// importArticles books a bulk booking sent as CSV, answering as the JSON
// batch does, with each error's row in the file.
func (a *api) importArticles(c echo.Context) error {
	body, err := readBody(c, batchBody)
	if err != nil {
		return err
	}
	inputs, bad, err := article.DecodeCSV(body)
	if err != nil {
		return err
	}
	res, err := a.articles.Create(c.Request().Context(), principal(c), c.Param("dc"), inputs, bad)
	if err != nil {
		return err
	}
	res.NumberRows()
	return c.JSON(http.StatusOK, res)
}

func (a *api) listArticles(c echo.Context) error {
	q := article.Query{Q: c.QueryParam("q"), Status: c.QueryParam("status"), Date: c.QueryParam("date"),
		Slot: c.QueryParam("slot"), Beat: c.QueryParam("beat"), Flag: c.QueryParam("flag"),
		Limit: c.QueryParam("limit"), Next: c.QueryParam("next")}
	page, err := a.articles.List(c.Request().Context(), principal(c), c.Param("dc"), q)
	if err != nil {
		return err
	}
	if q.Q != "" { // a search by name or phone reads personal records
		if err := a.audit(c, privacy.ActionArticleSearch, "dc", c.Param("dc"), "q="+q.Q); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, page)
}

// getArticle is an article's page: with its custody periods and outcomes
// for its supervisor, without them for a postman.
func (a *api) getArticle(c echo.Context) error {
	if k, ok := partnerOf(c); ok {
		return a.partnerArticle(c, k)
	}
	ctx, p := c.Request().Context(), principal(c)
	d, err := a.articles.Get(ctx, p, c.Param("id"))
	if err != nil {
		return err
	}
	if err := a.audit(c, privacy.ActionArticleView, "article", d.ID, ""); err != nil {
		return err
	}
	metas, err := a.proofs.ForArticle(ctx, d.ID)
	if err != nil {
		return err
	}
	d.Proofs = make([]any, len(metas))
	for i, m := range metas {
		d.Proofs[i] = m.View()
	}
	if p.Role == postal.RolePostman {
		return c.JSON(http.StatusOK, d)
	}
	dels, err := a.deliveries.OfArticle(ctx, p, d.ID)
	if err != nil {
		return err
	}
	d.Deliveries = make([]any, len(dels))
	for i, del := range dels {
		d.Deliveries[i] = del
	}
	return c.JSON(http.StatusOK, d)
}

func (a *api) recordEvent(c echo.Context) error {
	var in article.Manual
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := a.articles.Record(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// track is the public tracking view; it may be cached briefly.
func (a *api) track(c echo.Context) error {
	t, err := a.articles.Track(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.JSON(http.StatusOK, t)
}
