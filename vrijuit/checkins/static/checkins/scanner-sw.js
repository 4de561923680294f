/* Service worker of the scanner page, served from /scan/sw.js: its scope is /scan/ only.

   The page asks it to keep the page and its files ("keep"), so that the scanner opens
   without internet after a first visit. Pages are fetched from the server first and kept
   when they answer; without a connection the kept copy is shown. Other files come from the
   kept copy first and are refreshed in the background. The API (/api/) is never kept nor
   answered from here: check-ins wait in the page's own queue (IndexedDB). */
"use strict";

var CACHE = "vrijuit-scanner-v1";
var MATCH = { ignoreVary: true };

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

function isApi(url) {
  return new URL(url, self.location.href).pathname.indexOf("/api/") === 0;
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("vrijuit-scanner-") === 0 && name !== CACHE;
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
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(urls);
      })
      .then(
        function () {
          if (port) port.postMessage({ kept: true });
        },
        function () {
          if (port) port.postMessage({ kept: false });
        }
      )
  );
});

function fromServerFirst(event) {
  var request = event.request;
  return fetch(request).then(
    function (response) {
      // Keep the page only as the server gave it to this phone; never a redirect (a login
      // page) or an error.
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        event.waitUntil(
          caches.open(CACHE).then(function (cache) {
            return cache.put(request.url, copy);
          })
        );
      }
      return response;
    },
    function () {
      return caches.match(request.url, MATCH).then(function (kept) {
        return kept || caches.match(new URL("./", self.location.href).href, MATCH);
      }).then(function (kept) {
        return kept || Response.error();
      });
    }
  );
}

function fromKeptFirst(event) {
  var request = event.request;
  var fresh = fetch(request).then(function (response) {
    if (!response.ok) {
      return response;
    }
    var copy = response.clone();
    return caches
      .open(CACHE)
      .then(function (cache) {
        return cache.put(request, copy);
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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url) || isApi(request.url)) {
    return;
  }
  event.respondWith(request.mode === "navigate" ? fromServerFirst(event) : fromKeptFirst(event));
});
