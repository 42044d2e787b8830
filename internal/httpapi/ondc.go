package httpapi

// This file serves ONDC's Beckn actions (POST /ondc/{action}): the body is
// read as JSON (a transport failure is a problem document: 413, 415, 400),
// then the adapter answers with ACK, or NACK with an ONDC error and the
// status of the refusal (400 invalid, 401 bad signature, 403 unknown
// buyer app, 404 unknown order, 409/422 refused by policy).

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// ondcBody bounds an ONDC request (a confirm with a large linked order is
// a few tens of KB).
const ondcBody = 256 << 10

func (a *api) ondcAction(c echo.Context) error {
	body, err := readJSON(c, ondcBody)
	if err != nil {
		return err
	}
	ans, err := a.ondc.Handle(c.Request().Context(), c.Param("action"), body, c.Request().Header.Get("Authorization"))
	if err != nil {
		return err
	}
	if ans.Status == 0 {
		ans.Status = http.StatusOK
	}
	return c.JSON(ans.Status, ans.Body)
}
