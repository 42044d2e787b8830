package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type verifyRequest struct {
	OTP string `json:"otp"`
}

// verifyOTP checks the code the recipient gave the postman.
func (a *api) verifyOTP(c echo.Context) error {
	var in verifyRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.otp.Verify(c.Request().Context(), principal(c), c.Param("id"), in.OTP); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"valid": true})
}

// resendOTP sends the recipient a new code.
func (a *api) resendOTP(c echo.Context) error {
	if err := a.otp.Resend(c.Request().Context(), principal(c), c.Param("id")); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "a new code is on its way"})
}

// unlockOTP clears an article's wrong tries, for a supervisor.
func (a *api) unlockOTP(c echo.Context) error {
	if err := a.otp.Unlock(c.Request().Context(), principal(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
