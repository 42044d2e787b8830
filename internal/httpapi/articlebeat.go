package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// moveBeatRequest names the beat an article goes out on: a beat's id, or null
// for the one its address maps to. It is kept raw to tell null from absent.
type moveBeatRequest struct {
	BeatID json.RawMessage `json:"beat_id"`
}

// moveBeat moves an article to another beat of its centre before it goes
// out, answering with the article's page.
func (a *api) moveBeat(c echo.Context) error {
	var in moveBeatRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	var beat *string
	if len(in.BeatID) == 0 || json.Unmarshal(in.BeatID, &beat) != nil {
		return postal.Invalid("invalid beat", postal.FieldError{Field: "beat_id",
			Message: "required: a beat's id, or null for the beat of the address"})
	}
	ctx, p := c.Request().Context(), principal(c)
	art, err := a.articles.MoveBeat(ctx, p, c.Param("id"), beat)
	if err != nil {
		return err
	}
	d, err := a.articles.Get(ctx, p, art.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
