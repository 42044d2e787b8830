package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"dakiya/internal/httpapi"
	"dakiya/internal/testkit"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkTracing serves GET /healthz in process (no network) through the
// whole middleware stack: with tracing off (no DAKIYA_OTEL_ENDPOINT: a nil
// tracer, one pointer check per request), and on, with every span recorded
// by the SDK (and dropped, no exporter), to show what a span costs.
func BenchmarkTracing(b *testing.B) {
	e := newEnv(b, testkit.DB(b))
	run := func(b *testing.B, d httpapi.Deps) {
		d.Registry = prometheus.NewRegistry()
		h, err := httpapi.New(d)
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/healthz", nil)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("healthz: %d", w.Code)
			}
		}
	}
	b.Run("off", func(b *testing.B) { run(b, e.deps) })
	b.Run("on", func(b *testing.B) {
		d := e.deps
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
		defer tp.Shutdown(b.Context())
		d.Tracer = tp.Tracer("bench")
		run(b, d)
	})
}
