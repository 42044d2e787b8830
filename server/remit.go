package main

import "context"

// startRemitWorker makes partners' COD remittance statements for the day
// that is over, beside the other workers. It returns stop wrapped so that
// it also waits for the worker.
func (a *app) startRemitWorker(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.remit.Run(ctx, a.log.With("worker", "remittances"))
	}()
	return func() { stop(); <-done }
}
