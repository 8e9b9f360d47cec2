/* Library pages offline, for the site's service worker. A plain script (not a module): the service
 * worker loads it with importScripts("/static/onward/library-offline.js") and calls, first thing in
 * its fetch handler:
 *
 *     self.addEventListener("fetch", (event) => {
 *       if (libraryOfflineFetch(event)) return;   // true: it called event.respondWith()
 *       ...the worker's own handling...
 *     });
 *
 * What it handles (and returns true for): GET requests, same origin, for
 *   - library item pages, /me/library/items/<id>/ : network first; a good answer (200, not a redirect to
 *     sign-in) is kept in the cache "onward-library-v1"; offline, the kept copy is answered, or a short
 *     "you are offline" page (503) if there is none, in the words of self.LIBRARY_OFFLINE_TEXT if set. Only the LIBRARY_KEEP_ITEMS most recently opened
 *     items are kept.
 *   - static files (/static/…) asked for by a library page, or by a static file a library page loaded
 *     (init.js imports GOV.UK Frontend and read-aloud.js): network first, kept copy offline, so a kept
 *     item looks and works as it did (at most LIBRARY_KEEP_STATIC of them).
 * Everything else returns false, untouched. Nothing is stored for other pages.
 *
 * Shared tablets: clear the cache at sign-out (caches.delete(LIBRARY_CACHE)); the worker can call
 * libraryOfflineClear(). The lead wires this into /sw.js; this file defines names only, no listeners.
 */

var LIBRARY_CACHE = "onward-library-v1";
var LIBRARY_PREFIX = "/me/library/";
var LIBRARY_ITEM_PATH = /^\/me\/library\/items\/\d+\/$/;
var LIBRARY_KEEP_ITEMS = 30;
var LIBRARY_KEEP_STATIC = 60;

function libraryOfflineFetch(event) {
  var request = event.request;
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  if (LIBRARY_ITEM_PATH.test(url.pathname)) {
    event.respondWith(libraryNetworkFirst(request, LIBRARY_ITEM_PATH, LIBRARY_KEEP_ITEMS, true));
    return true;
  }
  if (url.pathname.indexOf("/static/") === 0 && libraryAskedByLibrary(request)) {
    event.respondWith(libraryNetworkFirst(request, /^\/static\//, LIBRARY_KEEP_STATIC, false));
    return true;
  }
  return false;
}

function libraryOfflineClear() {
  return caches.delete(LIBRARY_CACHE);
}

function libraryAskedByLibrary(request) {
  if (!request.referrer) return false;
  try {
    var from = new URL(request.referrer);
    return from.origin === self.location.origin &&
      (from.pathname.indexOf(LIBRARY_PREFIX) === 0 || from.pathname.indexOf("/static/") === 0);
  } catch (e) {
    return false;
  }
}

function libraryNetworkFirst(request, kind, keep, isPage) {
  var key = new URL(request.url);
  key.hash = "";
  if (isPage) key.search = "";
  var cacheKey = key.toString();
  return fetch(request)
    .then(function (response) {
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(LIBRARY_CACHE).then(function (cache) {
          // Delete first, so the newest visit is the last key: the oldest go when there are too many.
          return cache.delete(cacheKey).then(function () {
            return cache.put(cacheKey, copy);
          }).then(function () {
            return libraryTrim(cache, kind, keep);
          });
        });
      }
      return response;
    })
    .catch(function () {
      return caches.open(LIBRARY_CACHE).then(function (cache) {
        return cache.match(cacheKey).then(function (kept) {
          if (kept) return kept;
          if (!isPage) return Response.error();
          return new Response(libraryOfflinePage(), {
            status: 503,
            headers: { "Content-Type": "text/html; charset=utf-8" },
          });
        });
      });
    });
}

// The short page for an item never kept. Its words come from the worker's LIBRARY_OFFLINE_TEXT
// ({lang, title, heading, body}), which /sw.js fills in the language of the person who fetched it.
function libraryOfflinePage() {
  var text = self.LIBRARY_OFFLINE_TEXT || {};
  return (
    '<!DOCTYPE html><html lang="' + libraryEscape(text.lang || "en-GB") + '"><head><meta charset="utf-8">' +
    "<title>" + libraryEscape(text.title || "Offline") + "</title>" +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>' +
    "<h1>" + libraryEscape(text.heading || "You are offline") + "</h1>" +
    "<p>" + libraryEscape(text.body || "This page has not been saved on this device. Try again when you are connected.") +
    "</p></body></html>"
  );
}

function libraryEscape(value) {
  return String(value).replace(/[&<>"]/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
  });
}

function libraryTrim(cache, kind, keep) {
  return cache.keys().then(function (requests) {
    var matching = requests.filter(function (r) {
      return kind.test(new URL(r.url).pathname);
    });
    var extra = matching.slice(0, Math.max(0, matching.length - keep));
    return Promise.all(extra.map(function (r) {
      return cache.delete(r);
    }));
  });
}
