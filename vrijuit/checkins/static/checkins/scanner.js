/* The scanner page (/scan/): check passes in at the door through the JSON API.

   - Session mode (a logged-in member): the page's session cookie, the CSRF token of the form
     and the network in the X-Vrijuit-Network header. Device mode: a device token (an
     organiser's API token) kept in localStorage, sent as a bearer token.
   - Every scan gets an idempotency key and its scan time. Without a connection it waits in
     IndexedDB and is sent, in order and with the same key, when the connection returns (the
     "online" event, a timer, the next page load). A scan leaves the queue only after a
     definitive answer of the server: accepted, or refused with a problem (4xx). Network
     errors, 5xx, 429 and a login that ended keep it.
   - Without a connection the scanner answers from what it downloaded while online
     (/checkin-offline-data, kept in IndexedDB, refreshed every few minutes): each pass as a
     short keyed hash (HMAC-SHA256 with Web Crypto) with its state per day, the dates it is
     checked in at and what the yearly limits leave, plus this device's own scans. Blocked,
     no reduced tariff, already checked in and limit reached are refused (red) as online; a
     pass it cannot decide is kept "subject to confirmation" (amber). Data older than a few
     hours makes every answer "subject to confirmation". No names are kept (docs/privacy.md).
   - Camera: BarcodeDetector where the browser has it, else the vendored jsQR, loaded only
     then. The QR code on the cards holds the 13-digit pass number only.
   - All texts come translated from the page (the JSON block "scanner-config"). */
(function () {
  "use strict";

  var configElement = document.getElementById("scanner-config");
  if (!configElement) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var S = config.strings;
  var TOKEN_KEY = "vrijuit-scanner-token";
  var DATES_KEY = "vrijuit-scanner-dates";
  var DB_NAME = "vrijuit-scanner";
  var STORE = "queue";
  var OFFLINE_STORE = "offline";
  var RECENT_STORE = "recent";
  var SYNC_EVERY_MS = 20000;
  var DATES_EVERY_MS = 60000;
  var CLOCK_SLACK_MS = 5 * 60 * 1000;
  var locale = { nl: "nl-BE", fr: "fr-BE", en: "en-BE" }[config.language] || "nl-BE";

  var el = function (id) {
    return document.getElementById(id);
  };
  var form = el("scan-form");
  var numberInput = el("pass-number");
  var answer = el("answer");
  var connection = el("connection");
  var datesList = el("dates");
  var dates = config.dates || [];
  var token = null;
  var syncing = false;
  var busy = false;
  var offline = null; // {data, receivedAt, index: Map(hash -> states)}
  var hmacKeys = {};

  /* --- small helpers ----------------------------------------------------------------- */

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function money(value) {
    if (value === null || value === undefined || value === "") {
      return "";
    }
    return new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(
      Number(value)
    );
  }

  function clock(iso) {
    return new Intl.DateTimeFormat(locale, {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Europe/Brussels",
    }).format(new Date(iso));
  }

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined && text !== null) {
      element.textContent = text;
    }
    return element;
  }

  function normalise(text) {
    return (text || "").replace(/[\s.\-]/g, "");
  }

  function luhnDigit(payload) {
    var total = 0;
    for (var index = 0; index < payload.length; index++) {
      var digit = Number(payload.charAt(payload.length - 1 - index));
      if (index % 2 === 0) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      total += digit;
    }
    return String((10 - (total % 10)) % 10);
  }

  function isValidNumber(number) {
    return /^[0-9]{13}$/.test(number) && luhnDigit(number.slice(0, 12)) === number.charAt(12);
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function isoNow() {
    var now = new Date();
    var pad = function (n) {
      return String(Math.floor(Math.abs(n))).padStart(2, "0");
    };
    var offset = -now.getTimezoneOffset();
    return (
      now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
      "T" + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()) +
      (offset >= 0 ? "+" : "-") + pad(offset / 60) + ":" + pad(offset % 60)
    );
  }

  function localDay() {
    return isoNow().slice(0, 10);
  }

  /* --- who we are ---------------------------------------------------------------------- */

  function takeTokenFromLink() {
    // /scan/#token=<raw token>: the fragment never reaches the server. Keep it, then remove
    // it from the address bar (and from the history). Returns the token, if any.
    var match = /^#token=(.+)$/.exec(location.hash);
    if (!match) {
      return null;
    }
    var raw = decodeURIComponent(match[1]).trim();
    try {
      localStorage.setItem(TOKEN_KEY, raw);
    } catch (error) {
      /* storage refused: kept for this page only */
    }
    history.replaceState(null, "", location.pathname + location.search);
    return raw || null;
  }

  function storedToken() {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch (error) {
      return null;
    }
  }

  function owner() {
    return config.mode === "session" ? "session:" + config.network : "device";
  }

  function csrfToken() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, path, body) {
    var headers = { Accept: "application/json", "Accept-Language": config.language };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (config.mode === "session") {
      headers["X-CSRFToken"] = csrfToken();
      headers[config.networkHeader] = config.network;
    } else if (token) {
      headers.Authorization = "Bearer " + token;
    }
    return fetch(config.api + path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { status: response.status, data: data };
        });
    });
  }

  /* --- the big answer ------------------------------------------------------------------ */

  function show(kind, lines) {
    var panel = node("div", "answer answer--" + kind);
    lines.forEach(function (line) {
      if (line && line[1]) {
        panel.appendChild(node("p", line[0], line[1]));
      }
    });
    answer.replaceChildren(panel);
    if (answer.scrollIntoView) {
      answer.scrollIntoView({ block: "nearest" });
    }
  }

  function showAccepted(data) {
    show("ok", [
      ["answer__name", data.first_name || ""],
      ["answer__main", fill(S.charge, { amount: money(data.price_to_pay) })],
      ["", fill(S.insteadOf, { regular: money(data.regular_price) })],
      ["", data.grace_period ? S.grace : ""],
    ]);
  }

  function refusalText(data) {
    var known = config.refusals[data.code];
    return {
      title: known ? known.title : S.refused,
      detail: data.detail || (known ? known.detail : ""),
    };
  }

  function showRefused(title, detail) {
    show("refused", [
      ["answer__main", title],
      ["answer__detail", detail],
    ]);
  }

  function showOfflineAnswer(verdict, waiting) {
    var checked = fill(S.checkedOffline, { time: offline ? whenKept() : "" });
    var stale = offline && verdict.stale ? staleText() : "";
    if (verdict.kind === "refused") {
      var text = refusalText({ code: verdict.code });
      show("refused", [
        ["answer__main", text.title],
        ["answer__detail", text.detail],
        ["", offline ? checked : ""],
        ["", stale],
      ]);
      return;
    }
    if (verdict.kind === "ok") {
      var charge = fill(S.charge, { amount: money(verdict.date.reduced_price) });
      show(stale ? "offline" : "ok", [
        ["answer__main", stale ? S.provisional : charge],
        ["answer__main", stale ? charge : ""],
        ["", fill(S.insteadOf, { regular: money(verdict.date.regular_price) })],
        ["", verdict.grace ? S.grace : ""],
        ["", checked + " " + S.sentLater],
        ["", stale],
        ["", fill(S.waiting, { count: waiting })],
      ]);
      return;
    }
    show("offline", [
      ["answer__main", S.provisional],
      ["answer__detail", verdict.reason],
      ["", stale],
      ["", S.savedOfflineDetail],
      ["", fill(S.waiting, { count: waiting })],
    ]);
  }

  /* --- the dates of today -------------------------------------------------------------- */

  function chosenDate() {
    var checked = form.querySelector("input[name=occurrence]:checked");
    if (!checked) {
      return null;
    }
    for (var i = 0; i < dates.length; i++) {
      if (String(dates[i].id) === checked.value) {
        return dates[i];
      }
    }
    return { id: checked.value };
  }

  function signature(rows) {
    return JSON.stringify(
      rows.map(function (row) {
        return [
          String(row.id), row.activity, row.organiser, Date.parse(row.start),
          row.end ? Date.parse(row.end) : null, row.cancelled, row.open_for_checkin,
          String(row.reduced_price), String(row.regular_price),
        ];
      })
    );
  }

  function renderDates(rows) {
    if (datesList.children.length && signature(rows) === signature(dates)) {
      dates = rows;
      return;
    }
    if (datesList.contains(document.activeElement) && datesList.children.length) {
      return; // never pull the list away from under someone choosing a date
    }
    var previous = chosenDate();
    var keep = previous ? previous.id : null;
    if (!keep) {
      var open = rows.filter(function (row) {
        return row.open_for_checkin && !row.cancelled;
      })[0];
      keep = open ? open.id : null;
    }
    dates = rows;
    var items = rows.map(function (row, index) {
      var item = node("li", "date-choice");
      var input = node("input");
      input.type = "radio";
      input.name = "occurrence";
      input.id = "date-" + (index + 1);
      input.value = row.id;
      input.checked = String(row.id) === String(keep);
      input.disabled = row.cancelled;
      var label = node("label");
      label.htmlFor = input.id;
      label.appendChild(node("span", "date-choice__title", row.activity));
      var when = clock(row.start) + (row.end ? "–" + clock(row.end) : "");
      if (row.organiser && config.role !== "organiser") {
        when += " · " + row.organiser;
      }
      label.appendChild(node("span", "date-choice__when", when));
      label.appendChild(
        node(
          "span",
          "date-choice__price",
          money(row.reduced_price) + " " + fill(S.insteadOf, { regular: money(row.regular_price) })
        )
      );
      if (row.cancelled || !row.open_for_checkin) {
        label.appendChild(node("span", "date-choice__note", row.cancelled ? S.cancelledDate : S.notOpen));
      }
      item.appendChild(input);
      item.appendChild(label);
      return item;
    });
    if (!items.length) {
      items = [node("li", "date-choices__empty", S.noDates)];
    }
    datesList.replaceChildren.apply(datesList, items);
  }

  function loadDates() {
    if (!navigator.onLine) {
      return Promise.resolve();
    }
    return api("GET", "/checkin-dates")
      .then(function (result) {
        if (result.status === 200 && Array.isArray(result.data)) {
          var sameChoice = chosenDate();
          renderDates(result.data);
          if (config.mode === "device") {
            try {
              localStorage.setItem(DATES_KEY, JSON.stringify({ day: localDay(), dates: result.data }));
            } catch (error) {
              /* not kept: fine while online */
            }
          }
          if (!sameChoice) {
            loadCheckins();
          }
        } else if (result.status === 401 && config.mode === "device") {
          disconnect(S.tokenRefused);
        }
      })
      .catch(function () {
        /* offline: keep the dates shown */
      });
  }

  function keptDates() {
    try {
      var kept = JSON.parse(localStorage.getItem(DATES_KEY) || "null");
      return kept && kept.day === localDay() ? kept.dates : [];
    } catch (error) {
      return [];
    }
  }

  /* --- the check-ins of the chosen date ------------------------------------------------ */

  var checkinsSection = el("checkins");
  var checkinsList = el("checkins-list");

  function loadCheckins() {
    var date = chosenDate();
    if (!date || !navigator.onLine) {
      return Promise.resolve();
    }
    return api("GET", "/checkins?occurrence=" + encodeURIComponent(date.id))
      .then(function (result) {
        if (result.status !== 200 || !Array.isArray(result.data)) {
          return;
        }
        renderCheckins(result.data);
      })
      .catch(function () {});
  }

  function renderCheckins(rows) {
    var dayAgo = Date.now() - 24 * 3600 * 1000;
    var items = rows.map(function (row) {
      var item = node("li", "scan-row");
      item.appendChild(node("span", "scan-row__time", clock(row.scanned_at)));
      item.appendChild(node("span", "scan-row__name", row.first_name || ""));
      item.appendChild(node("span", "scan-row__price", money(row.price_to_pay)));
      if (row.state === "cancelled") {
        item.appendChild(node("span", "scan-row__state", S.stateCancelled));
      } else if (row.may_cancel === undefined ? new Date(row.received_at).getTime() > dayAgo : row.may_cancel) {
        var button = node("button", "button button--small button--secondary", S.cancel);
        button.type = "button";
        button.setAttribute("aria-label", fill(S.cancelFor, { name: row.first_name || "" }));
        button.addEventListener("click", function () {
          cancelCheckin(row, button);
        });
        item.appendChild(button);
      } else if (row.cancel_refusal) {
        item.appendChild(node("span", "scan-row__state muted", row.cancel_refusal));
      }
      return item;
    });
    if (!items.length) {
      items = [node("li", "", S.noCheckins)];
    }
    checkinsList.replaceChildren.apply(checkinsList, items);
    checkinsSection.hidden = false;
  }

  function cancelCheckin(row, button) {
    button.disabled = true;
    api("POST", "/checkins/" + encodeURIComponent(row.id) + "/cancel", {})
      .then(function (result) {
        if (result.status === 200) {
          show("ok", [
            ["answer__detail", fill(S.cancelledCheckin, { name: row.first_name || "", amount: money(row.price_to_pay) })],
          ]);
        } else {
          var text = refusalText(result.data);
          showRefused(text.title, text.detail);
        }
        return loadCheckins();
      })
      .catch(function () {
        button.disabled = false;
        showRefused(S.refused, S.offline);
      });
  }

  /* --- the offline queue (IndexedDB) --------------------------------------------------- */

  var dbPromise = null;

  function database() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 2);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(STORE)) {
            db.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
          }
          if (!db.objectStoreNames.contains(OFFLINE_STORE)) {
            db.createObjectStore(OFFLINE_STORE, { keyPath: "owner" });
          }
          if (!db.objectStoreNames.contains(RECENT_STORE)) {
            db.createObjectStore(RECENT_STORE, { keyPath: "seq", autoIncrement: true });
          }
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return dbPromise;
  }

  function store(mode, work, name) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name || STORE, mode);
        var result = work(transaction.objectStore(name || STORE));
        transaction.oncomplete = function () {
          resolve(result && "result" in result ? result.result : undefined);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function queued() {
    return store("readonly", function (objects) {
      return objects.getAll();
    }).then(function (items) {
      return (items || []).filter(function (item) {
        return item.owner === owner();
      });
    });
  }

  function enqueue(item) {
    return store("readwrite", function (objects) {
      return objects.add(item);
    });
  }

  function dequeue(seq) {
    return store("readwrite", function (objects) {
      return objects.delete(seq);
    });
  }

  /* --- answering without a connection ------------------------------------------------- */

  var offlineLine = el("offline-data");

  function hexBytes(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) {
      bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  // The pass number as the kept data knows it: the first characters of HMAC-SHA256(key, number).
  function passHash(number) {
    if (!offline || !window.crypto || !window.crypto.subtle || !window.TextEncoder) {
      return Promise.resolve(null);
    }
    var data = offline.data;
    if (!hmacKeys[data.key]) {
      hmacKeys[data.key] = window.crypto.subtle.importKey(
        "raw", hexBytes(data.key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]
      );
    }
    return hmacKeys[data.key]
      .then(function (key) {
        return window.crypto.subtle.sign("HMAC", key, new TextEncoder().encode(number));
      })
      .then(function (signature) {
        return Array.prototype.map
          .call(new Uint8Array(signature), function (b) {
            return (b + 0x100).toString(16).slice(1);
          })
          .join("")
          .slice(0, data.hash_length);
      })
      .catch(function () {
        return null;
      });
  }

  function useOffline(record) {
    if (!record || !record.data || !Array.isArray(record.data.passes)) {
      offline = null;
    } else {
      var index = new Map();
      record.data.passes.forEach(function (group) {
        group.hashes.forEach(function (hash) {
          index.set(hash, group.states);
        });
      });
      offline = { data: record.data, receivedAt: record.receivedAt, index: index };
    }
    showOfflineData();
  }

  function isStale() {
    if (!offline) {
      return true;
    }
    var age = Date.now() - offline.receivedAt;
    return age < -CLOCK_SLACK_MS || age > offline.data.stale_after_hours * 3600 * 1000;
  }

  function whenKept() {
    var at = new Date(offline.receivedAt);
    var options = { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels" };
    if (at.toDateString() !== new Date().toDateString()) {
      options.day = "numeric";
      options.month = "numeric";
    }
    return new Intl.DateTimeFormat(locale, options).format(at);
  }

  function staleText() {
    return fill(S.staleNote, { time: whenKept(), hours: offline.data.stale_after_hours });
  }

  function showOfflineData() {
    if (!offlineLine) {
      return;
    }
    var stale = offline && isStale();
    var text = offline ? (stale ? staleText() : fill(S.offlineReady, { time: whenKept() })) : "";
    offlineLine.hidden = !offline;
    offlineLine.classList.toggle("offline-data--stale", Boolean(stale));
    if (offlineLine.textContent !== text) {
      offlineLine.textContent = text;
    }
  }

  function restoreOffline() {
    return store(
      "readonly",
      function (objects) {
        return objects.get(owner());
      },
      OFFLINE_STORE
    )
      .then(useOffline)
      .catch(function () {
        useOffline(null);
      });
  }

  function forgetOffline() {
    useOffline(null);
    return Promise.all([
      store(
        "readwrite",
        function (objects) {
          return objects.delete(owner());
        },
        OFFLINE_STORE
      ),
      pruneRecent(Infinity, null),
    ]).catch(function () {});
  }

  // Logged out: the kept data of a login on this browser is not needed any more.
  function forgetSessionData() {
    return store("readwrite", function (objects) {
      var request = objects.openCursor();
      request.onsuccess = function () {
        var cursor = request.result;
        if (!cursor) {
          return;
        }
        if (String(cursor.value.owner).indexOf("session:") === 0) {
          cursor.delete();
        }
        cursor.continue();
      };
    }, OFFLINE_STORE).catch(function () {});
  }

  var loadingOffline = null;

  // One download at a time; scans sent since are known by their hashes (rememberAccepted).
  function loadOffline() {
    if (!navigator.onLine || (config.mode === "device" && !token)) {
      return Promise.resolve();
    }
    if (!loadingOffline) {
      loadingOffline = downloadOffline().then(function () {
        loadingOffline = null;
      });
    }
    return loadingOffline;
  }

  function downloadOffline() {
    var requestedAt = Date.now();
    return api("GET", "/checkin-offline-data")
      .then(function (result) {
        if (result.status !== 200 || !result.data || !Array.isArray(result.data.passes)) {
          return;
        }
        var record = { owner: owner(), data: result.data, receivedAt: Date.now() };
        useOffline(record);
        document.documentElement.setAttribute("data-offline-data", result.data.generated_at);
        return store(
          "readwrite",
          function (objects) {
            return objects.put(record);
          },
          OFFLINE_STORE
        ).then(function () {
          // what was accepted before this download is in it now
          return pruneRecent(requestedAt, record.data.key);
        });
      })
      .catch(function () {
        /* keep what was kept */
      });
  }

  // Accepted scans that the kept data does not know yet: by hash, never by number.
  function recentScans() {
    return store("readonly", function (objects) {
      return objects.getAll();
    }, RECENT_STORE)
      .then(function (items) {
        return (items || []).filter(function (item) {
          return item.owner === owner() && offline && item.key === offline.data.key;
        });
      })
      .catch(function () {
        return [];
      });
  }

  function pruneRecent(before, key) {
    return store("readwrite", function (objects) {
      var request = objects.openCursor();
      request.onsuccess = function () {
        var cursor = request.result;
        if (!cursor) {
          return;
        }
        var item = cursor.value;
        if (item.owner === owner() && (item.at < before || item.key !== key)) {
          cursor.delete();
        }
        cursor.continue();
      };
    }, RECENT_STORE).catch(function () {});
  }

  function offlineDate(id) {
    var rows = offline ? offline.data.dates : [];
    for (var i = 0; i < rows.length; i++) {
      if (String(rows[i].id) === String(id)) {
        return rows[i];
      }
    }
    return null;
  }

  function rememberAccepted(item, data) {
    var date = offlineDate(item.occurrence);
    if (!date) {
      return Promise.resolve();
    }
    var key = offline.data.key;
    return passHash(item.pass_number).then(function (hash) {
      if (!hash) {
        return;
      }
      return store("readwrite", function (objects) {
        return objects.add({
          owner: owner(),
          key: key,
          hash: hash,
          occurrence: item.occurrence,
          activity: date.activity_id,
          discount: data.discount,
          reimbursement: data.reimbursement,
          year: Number(localDay().slice(0, 4)),
          at: Date.now(),
        });
      }, RECENT_STORE).catch(function () {});
    });
  }

  function cents(value) {
    return Math.round(Number(value || 0) * 100);
  }

  function total(items, field) {
    return items.reduce(function (sum, item) {
      return sum + cents(item[field]);
    }, 0);
  }

  // The check-in rules as far as the kept data and this device's own scans can answer them.
  // Resolves {kind: "ok" | "refused" | "unsure", code, date, grace, stale}.
  function judge(item) {
    return Promise.all([queued(), recentScans(), passHash(item.pass_number)]).then(function (found) {
      var hash = found[2];
      var year = Number(localDay().slice(0, 4));
      var mine = found[0]
        .filter(function (scan) {
          return scan.pass_number === item.pass_number;
        })
        .concat(
          found[1].filter(function (scan) {
            return hash && scan.hash === hash;
          })
        );
      var answer = { stale: isStale() };
      var refuse = function (code) {
        answer.kind = "refused";
        answer.code = code;
        return answer;
      };
      var unsure = function (reason) {
        answer.kind = "unsure";
        answer.reason = reason;
        return answer;
      };
      if (mine.some(function (scan) { return scan.occurrence === item.occurrence; })) {
        return refuse("already_checked_in"); // rule 6, on this device
      }
      var date = offlineDate(item.occurrence);
      var day = offline ? offline.data.days.indexOf(localDay()) : -1;
      if (!date || day < 0 || !hash) {
        return unsure(S.cannotCheck);
      }
      answer.date = date;
      var now = Date.now();
      if (date.cancelled || now < Date.parse(date.opens) || now >= Date.parse(date.closes)) {
        return refuse("occurrence_closed"); // rule 4
      }
      var states = offline.index.get(hash);
      if (!states) {
        return answer.stale ? unsure(S.notInData) : refuse("unknown_pass"); // rule 2
      }
      var state = states[day];
      if (state === "blocked") {
        return refuse("pass_blocked"); // rule 3
      }
      if (state === "unsure") {
        return unsure(S.cannotCheck);
      }
      if (state !== "active" && state !== "grace") {
        return refuse("no_valid_status"); // rule 5
      }
      var history = offline.data.history[hash] || {};
      if ((history.checked_in || []).indexOf(item.occurrence) >= 0) {
        return refuse("already_checked_in"); // rule 6
      }
      var limits = offline.data.limits;
      if (year === offline.data.year) {
        var thisYear = mine.filter(function (scan) {
          return scan.year === year;
        });
        var most = limits.checkins_per_activity_per_year;
        if (most !== null && most !== undefined) {
          var left = history.checkins_left && date.activity_id in history.checkins_left
            ? history.checkins_left[date.activity_id]
            : most;
          left -= thisYear.filter(function (scan) {
            return scan.activity === date.activity_id;
          }).length;
          if (left <= 0) {
            return refuse("limit_reached"); // rule 7, per activity
          }
        }
        var discount = cents(date.discount);
        if (limits.discount_per_year !== null && limits.discount_per_year !== undefined && discount > 0) {
          var room = history.discount_left !== null && history.discount_left !== undefined
            ? history.discount_left
            : limits.discount_per_year;
          if (discount > cents(room) - total(thisYear, "discount")) {
            return refuse("limit_reached"); // rule 7, discount
          }
        }
        var reimbursement = cents(date.reimbursement);
        if (limits.budget_left !== null && limits.budget_left !== undefined && reimbursement > 0) {
          var spent = total(found[0].concat(found[1]).filter(function (scan) {
            return scan.year === year;
          }), "reimbursement");
          if (reimbursement > cents(limits.budget_left) - spent) {
            return refuse("budget_exhausted"); // rule 8, as far as this device knows
          }
        }
      }
      answer.kind = "ok";
      answer.grace = state === "grace";
      return answer;
    });
  }

  function renderQueue() {
    return queued()
      .then(function (items) {
        el("queue").hidden = items.length === 0;
        el("queue-count").textContent = fill(S.waiting, { count: items.length });
        var rows = items.map(function (item) {
          var row = node("li", "scan-row scan-row--waiting");
          row.appendChild(node("span", "scan-row__time", clock(item.scanned_at)));
          row.appendChild(node("span", "scan-row__name", fill(S.passEnding, { digits: item.pass_number.slice(-4) })));
          row.appendChild(node("span", "scan-row__price", item.expected ? money(item.expected) : ""));
          return row;
        });
        el("queue-list").replaceChildren.apply(el("queue-list"), rows);
        return items.length;
      })
      .catch(function () {
        return 0;
      });
  }

  function addSynced(item, kind, lines) {
    var row = node("li", "scan-row scan-row--" + kind);
    row.appendChild(node("span", "scan-row__time", clock(item.scanned_at)));
    row.appendChild(node("span", "scan-row__name", lines[0]));
    row.appendChild(node("span", "scan-row__price", lines[1]));
    if (lines[2]) {
      row.appendChild(node("span", "scan-row__detail", lines[2]));
    }
    var list = el("synced-list");
    list.insertBefore(row, list.firstChild);
    el("synced").hidden = false;
  }

  function body(item) {
    return {
      pass_number: item.pass_number,
      occurrence: item.occurrence,
      idempotency_key: item.idempotency_key,
      scanned_at: item.scanned_at,
    };
  }

  // "ok" and "refused" are definitive; "retry" (network, 5xx, 429) and "auth" keep the scan.
  function verdict(status) {
    if (status >= 200 && status < 300) {
      return "ok";
    }
    if (status === 401 || status === 403) {
      return "auth";
    }
    if (status === 408 || status === 429 || status >= 500) {
      return "retry";
    }
    return "refused";
  }

  function send(item) {
    return api("POST", "/checkins", body(item)).then(
      function (result) {
        return { kind: verdict(result.status), data: result.data };
      },
      function () {
        return { kind: "retry", data: {} };
      }
    );
  }

  function authProblem() {
    if (config.mode === "session") {
      showRefused(S.refused, S.loginEnded);
      var link = node("a", "", S.logIn);
      link.href = config.loginUrl;
      var line = node("p");
      line.appendChild(link);
      answer.firstChild.appendChild(line);
    } else {
      disconnect(S.tokenRefused);
    }
  }

  function sync() {
    if (syncing || !navigator.onLine || (config.mode === "device" && !token)) {
      return Promise.resolve();
    }
    syncing = true;
    var sent = 0;
    return queued()
      .then(function (items) {
        // One after the other, oldest first: a duplicate at sync time is refused, and shown.
        return items.reduce(function (previous, item) {
          return previous.then(function (stop) {
            if (stop) {
              return true;
            }
            return send(item).then(function (result) {
              if (result.kind === "retry") {
                return true;
              }
              if (result.kind === "auth") {
                authProblem();
                return true;
              }
              return dequeue(item.seq).then(function () {
                sent += 1;
                if (result.kind === "ok") {
                  rememberAccepted(item, result.data);
                  addSynced(item, "ok", [
                    result.data.first_name || fill(S.passEnding, { digits: item.pass_number.slice(-4) }),
                    fill(S.charge, { amount: money(result.data.price_to_pay) }),
                  ]);
                } else {
                  var text = refusalText(result.data);
                  addSynced(item, "refused", [
                    fill(S.passEnding, { digits: item.pass_number.slice(-4) }),
                    text.title,
                    text.detail,
                  ]);
                }
                return false;
              });
            });
          });
        }, Promise.resolve(false));
      })
      .catch(function () {})
      .then(function () {
        syncing = false;
        return renderQueue();
      })
      .then(function () {
        if (sent) {
          loadCheckins();
        }
      });
  }

  /* --- one scan -------------------------------------------------------------------------- */

  function keepOffline(item) {
    return judge(item)
      .then(function (verdict) {
        if (verdict.kind === "refused") {
          showOfflineAnswer(verdict, 0);
          return;
        }
        item.offline = verdict.kind;
        item.expected = verdict.kind === "ok" ? verdict.date.reduced_price : null;
        if (verdict.date) {
          item.activity = verdict.date.activity_id;
          item.discount = verdict.date.discount;
          item.reimbursement = verdict.date.reimbursement;
        }
        item.year = Number(localDay().slice(0, 4));
        return enqueue(item)
          .then(renderQueue)
          .then(function (waiting) {
            showOfflineAnswer(verdict, waiting);
          });
      })
      .catch(function () {
        showRefused(S.refused, S.serverProblem);
      });
  }

  function scan() {
    if (busy) {
      return; // a second press while the first is on its way would check in twice
    }
    var date = chosenDate();
    var number = normalise(numberInput.value);
    if (!date) {
      showRefused(S.refused, S.chooseDate);
      return;
    }
    if (!isValidNumber(number)) {
      var invalid = config.refusals.invalid_pass_number;
      showRefused(invalid.title, invalid.detail);
      numberInput.focus();
      return;
    }
    var item = {
      owner: owner(),
      pass_number: number,
      occurrence: String(date.id),
      idempotency_key: newKey(),
      scanned_at: isoNow(),
      expected: null,
    };
    numberInput.value = "";
    busy = true;
    form.setAttribute("aria-busy", "true");
    var done = function () {
      busy = false;
      form.removeAttribute("aria-busy");
    };
    if (!navigator.onLine) {
      keepOffline(item).then(done);
      return;
    }
    show("offline", [["answer__main", S.sending]]);
    send(item).then(function (result) {
      if (result.kind === "ok") {
        done();
        showAccepted(result.data);
        rememberAccepted(item, result.data);
        loadCheckins();
        sync();
      } else if (result.kind === "refused") {
        done();
        var text = refusalText(result.data);
        showRefused(text.title, text.detail);
      } else if (result.kind === "auth") {
        done();
        authProblem();
      } else {
        keepOffline(item).then(done);
      }
    });
  }

  /* --- camera ---------------------------------------------------------------------------- */

  var camera = { stream: null, timer: null, detector: null, canvas: null };
  var video = el("camera-video");

  function loadJsQR() {
    if (window.jsQR) {
      return Promise.resolve(window.jsQR);
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = config.jsqr;
      script.onload = function () {
        resolve(window.jsQR);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function chooseDecoder() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats()
        .then(function (formats) {
          if (formats.indexOf("qr_code") < 0) {
            throw new Error("no qr_code");
          }
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return function (source) {
            return detector.detect(source).then(function (codes) {
              return codes.length ? codes[0].rawValue : null;
            });
          };
        })
        .catch(jsQRDecoder);
    }
    return jsQRDecoder();
  }

  function jsQRDecoder() {
    return loadJsQR().then(function (decode) {
      camera.canvas = camera.canvas || document.createElement("canvas");
      var context = camera.canvas.getContext("2d", { willReadFrequently: true });
      return function (source) {
        var width = source.videoWidth;
        var height = source.videoHeight;
        if (!width || !height) {
          return Promise.resolve(null);
        }
        camera.canvas.width = width;
        camera.canvas.height = height;
        context.drawImage(source, 0, 0, width, height);
        var image = context.getImageData(0, 0, width, height);
        var code = decode(image.data, width, height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function stopCamera() {
    if (camera.timer) {
      clearTimeout(camera.timer);
      camera.timer = null;
    }
    if (camera.stream) {
      camera.stream.getTracks().forEach(function (track) {
        track.stop();
      });
      camera.stream = null;
    }
    if (video) {
      video.srcObject = null;
    }
    el("camera").hidden = true;
  }

  function startCamera() {
    var status = el("camera-status");
    el("camera").hidden = false;
    status.textContent = S.cameraHelp;
    Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false }),
      chooseDecoder(),
    ])
      .then(function (results) {
        camera.stream = results[0];
        var decode = results[1];
        video.srcObject = camera.stream;
        return video.play().then(function () {
          var tick = function () {
            if (!camera.stream) {
              return;
            }
            decode(video)
              .then(function (text) {
                var number = normalise(text || "");
                if (/^[0-9]{13}$/.test(number)) {
                  stopCamera();
                  numberInput.value = number;
                  scan();
                  return;
                }
                camera.timer = setTimeout(tick, 200);
              })
              .catch(function () {
                camera.timer = setTimeout(tick, 400);
              });
          };
          tick();
        });
      })
      .catch(function () {
        stopCamera();
        showRefused(S.refused, S.cameraFailed);
      });
  }

  /* --- device mode ----------------------------------------------------------------------- */

  function connected(isConnected) {
    el("device-setup").hidden = isConnected;
    el("device-connected").hidden = !isConnected;
    form.hidden = !isConnected;
  }

  function disconnect(reason) {
    token = null;
    try {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(DATES_KEY);
    } catch (error) {
      /* nothing kept */
    }
    forgetOffline();
    connected(false);
    var message = el("connect-error");
    message.hidden = !reason;
    message.textContent = reason || "";
  }

  function setUpDevice() {
    var connectForm = el("connect-form");
    connectForm.hidden = false;
    connectForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = el("device-token").value.trim();
      var match = /#token=(.+)$/.exec(value);
      value = match ? decodeURIComponent(match[1]) : value;
      if (!value) {
        return;
      }
      try {
        localStorage.setItem(TOKEN_KEY, value);
      } catch (error) {
        /* kept in memory only */
      }
      el("device-token").value = "";
      el("connect-error").hidden = true;
      token = value;
      connected(true);
      loadDates().then(sync);
      loadOffline();
    });
    el("disconnect").addEventListener("click", function () {
      disconnect("");
    });
    token = linkToken || storedToken();
    connected(Boolean(token));
    if (token) {
      renderDates(keptDates());
    }
    window.addEventListener("hashchange", function () {
      // the link opened in a tab that already shows the scanner
      var fresh = takeTokenFromLink();
      if (fresh) {
        token = fresh;
        el("connect-error").hidden = true;
        connected(true);
        loadDates().then(sync);
        loadOffline();
      }
    });
  }

  /* --- connection and service worker ------------------------------------------------------ */

  function showConnection() {
    connection.hidden = false;
    connection.textContent = navigator.onLine ? S.online : S.offline;
    connection.classList.toggle("connection--offline", !navigator.onLine);
  }

  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !navigator.onLine) {
      return;
    }
    navigator.serviceWorker
      .register(config.serviceWorker, { scope: config.scope })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        var urls = [location.pathname + location.search];
        var selector = 'link[rel="stylesheet"], link[rel="manifest"], link[rel="icon"], link[rel="apple-touch-icon"], script[src]';
        document.querySelectorAll(selector).forEach(function (element) {
          urls.push(element.href || element.src);
        });
        if (registration.active) {
          var channel = new MessageChannel();
          channel.port1.onmessage = function (event) {
            if (event.data && event.data.kept) {
              document.documentElement.setAttribute("data-offline", "ready");
            }
          };
          registration.active.postMessage({ type: "keep", urls: urls }, [channel.port2]);
        }
      })
      .catch(function () {
        /* without a service worker the page still works while it stays open */
      });
  }

  /* --- start ------------------------------------------------------------------------------ */

  var linkToken = takeTokenFromLink();
  if (!form || !numberInput) {
    return;
  }
  if (config.mode === "device") {
    setUpDevice();
    forgetSessionData();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan();
  });
  datesList.addEventListener("change", function () {
    loadCheckins();
  });
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && video) {
    var cameraButton = el("camera-start");
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", startCamera);
    el("camera-stop").addEventListener("click", stopCamera);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        stopCamera();
      }
    });
    window.addEventListener("pagehide", stopCamera);
  }
  window.addEventListener("online", function () {
    showConnection();
    loadDates().then(sync).then(loadOffline);
  });
  window.addEventListener("offline", showConnection);
  showConnection();
  renderQueue();
  var ready = restoreOffline();
  if (config.mode === "session" || token) {
    loadDates().then(sync).then(loadCheckins);
    ready = ready.then(loadOffline);
  }
  setInterval(sync, SYNC_EVERY_MS);
  setInterval(loadDates, DATES_EVERY_MS);
  setInterval(showOfflineData, DATES_EVERY_MS);
  setInterval(function () {
    loadOffline();
  }, config.offlineRefreshMinutes * 60 * 1000);
  keepForOffline();
  document.documentElement.setAttribute("data-scanner", "ready");
})();
