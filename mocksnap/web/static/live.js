// The one live feed (GET /live) as mocksnap's pages read it: the world's events, in order, each parsed.
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
