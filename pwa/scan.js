// Live scanning of the S10 barcode (Code 128) where the phone has
// BarcodeDetector and a camera; elsewhere the number is typed (a JS
// decoder for camera frames would not fit the 100 KB budget).

// canScan reports whether the browser reads Code 128 from a camera.
export const canScan = async () => 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia &&
  ((await Promise.resolve(window.BarcodeDetector.getSupportedFormats?.()).catch(() => []))?.includes('code_128') ?? true);

// scan streams the back camera into video, calling onCode with each code
// read, until the stop() it resolves to is called.
export async function scan(video, onCode) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  const det = new window.BarcodeDetector({ formats: ['code_128'] });
  let on = true;
  video.srcObject = stream;
  video.play().catch(() => {});
  (async () => {
    while (on) {
      if (video.readyState >= 2) for (const c of await det.detect(video).catch(() => [])) if (on) onCode(c.rawValue);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return () => { on = false; stream.getTracks().forEach((tr) => tr.stop()); video.srcObject = null; };
}
