package manifest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/testkit"
)

// BenchmarkBuild300 builds one postman's manifest of 300 articles at 250
// households, the route optimiser included, with the default budget.
func BenchmarkBuild300(b *testing.B) {
	f := newFix(b, testkit.DB(b))
	f.svc = newService(f)
	ctx := context.Background()
	cal := slot.DefaultCalendar()
	cal.Capacity[postal.SlotEvening] = 1000
	if _, err := f.slots.PutCalendar(ctx, f.Supervisor, "dc-one", cal, ""); err != nil {
		b.Fatal(err)
	}
	f.evening(b, households(f, 250, 300)...)
	for b.Loop() {
		res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", day, postal.SlotEvening)
		if err != nil || len(res.Manifests) != 1 || res.Manifests[0].Articles != 300 || res.Manifests[0].Stops != 250 {
			b.Fatalf("build: %+v %v", res, err)
		}
	}
}

// households spreads n letters over h households within about 2.5 km of
// the centre; the articles beyond the first h go to earlier households.
func households(f fix, h, n int) []testkit.ArticleSpec {
	r := rand.New(rand.NewPCG(3, 3))
	homes := make([]testkit.ArticleSpec, h)
	for i := range homes {
		homes[i] = testkit.ArticleSpec{Service: postal.ServiceLetter, Lat: f.DC.Lat + (r.Float64()-0.5)*0.045,
			Lon: f.DC.Lon + (r.Float64()-0.5)*0.045, Address: fmt.Sprintf("House %d, Koramangala", i)}
	}
	specs := make([]testkit.ArticleSpec, n)
	for i := range specs {
		specs[i] = homes[i%h]
		specs[i].Serial = 90000001 + i
	}
	return specs
}
