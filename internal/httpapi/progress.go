package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// ProgressStream bounds the server-sent progress stream; zero fields take
// DefaultProgressStream's.
type ProgressStream struct {
	Poll      time.Duration // how often a connection re-reads its slot's progress
	Heartbeat time.Duration // how often a comment keeps idle proxies from closing it
	Max       time.Duration // how long one connection lasts before the client reconnects
	Retry     time.Duration // the reconnection delay the client is told
}

// DefaultProgressStream polls every 3 s, beats every 15 s and lasts 10
// minutes; the browser reconnects after 3 s.
func DefaultProgressStream() ProgressStream {
	return ProgressStream{Poll: 3 * time.Second, Heartbeat: 15 * time.Second, Max: 10 * time.Minute, Retry: 3 * time.Second}
}

func (s ProgressStream) withDefaults() ProgressStream {
	d := DefaultProgressStream()
	for _, f := range []struct{ v, def *time.Duration }{{&s.Poll, &d.Poll}, {&s.Heartbeat, &d.Heartbeat}, {&s.Max, &d.Max}, {&s.Retry, &d.Retry}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return s
}

// sseWriteWait is how long one event may take to reach the client. It is
// a network deadline, so it runs on the wall clock, not the injected one.
const sseWriteWait = 10 * time.Second

// getProgress answers a slot's progress per beat.
func (a *api) getProgress(c echo.Context) error {
	b, err := a.progress.Board(c.Request().Context(), principal(c), c.Param("dc"), c.QueryParam("date"), c.QueryParam("slot"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

// streamProgress sends the slot's progress as server-sent events: at once,
// then each time a poll finds it changed, with a heartbeat comment between,
// until the client goes or the stream's time is up. Refusals come as
// problem+json before the stream starts.
func (a *api) streamProgress(c echo.Context) error {
	ctx, p := c.Request().Context(), principal(c)
	dc, date, sl := c.Param("dc"), c.QueryParam("date"), c.QueryParam("slot")
	b, err := a.progress.Board(ctx, p, dc, date, sl)
	if err != nil {
		return err
	}
	last, err := json.Marshal(b)
	if err != nil {
		return err
	}
	ev := openEvents(c)
	if err := ev.send(fmt.Sprintf("retry: %d\nevent: progress\ndata: %s\n\n", a.stream.Retry.Milliseconds(), last)); err != nil {
		return nil
	}
	poll, beat, end := time.NewTicker(a.stream.Poll), time.NewTicker(a.stream.Heartbeat), time.NewTimer(a.stream.Max)
	defer poll.Stop()
	defer beat.Stop()
	defer end.Stop()
	for {
		var msg string
		select {
		case <-ctx.Done():
			return nil
		case <-end.C:
			return nil
		case <-beat.C:
			msg = ": keep-alive\n\n"
		case <-poll.C:
			next, err := a.progress.Board(ctx, p, dc, date, sl)
			if err != nil {
				logger(c).Warn("progress stream", "error", err.Error())
				continue
			}
			data, err := json.Marshal(next)
			if err != nil || bytes.Equal(data, last) {
				continue
			}
			last, msg = data, "event: progress\ndata: "+string(data)+"\n\n"
		}
		if err := ev.send(msg); err != nil {
			return nil
		}
	}
}

// events writes server-sent events, each flushed at once.
type events struct {
	w  *echo.Response
	rc *http.ResponseController
}

// openEvents starts an event stream. The server's write timeout, meant
// for ordinary answers, would cut a long stream, so each event gets its
// own write deadline instead (net/http already lifts the read deadline
// once a request without a body has been read).
func openEvents(c echo.Context) events {
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	rc := http.NewResponseController(w)
	w.WriteHeader(http.StatusOK)
	return events{w: w, rc: rc}
}

func (e events) send(msg string) error {
	if err := e.rc.SetWriteDeadline(time.Now().Add(sseWriteWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if _, err := e.w.Write([]byte(msg)); err != nil {
		return err
	}
	return e.rc.Flush()
}
