// The console's strings in English; the postman's book (../locales/en.js) is
// there too, so its keys (slot.*, login.*, lang.*) may be used as they are.
// Each screen's keys sit in its own block, prefixed by the screen.
export default {
  // the shell (main.js, kit.js)
  'con.title': 'Dakiya console',
  'con.skip': 'Skip to content',
  'con.nav': 'Console',
  'con.nav.articles': 'Articles',
  'con.nav.slots': 'Slots and manifests',
  'con.nav.progress': 'Live progress',
  'con.nav.review': 'Review',
  'con.nav.cash': 'Cash',
  'con.nav.charts': 'Pictures',
  'con.nav.admin': 'Admin',
  'con.scope.dc': 'Centre',
  'con.scope.centre': 'Centre {dc}',
  'con.scope.date': 'Date',
  'con.scope.slot': 'Slot',
  'con.err.status': 'The server refused (HTTP {n}).',
  'con.err.network': 'The server could not be reached. Try again.',

  // articles (art.): keys above this line

  // slots and manifests (man.): keys above this line

  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
