package slot

import (
	"fmt"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/notify"
)

// ReceivedNotice makes the SMS a recipient gets when their article reaches
// the centre: in English and Hindi, with the link to choose a slot. Its
// dedupe key makes it one message per article however often it is queued.
func (l Links) ReceivedNotice(now func() time.Time, newID func() string) article.Notice {
	return func(a article.Article, dc centre.DC) notify.Message {
		url := l.URL(a.ID, now())
		body := fmt.Sprintf("India Post: your article %s has reached %s. Choose when we deliver: %s\n"+
			"भारतीय डाक: आपकी वस्तु %s %s पहुँच गई है। डिलीवरी का समय चुनें: %s",
			a.ID, dc.Name, url, a.ID, dc.Name, url)
		return notify.NewMessage(newID(), a.Recipient.Phone, body, notify.KindSlotLink, a.ID, "slot-link:received:"+a.ID, now())
	}
}

// FailedNotice makes the SMS a recipient gets after a failed attempt: in
// English and Hindi, why, and the link to choose a new slot.
func (l Links) FailedNotice(now func() time.Time, newID func() string) func(a article.Article, dc centre.DC, reason string) notify.Message {
	return func(a article.Article, dc centre.DC, reason string) notify.Message {
		url := l.URL(a.ID, now())
		body := fmt.Sprintf("India Post: we could not deliver article %s today (%s). Choose a new delivery slot: %s\n"+
			"भारतीय डाक: वस्तु %s आज नहीं पहुँचाई जा सकी (%s)। नया समय चुनें: %s",
			a.ID, reason, url, a.ID, reason, url)
		return notify.NewMessage(newID(), a.Recipient.Phone, body, notify.KindSlotLink, a.ID,
			fmt.Sprintf("slot-link:failed:%s:%d", a.ID, now().UnixMilli()), now())
	}
}
