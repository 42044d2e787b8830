package httpapi

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
	"dakiya/internal/sorting"
)

// sortBody is the most a batch of scans may weigh: 500 scans of about
// 150 bytes each, with room to spare.
const sortBody = 256 << 10

// sortRoutes lists the sorting screen's API: the plan, the scans, the
// counts and the printed plan.
func (a *api) sortRoutes(s *echo.Group) {
	s.GET("/dcs/:dc/sort-plan", a.getSortPlan)
	s.GET("/dcs/:dc/sort-plan.pdf", a.sortPlanPDF)
	s.GET("/dcs/:dc/sort-plan/progress", a.sortProgress)
	s.POST("/dcs/:dc/sort-scans", a.recordSortScans)
}

// sorterPaths are the only routes a sorter may call: who they are, and
// their centre's sorting.
var sorterPaths = map[string]bool{
	"/api/v1/me":                         true,
	"/api/v1/dcs/:dc/sort-plan":          true,
	"/api/v1/dcs/:dc/sort-plan.pdf":      true,
	"/api/v1/dcs/:dc/sort-plan/progress": true,
	"/api/v1/dcs/:dc/sort-scans":         true,
}

// sorterMay refuses a sorter every staff route but the sorting ones, so a
// route added later is closed to sorters until it says otherwise.
func sorterMay(c echo.Context, p postal.Principal) error {
	if p.Role == postal.RoleSorter && !sorterPaths[c.Path()] {
		return postal.Errorf(postal.CodeForbidden, "a sorter may only sort")
	}
	return nil
}

func (a *api) getSortPlan(c echo.Context) error {
	plan, err := a.sorting.Plan(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), postal.Slot(c.QueryParam("slot")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, plan)
}

func (a *api) sortProgress(c echo.Context) error {
	out, err := a.sorting.Progress(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), postal.Slot(c.QueryParam("slot")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *api) recordSortScans(c echo.Context) error {
	b, err := readJSON(c, sortBody)
	if err != nil {
		return err
	}
	var in sorting.Batch
	if err := strictJSON(b, &in); err != nil {
		return err
	}
	out, err := a.sorting.Record(c.Request().Context(), principal(c), c.Param("dc"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// sortPlanPDF prints the plan, a page (or more) per postman in case order.
func (a *api) sortPlanPDF(c echo.Context) error {
	sheets, err := a.sorting.Sheets(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"),
		postal.Slot(c.QueryParam("slot")), c.QueryParam("postman"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sorting.RenderSheets(&buf, sheets); err != nil {
		return postal.Wrap(err, postal.CodeInternal, "sort plan")
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="sort-plan-`+c.Param("dc")+`.pdf"`)
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}
