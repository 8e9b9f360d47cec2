// The installed web app: registers the service worker (push notifications now, offline pages later).
// Its address comes from <meta name="onward-service-worker">, so this file needs no server values.
export function registerServiceWorker() {
  const meta = document.querySelector('meta[name="onward-service-worker"]');
  if (!meta || !("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register(meta.content, { scope: "/" }).catch(() => null);
}
