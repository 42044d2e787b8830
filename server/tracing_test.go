package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// TestTracingSpansArrive: with DAKIYA_OTEL_ENDPOINT set, a request's span,
// named by its route pattern with its status, reaches an OTLP/HTTP
// receiver (protobuf) by the time the server has stopped, under the trace
// the caller's traceparent named; the object store's calls have spans too.
func TestTracingSpansArrive(t *testing.T) {
	var mu sync.Mutex
	spans := map[string]map[string]any{} // name → attributes
	traces := map[string]bool{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "not OTLP/HTTP protobuf", http.StatusBadRequest)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		raw, _ := io.ReadAll(body)
		var req coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					attrs := map[string]any{}
					for _, kv := range s.Attributes {
						if v := kv.Value.GetStringValue(); v != "" {
							attrs[kv.Key] = v
						} else {
							attrs[kv.Key] = kv.Value.GetIntValue()
						}
					}
					spans[s.Name] = attrs
					traces[s.Name+" "+hexID(s.TraceId)] = true
				}
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Write(out)
	}))
	defer receiver.Close()

	env := testEnv(t)
	env["DAKIYA_OTEL_ENDPOINT"] = receiver.URL
	base, stop, done := startServe(t, env)
	req, _ := http.NewRequest("GET", base+"/api/v1/track/EE000000000IN", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	getJSON(t, base+"/readyz", "", 200, nil) // pings the bucket
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	got, ok := spans["GET /api/v1/track/:id"]
	if !ok {
		t.Fatalf("no span for the track request; got %v", spans)
	}
	if got["http.route"] != "/api/v1/track/:id" || got["http.response.status_code"] != int64(res.StatusCode) {
		t.Fatalf("span attributes: %v (answer %d)", got, res.StatusCode)
	}
	if !traces["GET /api/v1/track/:id 4bf92f3577b34da6a3ce929d0e0e4736"] {
		t.Fatalf("the span is not under the caller's trace: %v", traces)
	}
	if s3, ok := spans["s3 head_bucket"]; !ok || s3["http.response.status_code"] != int64(200) {
		t.Fatalf("no span of the readiness check's bucket ping: %v", spans)
	}
}

func hexID(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
