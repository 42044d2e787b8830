// Capture at the door: a signature pad (pointer events → PNG), a camera
// photo downscaled on the phone, the position with its accuracy and a UPI
// QR code drawn from a link (the QR library loads only then).

// signaturePad turns a canvas into a pad; strokes follow any pointer.
export function signaturePad(canvas) {
  const ctx = canvas.getContext('2d');
  let drawn = false;
  let last = null;
  let png = null; // the drawing's PNG, made once per drawing, off the confirm path
  const reset = () => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    png = null;
  };
  const blob = () => (png ||= new Promise((r) => canvas.toBlob(r, 'image/png')));
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * (canvas.width / r.width), (ev.clientY - r.top) * (canvas.height / r.height)];
  };
  canvas.addEventListener('pointerdown', (ev) => {
    canvas.setPointerCapture(ev.pointerId);
    last = at(ev);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!last) return;
    const p = at(ev);
    Object.assign(ctx, { strokeStyle: '#000', lineWidth: 3, lineCap: 'round', lineJoin: 'round' });
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
    drawn = true;
    png = null;
  });
  const up = () => {
    last = null;
    if (drawn) (window.requestIdleCallback || setTimeout)(() => !last && blob(), { timeout: 1000 });
  };
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  reset();
  return { clear: reset, empty: () => !drawn, blob };
}

// downscale makes a JPEG no larger than max px a side, lowering the quality
// until it is about target bytes.
export async function downscale(file, max = 1280, target = 150_000) {
  const img = await createImageBitmap(file);
  const k = Math.min(1, max / Math.max(img.width, img.height));
  const c = document.createElement('canvas');
  c.width = Math.round(img.width * k);
  c.height = Math.round(img.height * k);
  c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
  img.close?.();
  let blob;
  for (const q of [0.8, 0.7, 0.6, 0.5, 0.4]) {
    blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', q));
    if (blob.size <= target * 1.2) break;
  }
  return blob;
}

// watchFix watches the position and keeps the best fix taken since
// `since` (never an older, cached one): the most accurate, a fix losing
// 1 m of accuracy per second of age. stop() ends the watch.
export function watchFix(since, onFix) {
  const geo = navigator.geolocation;
  let best = null;
  const worth = (f, now) => f.accuracy_m + (now - Date.parse(f.fix_at)) / 1000;
  const id = geo?.watchPosition((p) => {
    if (p.timestamp < since) return;
    const f = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: Math.round(p.coords.accuracy),
      fix_at: new Date(p.timestamp).toISOString() };
    if (!best || worth(f, p.timestamp) <= worth(best, p.timestamp)) best = f;
    onFix(best);
  }, () => onFix(best, true), { enableHighAccuracy: true, maximumAge: 0, timeout: 20_000 });
  if (!geo) setTimeout(() => onFix(null, true));
  return { best: () => best, stop: () => geo?.clearWatch(id) };
}

// drawQR paints text as a QR code on a canvas, quiet zone included.
export async function drawQR(canvas, text) {
  const { default: qrcode } = await import('./vendor/qrcode.min.js');
  const q = qrcode(0, 'M');
  q.addData(text);
  q.make();
  const n = q.getModuleCount();
  const cell = Math.floor(canvas.width / (n + 8));
  const off = Math.floor((canvas.width - cell * n) / 2);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (q.isDark(r, c)) ctx.fillRect(off + c * cell, off + r * cell, cell, cell);
  }
}
