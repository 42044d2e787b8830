package httpapi

import (
	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// routes lists the whole HTTP surface.
func (a *api) routes(e *echo.Echo) {
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", a.metricsHandler())

	v1 := e.Group("/api/v1", noStore)
	v1.POST("/auth/login", a.login)
	v1.POST("/auth/refresh", a.refresh)
	v1.POST("/auth/logout", a.logout)
	v1.GET("/track/:id", a.track, rateLimit(a.limits.track))
	v1.GET("/openapi.yaml", a.openapi)
	if a.devSMS != nil {
		v1.GET("/dev/sms", a.listDevSMS, a.devOutboxAccess)
	}
	v1.GET("/slot-choice/:token", a.slotChoice, rateLimit(a.limits.slotRead))
	v1.POST("/slot-choice/:token", a.chooseSlot, rateLimit(a.limits.slotWrite))

	s := v1.Group("", a.staff)
	s.GET("/me", a.me)
	s.POST("/users", a.createUser)
	s.GET("/users", a.listUsers)
	s.PATCH("/users/:id", a.patchUser)
	s.POST("/dcs", a.createDC)
	s.GET("/dcs", a.listDCs)
	s.GET("/dcs/:dc/beats", a.listBeats)
	s.GET("/dcs/:dc", a.getDC)
	s.POST("/dcs/:dc/beats", a.createBeat)
	s.PATCH("/dcs/:dc/beats/:id", a.patchBeat)
	s.GET("/dcs/:dc/slots", a.listSlots)
	s.GET("/dcs/:dc/calendar", a.getCalendar)
	s.PUT("/dcs/:dc/calendar", a.putCalendar)
	s.POST("/dcs/:dc/schedule", a.autoSchedule)
	s.POST("/dcs/:dc/articles", a.createArticles)
	s.GET("/dcs/:dc/articles", a.listArticles)
	v1.GET("/articles/:id", a.getArticle, a.staffOrKey(postal.ScopeTrack))
	s.POST("/articles/:id/events", a.recordEvent)
	s.PUT("/articles/:id/schedule", a.assignSlot)
	s.PUT("/articles/:id/beat", a.moveBeat)
	s.POST("/articles/:id/otp/verify", a.verifyOTP)
	s.POST("/articles/:id/otp/resend", a.resendOTP)
	s.POST("/articles/:id/otp/unlock", a.unlockOTP)
	s.POST("/proofs", a.uploadProof)
	s.GET("/proofs/:id", a.getProof)
	s.GET("/proofs/:id/content", a.proofContent)
	s.GET("/proofs/:id/views", a.proofViews)
	s.POST("/deliveries", a.submitDelivery)
	s.GET("/dcs/:dc/deliveries", a.listDeliveries)
	s.POST("/deliveries/:id/review", a.reviewDelivery)
	s.GET("/articles/:id/upi", a.upiLink)
	s.GET("/dcs/:dc/cod", a.codSummary)
	s.POST("/dcs/:dc/cod/settlements", a.settleCOD)
	s.GET("/dcs/:dc/cod/settlements", a.listSettlements)
	s.GET("/dcs/:dc/progress", a.getProgress)
	s.GET("/dcs/:dc/progress/stream", a.streamProgress)
	s.POST("/dcs/:dc/cod/settlements/:id/close", a.closeSettlement)
	s.GET("/dcs/:dc/cod/day", a.codDay)
	if a.stats != nil {
		s.GET("/dcs/:dc/stats", a.getStats)
	}
	s.POST("/dcs/:dc/manifests", a.buildManifests)
	s.GET("/dcs/:dc/manifests", a.listManifests)
	s.GET("/me/manifests", a.myManifests)
	s.GET("/manifests/:id", a.getManifest)
	s.POST("/manifests/:id/dispatch", a.dispatchManifest)
	s.POST("/manifests/:id/amend", a.amendManifest)

	if a.demand != nil {
		s.GET("/dcs/:dc/forecast", a.getForecast)
		s.GET("/dcs/:dc/forecast/backtest", a.getBacktest)
		s.GET("/festivals", a.listFestivals)
		s.POST("/festivals", a.createFestival)
		s.PUT("/festivals/:id", a.updateFestival)
		s.DELETE("/festivals/:id", a.deleteFestival)
	}
	// forecast and festivals (fc.): routes above this line
	if a.rosters != nil {
		s.GET("/dcs/:dc/roster", a.getRoster)
		s.PUT("/dcs/:dc/roster/weekly-off/:user_id", a.putWeeklyOff)
		s.PUT("/dcs/:dc/roster/:date/:user_id", a.putRosterEntry)
		s.DELETE("/dcs/:dc/roster/:date/:user_id", a.deleteRosterEntry)
	}
	if a.beatPlans != nil {
		s.POST("/dcs/:dc/beat-plans", a.proposeBeatPlan)
		s.GET("/dcs/:dc/beat-plans/:id", a.getBeatPlan)
		s.POST("/dcs/:dc/beat-plans/:id/choose", a.chooseBeatPlan)
		s.DELETE("/dcs/:dc/beat-plans/:id/choice", a.clearBeatPlan)
	}
	// rosters and beat plans (plan.): routes above this line
	if a.sorting != nil {
		a.sortRoutes(s)
	}
	// sorting (sort.): routes above this line
	if a.privacy != nil {
		a.privacyRoutes(s)
	}
	// privacy (retention, audit): routes above this line

	if a.partners != nil {
		a.partnerRoutes(v1, s)
	}

	v1.Any("/*", a.unknownAPI)
	if a.ondc != nil { // ONDC network participants (LOG11), signed; outside /api/v1
		e.POST("/ondc/:action", a.ondcAction, noStore)
	}
	shell := a.app.shell
	e.GET("/slot/:token", slotPage(shell), rateLimit(a.limits.slotRead))
	e.GET("/sw.js", shell.serviceWorker)
	e.GET("/track", shell.page("track.html"))
	e.GET("/console", shell.page("console.html"))
	e.GET("/*", shell.serve)
}

// partnerRoutes lists the open API for bulk customers: partners and their
// keys (admins), and what the keys may call.
func (a *api) partnerRoutes(v1, s *echo.Group) {
	s.POST("/partners", a.createPartner)
	s.GET("/partners", a.listPartners)
	v1.GET("/partners/:id", a.getPartner, a.staffOrKey(""))
	v1.GET("/partner", a.myPartner, a.partnerKey(""))
	s.POST("/partners/:id/keys", a.createKey)
	v1.GET("/partners/:id/keys", a.listKeys, a.staffOrKey(""))
	s.DELETE("/partners/:id/keys/:key_id", a.revokeKey)
	if a.tariffs != nil {
		a.tariffRoutes(v1, s)
	}
	// tariffs (quotes): routes above this line
	s.PATCH("/partners/:id", a.patchPartner)
	if a.bookings != nil {
		v1.POST("/bookings", a.createBooking, a.partnerKey(postal.ScopeBook))
		v1.GET("/bookings/:id", a.getBooking, a.partnerKey(postal.ScopeBook))
		v1.GET("/bookings/:id/labels.pdf", a.bookingLabels, a.partnerKey(postal.ScopeBook))
		v1.GET("/partners/:id/wallet", a.getWallet, a.staffOrKey(""))
		s.POST("/partners/:id/wallet/topups", a.topUpWallet)
	}
	if a.podLinks != nil {
		v1.GET("/pod/:token", a.podContent, rateLimit(a.limits.track))
	}
	// bookings (bulk booking, wallet, labels): routes above this line
	a.webhookRoutes(v1)
	// webhooks (outbox, dispatcher): routes above this line
	if a.remit != nil {
		a.remittanceRoutes(v1, s)
	}
	// remittances (partner COD): routes above this line
	// ondc (LOG11 adapter): routes above this line
}
