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

  'man.title': 'Slots and manifests · {date}, {slot}',
  'man.intro': 'Build the drafts for this slot, check each beat\'s stops and load, move articles between beats, then dispatch. After dispatch, amend or print.',
  'man.build': 'Build or rebuild the drafts',
  'man.refused': 'Not done: see why below.',
  'man.built': { one: 'Built {n} manifest; not placed: {u}.', other: 'Built {n} manifests; not placed: {u}.' },
  'man.moved': 'Moved {id} to beat {beat}; the drafts are rebuilt.',
  'man.dispatched': { one: 'Dispatched {n} manifest: it is on the postman\'s phone.', other: 'Dispatched {n} manifests: they are on the postmen\'s phones.' },
  'man.amended': 'Beat {beat} amended: now version {v}.',
  'man.none': 'No manifest for this slot yet. Build the drafts.',
  'man.dispatchAll': { one: 'Dispatch {n} draft', other: 'Dispatch all {n} drafts' },
  'man.summary': { one: '{n} manifest: {d} draft, {x} dispatched; {a} articles.', other: '{n} manifests: {d} drafts, {x} dispatched; {a} articles.' },
  'man.unassigned': { one: '{n} article not on any manifest', other: '{n} articles not on any manifest' },
  'man.why.nopostman': 'beat {beat} has no postman',
  'man.why.nobeat': 'no beat covers this address',
  'man.why.dispatched': 'its beat\'s manifest is already dispatched: amend it to add this article',
  'man.beat': 'Beat {beat} ({id})',
  'man.dispatch': 'Dispatch',
  'man.print': 'Print',
  'man.status': 'Status',
  'man.status.draft': 'draft',
  'man.status.dispatched': 'dispatched',
  'man.version': 'version {v}',
  'man.postman': 'Postman',
  'man.load': 'Load',
  'man.loadOf': '{n} of {c} letters',
  'man.over': 'over capacity',
  'man.distance': 'Distance',
  'man.count': 'Stops',
  'man.counts': '{s} stops, {a} articles',
  'man.col.seq': 'No.',
  'man.col.address': 'Recipient and address',
  'man.col.articles': 'Articles',
  'man.col.digipin': 'DIGIPIN',
  'man.cod': 'COD {amount}',
  'man.stops': { one: '{n} stop in delivery order', other: '{n} stops in delivery order' },
  'man.noStops': 'No stops.',
  'man.moveTo': 'Move {id} to beat',
  'man.move': 'Move',
  'man.takeOff': 'take off',
  'man.amend': 'Amend',
  'man.amendHow': 'Add scheduled articles of this slot, and take the ticked ones off (back to the counter).',
  'man.add': 'Articles to add (ids, separated by spaces or commas)',
  'man.spare': { one: '{n} scheduled article is on no manifest.', other: '{n} scheduled articles are on no manifest.' },
  'man.amendGo': 'Save the amendment',
  'man.map': 'Map',
  'man.paper.title': 'Delivery manifest',
  'man.paper.back': 'Back to the slot',
  'man.paper.centre': 'Delivery centre',
  'man.paper.beat': 'Beat',
  'man.paper.when': 'Date and slot',
  'man.paper.manifest': 'Manifest',
  'man.paper.otp': 'OTP',
  'man.paper.cod': 'Cash to collect',
  'man.paper.case': 'Case',
  'man.paper.sign': 'Received by (signature)',
  'man.paper.stops': 'Stops in delivery order',
  'man.paper.totals': '{s} stops, {a} articles, cash to collect {cod}.',
  'man.paper.signPostman': 'Postman\'s signature (taken out):',
  'man.paper.signSupervisor': 'Supervisor\'s signature:',
  'man.paper.returned': 'Returned at (time), articles and cash back:',
  'man.paper.sortTitle': 'Sorting into the pigeonholes',
  'man.paper.sortHow': 'Put each article in its case (the number of its stop). Fill the bag from case {n} down to case 1, so case 1 comes out first.',
  'man.paper.article': 'Article',
  'man.paper.for': 'For',
  // slots and manifests (man.): keys above this line

  // progress (prog.): keys above this line

  // review (rev.): keys above this line

  // cash (cash.): keys above this line

  // charts (chart.): keys above this line

  // admin (adm.): keys above this line
};
