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

  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
