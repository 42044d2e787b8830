package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// submitDelivery records an outcome exactly once per Idempotency-Key: a
// retry with the same key and body gets the first answer again, another
// body 422, and a retry while the first still runs 409.
func (a *api) submitDelivery(c echo.Context) error {
	p := principal(c)
	if p.Role != postal.RolePostman {
		return postal.Errorf(postal.CodeForbidden, "only a postman records outcomes")
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if err := idem.CheckKey(key); err != nil {
		return err
	}
	body, err := readJSON(c, smallBody)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	began, err := a.idem.BeginIdempotent(ctx, p.UserID, key, idem.Hash("POST", c.Path(), body), a.now(), idem.Stale)
	switch {
	case err != nil:
		return err
	case began.State == idem.Replay:
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.Blob(began.Status, contentTypeOf(began.Status), began.Body)
	case began.State == idem.InFlight:
		return postal.Errorf(postal.CodeConflict, "the first request with this Idempotency-Key is still running; retry shortly")
	case began.State == idem.Mismatch:
		return postal.Errorf(postal.CodeUnprocessable, "this Idempotency-Key was used for a different request")
	}
	return a.runDelivery(c, p, key, body)
}

// runDelivery runs a claimed outcome request and settles its key. It runs
// to the end even if the phone hangs up: the claim must be settled either
// way, and a committed outcome is what the retry will be told.
func (a *api) runDelivery(c echo.Context, p postal.Principal, key string, body []byte) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 30*time.Second)
	defer cancel()
	completion := idem.Completion{Owner: p.UserID, Key: key}
	var in delivery.Input
	err := strictJSON(body, &in)
	var out []byte
	if err == nil {
		_, out, err = a.deliveries.Submit(ctx, p, in, completion, deviceTime(c))
	}
	if err == nil {
		return c.Blob(http.StatusCreated, echo.MIMEApplicationJSON, out)
	}
	status, problem, extra, _ := a.problemOf(err, c)
	if idem.Final(status) {
		completion.Status, completion.Body = status, problemBody(problem, extra)
		if ferr := a.idem.FinishIdempotent(ctx, completion, a.now()); ferr != nil {
			return ferr
		}
	} else if aerr := a.idem.AbandonIdempotent(ctx, p.UserID, key); aerr != nil {
		logger(c).Warn("idempotency key not released", "error", aerr.Error())
	}
	return err
}

// deviceTime reads the phone's clock from the Dakiya-Device-Time header.
func deviceTime(c echo.Context) time.Time {
	t, err := time.Parse(time.RFC3339, c.Request().Header.Get("Dakiya-Device-Time"))
	if err != nil {
		return time.Time{}
	}
	return t
}

func contentTypeOf(status int) string {
	if status >= 400 {
		return "application/problem+json"
	}
	return echo.MIMEApplicationJSON
}

// problemBody renders a problem document as handleError would.
func problemBody(p Problem, extra map[string]any) []byte {
	m := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "detail": p.Detail}
	if len(p.Errors) > 0 {
		m["errors"] = p.Errors
	}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m) // plain values always marshal
	return b
}

func (a *api) listDeliveries(c echo.Context) error {
	list, err := a.deliveries.List(c.Request().Context(), principal(c), c.Param("dc"),
		c.QueryParam("date"), c.QueryParam("slot"), c.QueryParam("flagged"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

func (a *api) reviewDelivery(c echo.Context) error {
	var in delivery.Decision
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := a.deliveries.Review(c.Request().Context(), principal(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
