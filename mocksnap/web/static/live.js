// The one live feed (GET /live) as mocksnap's pages read it: the world's events, in order, each parsed; and
// the control API as they call it.
// EventSource reconnects by itself and resumes after the last event it saw (Last-Event-ID).
"use strict";

function followLive(filters, onEvent, base = "") {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const source = new EventSource(`${base}/live?${query}`);
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  return source;
}

// The control API as mocksnap's pages call it: with the server's admin token (--admin-token) when the page's
// address carries it after the # (`/wallboard#token=...`): a fragment never leaves the browser, so the token
// shows in no request line or log.
function fetchAdmin(path, init = {}) {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const headers = { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  return fetch(path, { cache: "no-store", ...init, headers });
}
