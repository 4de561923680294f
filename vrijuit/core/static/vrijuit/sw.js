/* The one service worker of Vrijuit, for the scanner (/scan/) and the digital pass (/pass/).

   vrijuit.core.service_worker serves it from inside each scope (/scan/sw.js, /pass/sw.js), so
   that a scope is never wider than its own pages, and puts that scope's settings before this
   script as self.vrijuitServiceWorker:
     cache  the name of this scope's kept copy, "vrijuit-<scope>-v<version>"; on activation
            every other copy of the same family ("vrijuit-<scope>-") is deleted, so a new
            version starts empty;
     family the common start of those names;
     start  the page shown without a connection when the page asked for was never kept
            (the scanner's own page), or null (each digital pass is its own page).

   The same rules hold in every scope:
   - The page asks to keep the page and its files ("keep"); they are kept when the server
     answers them itself.
   - Pages come from the server first and are kept when it answers; without a connection the
     kept copy (or the start page) is shown. Other files come from the kept copy first and are
     refreshed in the background.
   - A redirect (for example to the login page) is never kept: the copy that was kept before
     stays.
   - A page or file the server no longer knows (404, 410: a blocked pass, a replaced link) is
     forgotten, so that it no longer opens without a connection either.
   - Other errors are not kept and leave the kept copy alone.
   - The API (/api/) is never kept nor answered from here: check-ins wait in the scanner's own
     queue (IndexedDB). */
"use strict";

var CONFIG = self.vrijuitServiceWorker;
var MATCH = { ignoreVary: true };

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

function isApi(url) {
  return new URL(url, self.location.href).pathname.indexOf("/api/") === 0;
}

function isGone(response) {
  return response.status === 404 || response.status === 410;
}

/* Keep what the server answered itself, forget what it no longer knows. */
function remember(cache, key, response) {
  if (response.ok && !response.redirected) {
    return cache.put(key, response);
  }
  if (isGone(response)) {
    return cache.delete(key, MATCH);
  }
  return Promise.resolve();
}

function keep(urls) {
  return caches.open(CONFIG.cache).then(function (cache) {
    return Promise.all(
      urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok || response.redirected) {
            throw new Error("not kept: " + url);
          }
          return cache.put(url, response);
        });
      })
    );
  });
}

function fromServerFirst(event) {
  var request = event.request;
  return fetch(request).then(
    function (response) {
      var copy = response.clone();
      event.waitUntil(
        caches.open(CONFIG.cache).then(function (cache) {
          return remember(cache, request.url, copy);
        })
      );
      return response;
    },
    function () {
      return caches
        .match(request.url, MATCH)
        .then(function (kept) {
          if (kept || !CONFIG.start) return kept;
          return caches.match(new URL(CONFIG.start, self.location.href).href, MATCH);
        })
        .then(function (kept) {
          return kept || Response.error();
        });
    }
  );
}

function fromKeptFirst(event) {
  var request = event.request;
  var fresh = fetch(request).then(function (response) {
    var copy = response.clone();
    return caches
      .open(CONFIG.cache)
      .then(function (cache) {
        return remember(cache, request, copy);
      })
      .then(function () {
        return response;
      });
  });
  event.waitUntil(fresh.catch(function () {}));
  return caches.match(request, MATCH).then(function (kept) {
    return kept || fresh;
  });
}

if (CONFIG) {
  self.addEventListener("install", function () {
    self.skipWaiting();
  });

  self.addEventListener("activate", function (event) {
    var family = CONFIG.family;
    event.waitUntil(
      caches
        .keys()
        .then(function (names) {
          return Promise.all(
            names
              .filter(function (name) {
                return name.indexOf(family) === 0 && name !== CONFIG.cache;
              })
              .map(function (name) {
                return caches.delete(name);
              })
          );
        })
        .then(function () {
          return self.clients.claim();
        })
    );
  });

  self.addEventListener("message", function (event) {
    var data = event.data || {};
    var port = event.ports && event.ports[0];
    if (data.type !== "keep" || !Array.isArray(data.urls)) {
      return;
    }
    var urls = data.urls.filter(function (url) {
      return typeof url === "string" && sameOrigin(url) && !isApi(url);
    });
    event.waitUntil(
      keep(urls).then(
        function () {
          if (port) port.postMessage({ kept: true });
        },
        function () {
          if (port) port.postMessage({ kept: false });
        }
      )
    );
  });

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET" || !sameOrigin(request.url) || isApi(request.url)) {
      return;
    }
    event.respondWith(request.mode === "navigate" ? fromServerFirst(event) : fromKeptFirst(event));
  });
}
