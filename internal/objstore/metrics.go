package objstore

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// errorCounter counts the object store's failures as they happen on the
// wire, each attempt of minio-go's retries included: no answer at all
// (kind "transport"), a server error or throttling ("server"), refused
// credentials ("denied"). A missing object, a failed precondition or a
// conflict is an answer the code expects, not an error of the store.
type errorCounter struct {
	next   http.RoundTripper
	bucket string
	errs   *prometheus.CounterVec
	tracer trace.Tracer // nil: no spans
}

func newErrorCounter(next http.RoundTripper, bucket string) *errorCounter {
	errs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dakiya_s3_errors_total",
		Help: "Object store requests that failed, by operation (put, get, stat, list, delete, head_bucket, create_bucket) and kind (transport, server, denied).",
	}, []string{"operation", "kind"})
	// The proof path's operations start at zero, so that rates and alerts
	// see the series before the first failure.
	for _, op := range []string{"put", "get", "stat", "list", "delete"} {
		for _, kind := range []string{"transport", "server", "denied"} {
			errs.WithLabelValues(op, kind)
		}
	}
	return &errorCounter{next: next, bucket: bucket, errs: errs}
}

// RoundTrip sends r and counts it when it fails.
func (e *errorCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	var span trace.Span
	if e.tracer != nil {
		var ctx context.Context
		ctx, span = e.tracer.Start(r.Context(), "s3 "+operation(r, e.bucket), trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("aws.s3.bucket", e.bucket)))
		r = r.WithContext(ctx)
		defer span.End()
	}
	res, err := e.next.RoundTrip(r)
	if span != nil {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		} else {
			span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
		}
	}
	kind := ""
	switch {
	case err != nil:
		if !errors.Is(err, context.Canceled) {
			kind = "transport"
		}
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
		kind = "server"
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		kind = "denied"
	}
	if kind != "" {
		e.errs.WithLabelValues(operation(r, e.bucket), kind).Inc()
	}
	return res, err
}

// operation names the S3 call r makes, from its method and whether it names
// an object or only the bucket (path style or virtual-host style).
func operation(r *http.Request, bucket string) string {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if !strings.HasPrefix(r.URL.Host, bucket+".") {
		path = strings.TrimPrefix(strings.TrimPrefix(path, bucket), "/")
	}
	object := path != ""
	q := r.URL.Query()
	switch r.Method {
	case http.MethodPut:
		if object {
			return "put"
		}
		return "create_bucket"
	case http.MethodGet:
		if object {
			return "get"
		}
		if q.Has("location") {
			return "bucket_location"
		}
		return "list"
	case http.MethodHead:
		if object {
			return "stat"
		}
		return "head_bucket"
	case http.MethodDelete:
		return "delete"
	case http.MethodPost:
		if q.Has("delete") {
			return "delete"
		}
		return "post"
	}
	return "other"
}

// Trace makes a client span of every request to the object store, under
// the caller's span. Call it before the store is used.
func (s *Store) Trace(t trace.Tracer) { s.errs.tracer = t }

// Collector is the object store's error counter
// (dakiya_s3_errors_total), for the server's registry.
func (s *Store) Collector() *prometheus.CounterVec { return s.errs.errs }
