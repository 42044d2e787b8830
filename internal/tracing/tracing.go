// Package tracing sets up OpenTelemetry tracing: spans sent over OTLP/HTTP
// (protobuf) to the collector DAKIYA_OTEL_ENDPOINT names, or nothing at
// all when it is empty.
package tracing

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Setup returns a tracer sending its spans in batches to endpoint (a URL
// such as http://otel-collector:4318; /v1/traces is added when it names no
// path), and the function that flushes and stops it. With an empty
// endpoint the tracer is nil: nothing is traced.
func Setup(ctx context.Context, endpoint, service, version string) (trace.Tracer, func(context.Context) error, error) {
	if endpoint == "" {
		return nil, func(context.Context) error { return nil }, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("tracing: DAKIYA_OTEL_ENDPOINT %q is not an http(s) URL", endpoint)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1/traces"
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(u.String()),
		otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
	if err != nil {
		return nil, nil, fmt.Errorf("tracing: exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", service), attribute.String("service.version", version))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return tp.Tracer("dakiya"), tp.Shutdown, nil
}
