package tariff

import (
	"errors"

	"dakiya/internal/postal"
)

func asError(err error, e **postal.Error) bool { return errors.As(err, e) }
