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

  'prog.title': 'Live progress',
  'prog.scope': '{date}, {slot} slot',
  'prog.updated': 'Last update {time}',
  'prog.mode.connecting': 'Connecting to the live feed…',
  'prog.mode.stream': 'Live: updates come as they happen.',
  'prog.mode.poll': 'The live feed is unavailable: checking every {s} seconds.',
  'prog.mode.pollFailing': 'The server cannot be reached: trying again every {s} seconds.',
  'prog.mode.ended': 'Signed out: sign in again to follow the slot.',
  'prog.empty': 'No manifest for this date and slot yet.',
  'prog.total': { one: 'All beats: {d} delivered, {f} not delivered, {p} to deliver, of {n} article.', other: 'All beats: {d} delivered, {f} not delivered, {p} to deliver, of {n} articles.' },
  'prog.lateCount': { one: '{n} article overdue.', other: '{n} articles overdue.' },
  'prog.beats': 'Beats',
  'prog.caption': 'Progress by beat',
  'prog.col.beat': 'Beat',
  'prog.col.postman': 'Postman',
  'prog.col.progress': 'Progress',
  'prog.col.sync': 'Last sync',
  'prog.col.position': 'Last position',
  'prog.state.delivered': 'Delivered',
  'prog.state.failed': 'Not delivered',
  'prog.state.pending': 'To deliver',
  'prog.state.overdue': 'Overdue',
  'prog.status.draft': 'draft',
  'prog.status.dispatched': 'dispatched',
  'prog.bar': { one: '{d} delivered, {f} not delivered, {p} to deliver, of {n} article', other: '{d} delivered, {f} not delivered, {p} to deliver, of {n} articles' },
  'prog.justNow': 'just now',
  'prog.minAgo': { one: '{n} min ago', other: '{n} min ago' },
  'prog.hAgo': { one: '{n} hour ago', other: '{n} hours ago' },
  'prog.noSync': 'No sync yet',
  'prog.near': 'Near stop {n} ({m} m)',
  'prog.noPosition': 'Not known yet',
  'prog.at': 'at {time}',
  'prog.atWithin': 'at {time}, within {m} m',
  'prog.overdue': 'Overdue stops',
  'prog.noneLate': 'No stop is overdue.',
  'prog.noneLateUntil': 'No stop is overdue; the slot ends at {time}.',
  'prog.lateBeat': { one: 'Beat {beat} ({name}): {n} stop overdue', other: 'Beat {beat} ({name}): {n} stops overdue' },
  'prog.stop': 'Stop {n}',
  'prog.map': 'Map',
  'prog.map.loading': 'Loading the street map…',
  'prog.map.offline': 'Offline: a drawing of the stops instead of the street map.',
  'prog.map.noTiles': 'The street map did not load: a drawing of the stops instead.',
  'prog.map.noLeaflet': 'The map could not load: a drawing of the stops instead.',
  'prog.map.none': 'No stop or postman has a position yet.',
  'prog.map.drawing': 'Drawing of the slot, north up: {n} stops, {m} postmen',
  'prog.map.postman': 'Postman, last position',
  'prog.map.m': '{n} m',
  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
