package main

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"dakiya/internal/ops"
)

// registerOps adds what an operator watches beyond the request metrics to
// reg: sync lag per centre, the SMS and webhook queues and the database
// pool (read from the database at most every ops.DefaultRefresh), and the
// object store's errors.
func (a *app) registerOps(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{ops.NewCollector(a.db, a.now, ops.DefaultRefresh), a.objects.Collector()} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("operations metrics: %w", err)
		}
	}
	return nil
}
