package httpapi

import "github.com/labstack/echo/v4"

// NewUnobserved is New without the request log and metrics, for
// BenchmarkManifestGet to measure what they cost.
func NewUnobserved(d Deps) (*echo.Echo, error) { return newServer(d, false) }
