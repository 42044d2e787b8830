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

  'man.title': 'स्लॉट और मैनिफ़ेस्ट · {date}, {slot}',
  'man.intro': 'इस स्लॉट के मसौदे बनाएँ, हर बीट के पड़ाव और भार जाँचें, डाक वस्तुएँ एक बीट से दूसरी में भेजें, फिर रवाना करें। रवानगी के बाद संशोधन करें या छापें।',
  'man.build': 'मसौदे बनाएँ या फिर से बनाएँ',
  'man.refused': 'नहीं हुआ: कारण नीचे देखें।',
  'man.built': { one: '{n} मैनिफ़ेस्ट बना; बाहर रहीं: {u}।', other: '{n} मैनिफ़ेस्ट बने; बाहर रहीं: {u}।' },
  'man.moved': '{id} बीट {beat} में भेजी गई; मसौदे फिर से बन गए।',
  'man.dispatched': { one: '{n} मैनिफ़ेस्ट रवाना: डाकिये के फ़ोन पर है।', other: '{n} मैनिफ़ेस्ट रवाना: डाकियों के फ़ोन पर हैं।' },
  'man.amended': 'बीट {beat} में संशोधन हुआ: अब संस्करण {v}।',
  'man.none': 'इस स्लॉट का अभी कोई मैनिफ़ेस्ट नहीं। मसौदे बनाएँ।',
  'man.dispatchAll': { one: '{n} मसौदा रवाना करें', other: 'सभी {n} मसौदे रवाना करें' },
  'man.summary': { one: '{n} मैनिफ़ेस्ट: {d} मसौदा, {x} रवाना; {a} डाक वस्तुएँ।', other: '{n} मैनिफ़ेस्ट: {d} मसौदे, {x} रवाना; {a} डाक वस्तुएँ।' },
  'man.unassigned': { one: '{n} डाक वस्तु किसी मैनिफ़ेस्ट पर नहीं', other: '{n} डाक वस्तुएँ किसी मैनिफ़ेस्ट पर नहीं' },
  'man.why.nopostman': 'बीट {beat} का कोई डाकिया नहीं',
  'man.why.nobeat': 'यह पता किसी बीट में नहीं आता',
  'man.why.dispatched': 'इसकी बीट का मैनिफ़ेस्ट रवाना हो चुका है: इसे जोड़ने के लिए संशोधन करें',
  'man.beat': 'बीट {beat} ({id})',
  'man.dispatch': 'रवाना करें',
  'man.print': 'छापें',
  'man.status': 'स्थिति',
  'man.status.draft': 'मसौदा',
  'man.status.dispatched': 'रवाना',
  'man.version': 'संस्करण {v}',
  'man.postman': 'डाकिया',
  'man.load': 'भार',
  'man.loadOf': '{c} में से {n} पत्र',
  'man.over': 'क्षमता से अधिक',
  'man.distance': 'दूरी',
  'man.count': 'पड़ाव',
  'man.counts': '{s} पड़ाव, {a} डाक वस्तुएँ',
  'man.col.seq': 'क्रम',
  'man.col.address': 'पाने वाला और पता',
  'man.col.articles': 'डाक वस्तुएँ',
  'man.col.digipin': 'डिजिपिन',
  'man.cod': 'नकद वसूली {amount}',
  'man.stops': { one: 'वितरण क्रम में {n} पड़ाव', other: 'वितरण क्रम में {n} पड़ाव' },
  'man.noStops': 'कोई पड़ाव नहीं।',
  'man.moveTo': '{id} को इस बीट में भेजें',
  'man.move': 'भेजें',
  'man.takeOff': 'हटाएँ',
  'man.amend': 'संशोधन',
  'man.amendHow': 'इस स्लॉट की निर्धारित डाक वस्तुएँ जोड़ें, और चुनी हुई हटाएँ (वे काउंटर पर लौटेंगी)।',
  'man.add': 'जोड़ने वाली डाक वस्तुएँ (आईडी, खाली जगह या अल्पविराम से अलग)',
  'man.spare': { one: '{n} निर्धारित डाक वस्तु किसी मैनिफ़ेस्ट पर नहीं है।', other: '{n} निर्धारित डाक वस्तुएँ किसी मैनिफ़ेस्ट पर नहीं हैं।' },
  'man.amendGo': 'संशोधन सहेजें',
  'man.map': 'नक़्शा',
  'man.paper.title': 'वितरण मैनिफ़ेस्ट',
  'man.paper.back': 'स्लॉट पर लौटें',
  'man.paper.centre': 'वितरण केंद्र',
  'man.paper.beat': 'बीट',
  'man.paper.when': 'तारीख़ और स्लॉट',
  'man.paper.manifest': 'मैनिफ़ेस्ट',
  'man.paper.otp': 'ओटीपी',
  'man.paper.cod': 'वसूलने वाली नकद राशि',
  'man.paper.case': 'खाना',
  'man.paper.sign': 'पाने वाले के हस्ताक्षर',
  'man.paper.stops': 'वितरण क्रम में पड़ाव',
  'man.paper.totals': '{s} पड़ाव, {a} डाक वस्तुएँ, वसूलने वाली नकद राशि {cod}।',
  'man.paper.signPostman': 'डाकिये के हस्ताक्षर (ले जाते समय):',
  'man.paper.signSupervisor': 'पर्यवेक्षक के हस्ताक्षर:',
  'man.paper.returned': 'लौटने का समय, लौटाई गई डाक वस्तुएँ और नकद:',
  'man.paper.sortTitle': 'खानों में छँटाई',
  'man.paper.sortHow': 'हर डाक वस्तु उसके खाने में रखें (उसके पड़ाव का क्रम)। थैला खाना {n} से खाना 1 तक भरें, ताकि खाना 1 सबसे पहले निकले।',
  'man.paper.article': 'डाक वस्तु',
  'man.paper.for': 'किसके लिए',
  // slots and manifests (man.): keys above this line

  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
