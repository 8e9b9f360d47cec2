// Onward's service worker, served from /sw.js so that it controls the whole site.
// It shows notifications, and keeps library items a person has opened for reading offline
// (library-offline.js: network first; only library pages and the files they need are kept).
// The view fills in the values below; the rest is plain script.
// The words of library-offline.js's "you are offline" page, in the language of whoever fetched this worker.
self.LIBRARY_OFFLINE_TEXT = {{ library_offline_text | tojson }};
importScripts({{ library_offline_url | tojson }});
const SIGN_OUT_PATH = {{ sign_out_url | tojson }};
const NOTIFICATION_ICON = {{ icon_url | tojson }};
const FALLBACK_TITLE = {{ service_name | tojson }};
const FALLBACK_URL = {{ home_url | tojson }};

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("push", (event) => event.waitUntil(showNotification(event)));
self.addEventListener("fetch", (event) => {
  // A shared tablet: what one person kept is gone when they sign out.
  if (new URL(event.request.url).pathname === SIGN_OUT_PATH) {
    event.waitUntil(libraryOfflineClear());
    return;
  }
  libraryOfflineFetch(event);
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openPage(event.notification.data && event.notification.data.url));
});

// The push payload is JSON: {"title", "body", "url", "tag"}, written by the server for a lock screen.
function readPayload(event) {
  if (!event.data) return {};
  try {
    return event.data.json();
  } catch {
    return { body: event.data.text() };
  }
}

function showNotification(event) {
  const payload = readPayload(event);
  return self.registration.showNotification(payload.title || FALLBACK_TITLE, {
    body: payload.body || "",
    tag: payload.tag || undefined,
    icon: NOTIFICATION_ICON,
    badge: NOTIFICATION_ICON,
    data: { url: sameSiteUrl(payload.url) },
  });
}

// Only our own pages open from a notification.
function sameSiteUrl(url) {
  try {
    const target = new URL(url || FALLBACK_URL, self.location.origin);
    return target.origin === self.location.origin ? target.href : new URL(FALLBACK_URL, self.location.origin).href;
  } catch {
    return new URL(FALLBACK_URL, self.location.origin).href;
  }
}

// Focus a window already showing the page, or open one.
async function openPage(url) {
  const target = url || new URL(FALLBACK_URL, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (client.url === target && "focus" in client) return client.focus();
  }
  return self.clients.openWindow(target);
}
