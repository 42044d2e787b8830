// The console's strings in Hindi; the postman's book (../locales/hi.js) is
// there too, so its keys (slot.*, login.*, lang.*) may be used as they are.
// Each screen's keys sit in its own block, prefixed by the screen.
export default {
  // the shell (main.js, kit.js)
  'con.title': 'डाकिया कंसोल',
  'con.skip': 'सामग्री पर जाएँ',
  'con.nav': 'कंसोल',
  'con.nav.articles': 'डाक वस्तुएँ',
  'con.nav.slots': 'स्लॉट और मैनिफ़ेस्ट',
  'con.nav.progress': 'लाइव प्रगति',
  'con.nav.review': 'समीक्षा',
  'con.nav.cash': 'नकद',
  'con.nav.charts': 'चित्र',
  'con.nav.admin': 'प्रशासन',
  'con.scope.dc': 'केंद्र',
  'con.scope.centre': 'केंद्र {dc}',
  'con.scope.date': 'तारीख़',
  'con.scope.slot': 'स्लॉट',
  'con.err.status': 'सर्वर ने मना किया (HTTP {n})।',
  'con.err.network': 'सर्वर तक नहीं पहुँच सके। फिर कोशिश करें।',

  // articles (art.): keys above this line

  // slots and manifests (man.): keys above this line

  'prog.title': 'ताज़ा प्रगति',
  'prog.scope': '{date}, {slot} पाली',
  'prog.updated': 'पिछला अपडेट {time}',
  'prog.mode.connecting': 'लाइव जानकारी से जुड़ रहे हैं…',
  'prog.mode.stream': 'लाइव: बदलाव होते ही दिखते हैं।',
  'prog.mode.poll': 'लाइव जानकारी उपलब्ध नहीं: हर {s} सेकंड में जाँच रहे हैं।',
  'prog.mode.pollFailing': 'सर्वर तक नहीं पहुँच सके: हर {s} सेकंड में फिर कोशिश कर रहे हैं।',
  'prog.mode.ended': 'आप साइन आउट हो गए: पाली देखने के लिए फिर साइन इन करें।',
  'prog.empty': 'इस तारीख और पाली की अभी कोई सूची (मैनिफ़ेस्ट) नहीं है।',
  'prog.total': { one: 'सभी बीट: {n} वस्तु में से {d} वितरित, {f} वितरित नहीं, {p} बाकी।', other: 'सभी बीट: {n} वस्तुओं में से {d} वितरित, {f} वितरित नहीं, {p} बाकी।' },
  'prog.lateCount': { one: '{n} वस्तु में देर।', other: '{n} वस्तुओं में देर।' },
  'prog.beats': 'बीट',
  'prog.caption': 'बीट के अनुसार प्रगति',
  'prog.col.beat': 'बीट',
  'prog.col.postman': 'डाकिया',
  'prog.col.progress': 'प्रगति',
  'prog.col.sync': 'पिछला सिंक',
  'prog.col.position': 'पिछली जगह',
  'prog.state.delivered': 'वितरित',
  'prog.state.failed': 'वितरित नहीं',
  'prog.state.pending': 'बाकी',
  'prog.state.overdue': 'देर',
  'prog.status.draft': 'मसौदा',
  'prog.status.dispatched': 'भेजा गया',
  'prog.bar': { one: '{n} वस्तु में से {d} वितरित, {f} वितरित नहीं, {p} बाकी', other: '{n} वस्तुओं में से {d} वितरित, {f} वितरित नहीं, {p} बाकी' },
  'prog.justNow': 'अभी',
  'prog.minAgo': { one: '{n} मिनट पहले', other: '{n} मिनट पहले' },
  'prog.hAgo': { one: '{n} घंटा पहले', other: '{n} घंटे पहले' },
  'prog.noSync': 'अभी तक कोई सिंक नहीं',
  'prog.near': 'पड़ाव {n} के पास ({m} मीटर)',
  'prog.noPosition': 'अभी पता नहीं',
  'prog.at': '{time} पर',
  'prog.atWithin': '{time} पर, {m} मीटर के भीतर',
  'prog.overdue': 'देर वाले पड़ाव',
  'prog.noneLate': 'किसी पड़ाव में देर नहीं है।',
  'prog.noneLateUntil': 'किसी पड़ाव में देर नहीं है; पाली {time} पर ख़त्म होती है।',
  'prog.lateBeat': { one: 'बीट {beat} ({name}): {n} पड़ाव में देर', other: 'बीट {beat} ({name}): {n} पड़ावों में देर' },
  'prog.stop': 'पड़ाव {n}',
  'prog.map': 'नक्शा',
  'prog.map.loading': 'सड़कों का नक्शा लोड हो रहा है…',
  'prog.map.offline': 'ऑफ़लाइन: सड़कों के नक्शे की जगह पड़ावों का चित्र।',
  'prog.map.noTiles': 'सड़कों का नक्शा लोड नहीं हुआ: उसकी जगह पड़ावों का चित्र।',
  'prog.map.noLeaflet': 'नक्शा लोड नहीं हो सका: उसकी जगह पड़ावों का चित्र।',
  'prog.map.none': 'अभी किसी पड़ाव या डाकिये की जगह पता नहीं है।',
  'prog.map.drawing': 'पाली का चित्र, उत्तर ऊपर: {n} पड़ाव, {m} डाकिये',
  'prog.map.postman': 'डाकिया, पिछली जगह',
  'prog.map.m': '{n} मीटर',
  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
