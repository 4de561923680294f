/* Service worker of the digital pass, served from /pass/sw.js: its scope is /pass/ only.

   The page asks it to keep the page and its files ("keep"). Pages are fetched from the
   server first and kept when they answer; without a connection the kept copy is shown. A page
   the server no longer knows (a blocked pass, a replaced link) is forgotten. Other files come
   from the kept copy first and are refreshed in the background. */
"use strict";

var CACHE = "vrijuit-pass-v1";
var MATCH = { ignoreVary: true };

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
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
              return name.indexOf("vrijuit-pass-") === 0 && name !== CACHE;
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
    return typeof url === "string" && sameOrigin(url);
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
      var copy = response.clone();
      event.waitUntil(
        caches.open(CACHE).then(function (cache) {
          if (response.ok) {
            return cache.put(request.url, copy);
          }
          if (response.status === 404 || response.status === 410) {
            return cache.delete(request.url, MATCH);
          }
          return undefined;
        })
      );
      return response;
    },
    function () {
      return caches.match(request.url, MATCH).then(function (kept) {
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
  if (request.method !== "GET" || !sameOrigin(request.url)) {
    return;
  }
  event.respondWith(request.mode === "navigate" ? fromServerFirst(event) : fromKeptFirst(event));
});
