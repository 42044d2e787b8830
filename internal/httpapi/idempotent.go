package httpapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/labstack/echo/v4"

	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// requestBudget bounds a claimed request once it runs detached from the
// phone's connection; idem.Stale is set by it.
const requestBudget = idem.RunBudget

// idemRun is a claimed request's work: it makes its change, having the
// store write r's Completion in the same transaction, and returns the
// result to send with the route's status.
type idemRun func(ctx context.Context, r idem.Receipt) (any, error)

// storedResult is what an idemRun returns when its domain transaction
// stored the answer with the change (it wrote the Receipt's Completion in
// the same commit): runClaimed sends it without sealing the key again,
// one statement fewer per request.
type storedResult struct{ v any }

// idempotentKey reads and normalises the request's Idempotency-Key.
func idempotentKey(c echo.Context) (string, error) {
	return idem.CheckKey(c.Request().Header.Get("Idempotency-Key"))
}

// idempotent answers a state-changing request at most once per
// Idempotency-Key (the one home of idempotency for every route that takes
// one). It claims the key for the caller, fingerprinted by method, path
// and fingerprint (the body, or what the request means when its bytes
// vary between retries); replays a stored answer with
// Idempotent-Replayed: true; refuses a key used for another request (422)
// or still running (409, a retry may pass). Otherwise it runs run with a
// Receipt for status, detached from the phone's connection so the claim
// is always settled: a final refusal is stored for retries, any other
// failure releases the claim so a retry runs again.
func (a *api) idempotent(c echo.Context, status int, fingerprint []byte, run idemRun) error {
	key, err := idempotentKey(c)
	if err != nil {
		return err
	}
	owner := idemOwner(c)
	// The path as sent, not the route's pattern: one key is one request
	// to one resource (a settlement of this centre, not of another).
	hash := idem.Hash(c.Request().Method, c.Request().URL.Path, fingerprint)
	began, err := a.idem.BeginIdempotent(c.Request().Context(), owner, key, hash, a.now(), idem.Stale)
	switch {
	case err != nil:
		return err
	case began.State == idem.Replay:
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.Blob(began.Status, contentTypeOf(began.Status), began.Body)
	case began.State == idem.InFlight:
		return postal.Errorf(postal.CodeConflict, "the first request with this Idempotency-Key is still running; retry shortly")
	case began.State == idem.Mismatch:
		return postal.Errorf(postal.CodeUnprocessable, "this Idempotency-Key was used for a different request")
	}
	return a.runClaimed(c, idem.Receipt{Owner: owner, Key: key, Status: status}, run)
}

// idemOwner is whose keys a request's key is among: a member of staff's,
// or a partner's (all its API keys share them).
func idemOwner(c echo.Context) string {
	if p, ok := partnerOf(c); ok {
		return "partner:" + p.ID
	}
	return principal(c).UserID
}

// runClaimed runs a claimed request to the end even if the phone hangs
// up, and settles its key: a committed change is what the retry will be
// told.
func (a *api) runClaimed(c echo.Context, r idem.Receipt, run idemRun) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), requestBudget)
	defer cancel()
	result, err := run(ctx, r)
	if err != nil {
		return a.settleRefusal(ctx, c, r, err)
	}
	stored, sealed := result.(storedResult)
	if sealed {
		result = stored.v
	}
	done, err := r.Complete(result)
	if err != nil {
		return err
	}
	if sealed {
		return c.Blob(r.Status, echo.MIMEApplicationJSON, done.Body)
	}
	// The domain transaction wrote this answer with its change; this only
	// seals a success that made no new change (it stores nothing when the
	// key already holds its answer). Whether it lands or not, the change is
	// made and the phone is told so; an unsealed claim is taken over by a
	// later retry, which finds the change made.
	if err := a.idem.FinishIdempotent(ctx, done, a.now()); err != nil {
		logger(c).Warn("idempotency answer not sealed", "error", err.Error())
	}
	return c.Blob(r.Status, echo.MIMEApplicationJSON, done.Body)
}

// settleRefusal stores a final refusal as the key's answer, or releases
// the claim after one a retry may get past; it returns err for the
// error handler to send.
func (a *api) settleRefusal(ctx context.Context, c echo.Context, r idem.Receipt, err error) error {
	if !idem.Final(err) {
		if aerr := a.idem.AbandonIdempotent(ctx, r.Owner, r.Key); aerr != nil {
			logger(c).Warn("idempotency key not released", "error", aerr.Error())
		}
		return err
	}
	status, problem, extra, _ := a.problemOf(err, c)
	done := idem.Completion{Owner: r.Owner, Key: r.Key, Status: status, Body: problemBody(problem, extra)}
	if ferr := a.idem.FinishIdempotent(ctx, done, a.now()); ferr != nil {
		return fmt.Errorf("httpapi: store refusal: %w", ferr)
	}
	return err
}

func contentTypeOf(status int) string {
	if status >= 400 {
		return "application/problem+json"
	}
	return echo.MIMEApplicationJSON
}

// problemBody renders a problem document byte for byte as handleError
// sends it, so a replayed refusal is the first one.
func problemBody(p Problem, extra map[string]any) []byte {
	m := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "detail": p.Detail}
	if len(p.Errors) > 0 {
		m["errors"] = p.Errors
	}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m) // plain values always marshal
	return append(b, '\n')
}
