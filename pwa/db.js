// IndexedDB, the phone's durable store: kv (session-free app data such as
// manifests, UPI links and the sort plan), outbox (actions waiting to
// sync), done (each article's local outcome) and sortq (sorting scans
// waiting to sync).
let dbp;

function open() {
  dbp ||= new Promise((resolve, reject) => {
    const req = indexedDB.open('dakiya', 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      const make = (name, opts) => { if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, opts); };
      make('kv');
      make('outbox', { keyPath: 'id' });
      make('done', { keyPath: 'article_id' });
      make('sortq', { keyPath: 'id' }); // version 2
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = tx.onabort = () => reject(tx.error);
});

async function run(store, mode, fn) {
  const db = await open();
  const tx = db.transaction(store, mode);
  const out = fn(tx.objectStore(store));
  await done(tx);
  return out && 'result' in out ? out.result : undefined;
}

export const get = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const all = (store) => run(store, 'readonly', (s) => s.getAll());
export const put = (store, value, key) => run(store, 'readwrite', (s) => (key === undefined ? s.put(value) : s.put(value, key)));
export const del = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
export const clear = (store) => run(store, 'readwrite', (s) => s.clear());

// putAll writes outbox items and done marks in one transaction, so an
// action is either wholly saved or not at all.
export async function putAll(items, marks) {
  const db = await open();
  const tx = db.transaction(['outbox', 'done'], 'readwrite');
  for (const it of items) tx.objectStore('outbox').put(it);
  for (const m of marks) tx.objectStore('done').put(m);
  await done(tx);
}
