package httpapi

import (
	"context"
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
	if _, err := idempotentKey(c); err != nil {
		return err
	}
	body, err := readJSON(c, smallBody)
	if err != nil {
		return err
	}
	device := deviceTime(c)
	return a.idempotent(c, http.StatusCreated, body, func(ctx context.Context, r idem.Receipt) (any, error) {
		var in delivery.Input
		if err := strictJSON(body, &in); err != nil {
			return nil, err
		}
		out, err := a.deliveries.Submit(ctx, p, in, r, device)
		if err != nil {
			return nil, err
		}
		a.metrics.outcomes.WithLabelValues(p.DCID, in.Outcome).Inc()
		return storedResult{out}, nil // Submit stored the answer with the outcome
	})
}

// deviceTime reads the phone's clock from the Dakiya-Device-Time header.
func deviceTime(c echo.Context) time.Time {
	t, err := time.Parse(time.RFC3339, c.Request().Header.Get("Dakiya-Device-Time"))
	if err != nil {
		return time.Time{}
	}
	return t
}

func (a *api) listDeliveries(c echo.Context) error {
	q := delivery.Query{Date: c.QueryParam("date"), Slot: c.QueryParam("slot"), Flagged: c.QueryParam("flagged"),
		Review: c.QueryParam("review"), Limit: c.QueryParam("limit"), Next: c.QueryParam("next")}
	page, err := a.deliveries.Page(c.Request().Context(), principal(c), c.Param("dc"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
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
