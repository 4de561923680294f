/* The digital pass: register the service worker that keeps this page for use without internet.
   No inline script (the Content-Security-Policy forbids it); the worker's address comes from
   the data-service-worker attribute of this script's tag. */
(function () {
  "use strict";
  var tag = document.querySelector("script[data-service-worker]");
  if (!tag || !("serviceWorker" in navigator) || !navigator.onLine) {
    return;
  }

  function pageFiles() {
    var urls = [location.href.split("#")[0]];
    var selector = 'link[rel="stylesheet"], link[rel="manifest"], link[rel="icon"], script[src]';
    document.querySelectorAll(selector).forEach(function (element) {
      urls.push(element.href || element.src);
    });
    return urls;
  }

  function keepForOffline(registration) {
    var worker = registration.active;
    if (!worker) {
      return;
    }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      if (event.data && event.data.kept) {
        document.documentElement.setAttribute("data-offline", "ready");
        var note = document.getElementById("offline-note");
        if (note) {
          note.hidden = false;
        }
      }
    };
    worker.postMessage({ type: "keep", urls: pageFiles() }, [channel.port2]);
  }

  navigator.serviceWorker
    .register(tag.getAttribute("data-service-worker"))
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(keepForOffline)
    .catch(function () {
      /* Without a service worker the pass still works online. */
    });
})();
