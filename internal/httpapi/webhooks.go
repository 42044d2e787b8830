package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
	"dakiya/internal/webhook"
)

// webhookRoutes lists partners' webhook subscriptions: a key with the
// webhooks scope manages its own partner's, an admin reads and manages
// any (the console).
func (a *api) webhookRoutes(v1 *echo.Group) {
	if a.webhooks == nil {
		return
	}
	hook := a.staffOrKey(postal.ScopeWebhooks)
	v1.POST("/webhooks", a.createWebhook, a.partnerKey(postal.ScopeWebhooks))
	v1.GET("/webhooks", a.listWebhooks, hook)
	v1.GET("/webhooks/:id", a.getWebhook, hook)
	v1.DELETE("/webhooks/:id", a.deleteWebhook, hook)
	v1.GET("/webhooks/:id/deliveries", a.webhookDeliveries, hook)
	v1.POST("/webhooks/:id/deliveries/:delivery_id/redeliver", a.redeliverWebhook, hook)
	v1.POST("/webhooks/:id/ping", a.pingWebhook, hook)
}

// createWebhook subscribes the key's partner to events; the secret is in
// this answer only.
func (a *api) createWebhook(c echo.Context) error {
	var in webhook.Input
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := a.webhooks.Create(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s)
}

// listWebhooks lists a key's own subscriptions, or for an admin those of
// ?partner_id= (every partner's without it).
func (a *api) listWebhooks(c echo.Context) error {
	page, err := a.webhooks.List(c.Request().Context(), c.QueryParam("partner_id"), c.QueryParam("limit"), c.QueryParam("next"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// getWebhook returns one subscription.
func (a *api) getWebhook(c echo.Context) error {
	s, err := a.webhooks.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// deleteWebhook stops a subscription.
func (a *api) deleteWebhook(c echo.Context) error {
	if err := a.webhooks.Delete(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// webhookDeliveries pages a subscription's delivery log.
func (a *api) webhookDeliveries(c echo.Context) error {
	p, err := a.webhooks.Deliveries(c.Request().Context(), c.Param("id"),
		webhook.Query{Limit: c.QueryParam("limit"), Next: c.QueryParam("next")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// redeliverWebhook sends one logged message again, at once.
func (a *api) redeliverWebhook(c echo.Context) error {
	if err := a.webhooks.Redeliver(c.Request().Context(), c.Param("id"), c.Param("delivery_id")); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"id": c.Param("delivery_id"), "state": "pending"})
}

// pingWebhook queues a ping to a subscription.
func (a *api) pingWebhook(c echo.Context) error {
	id, err := a.webhooks.Ping(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"id": id, "state": "pending"})
}
