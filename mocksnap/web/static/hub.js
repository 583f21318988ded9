// The agent Hub: one agent's view of the world, followed live, and their Hub SDK apps in iframes.
// Everything shown is reloaded from GET /__admin/hub/{agent} when the live feed says something changed;
// every action is a control API call (the same world commands as any other client); what the apps get
// comes from GET /__admin/hub/{agent}/sdk-events, and what they post goes to POST .../messages.
"use strict";

const agentParam = new URLSearchParams(location.search).get("agent") || "";
const api = `/__admin/hub/${encodeURIComponent(agentParam)}`;
const $ = (id) => document.getElementById(id);

let view = null; // the last view of the world loaded
let selected = null; // the caseId shown
let shownCase = null; // its chat view (from view, or loaded on its own once it has ended)
let shownStatus = null; // the agent's status and sub-status the controls were last set to
let sdkSeq = 0; // the world events read for the apps so far
let sdkLatest = 0; // the newest world event the live feed brought
let sdkChain = Promise.resolve();
let reloadChain = Promise.resolve();
let reloadPending = false;
const apps = new Map(); // link URL -> {iframe, origin, ready, queue}
const WEATHER = { temperature_celsius: 21, temperature_fahrenheit: 69.8, description: "Sunny" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "onclick") node.addEventListener("click", value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetchAdmin(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.message) || `HTTP ${response.status}`);
  return data;
}

function notice(text) {
  $("notice").textContent = text;
}

async function attempt(what) {
  try {
    notice("");
    return await what();
  } catch (error) {
    notice(error.message);
    return undefined;
  }
}

function caseAction(caseId, action, body) {
  return attempt(() => call("POST", `/__admin/cases/${caseId}/${action}`, body));
}

// -- the view ------------------------------------------------------------------------------------------

function reload() {
  if (reloadPending) return reloadChain;
  reloadPending = true;
  reloadChain = reloadChain.then(async () => {
    reloadPending = false;
    try {
      view = await call("GET", api);
    } catch (error) {
      notice(error.message);
      return;
    }
    await loadShownCase();
    render();
    openApps();
  });
  return reloadChain;
}

async function loadShownCase() {
  const all = view ? [...view.chats, ...view.offered, ...view.handedOn] : [];
  shownCase = all.find((chat) => chat.caseId === selected) || null;
  if (!shownCase && selected) {
    try {
      shownCase = await call("GET", `/__admin/cases/${selected}`);
    } catch (error) {
      selected = null;
    }
  }
}

function summary(chat) {
  const first = chat.entries.find((entry) => entry.sender === "VISITOR");
  const who = chat.visitor.name || chat.visitor.email || "visitor";
  return `${who}: ${first ? first.message : "(no message)"}`;
}

function renderList(id, chats, button) {
  const list = $(id);
  list.replaceChildren();
  for (const chat of chats) {
    const item = el("li", { "data-case": chat.caseId });
    const label = el("a", { href: "#", onclick: (e) => { e.preventDefault(); select(chat.caseId); } }, summary(chat));
    if (chat.caseId === selected) item.classList.add("selected");
    if (chat.visitorTyping) item.classList.add("typing");
    item.append(label);
    if (button) item.append(" ", button(chat));
    list.append(item);
  }
}

function render() {
  if (!view) return;
  const agent = view.agent;
  $("who").textContent = `${agent.alias} <${agent.email}> · ${agent.status}${agent.subStatus ? ` (${agent.subStatus})` : ""}`;
  // The controls follow the world's status when it changes, not over what the agent is choosing.
  const status = `${agent.status}\n${agent.subStatus || ""}`;
  if (status !== shownStatus) {
    shownStatus = status;
    $("status").value = agent.status;
    $("substatus").value = agent.subStatus || "";
  }
  renderList("offered", view.offered, (chat) =>
    el("button", { type: "button", class: "accept", onclick: () => accept(chat.caseId) }, "Accept"));
  renderList("chats", view.chats);
  renderList("handed-on", view.handedOn, (chat) =>
    el("button", { type: "button", class: "reclaim", onclick: () => reclaim(chat.caseId) }, "Reclaim"));
  const targets = $("transfer-to");
  const chosen = targets.value;
  targets.replaceChildren(
    ...view.colleagues.map((c) => el("option", { value: `agent:${c.agentId}` }, `${c.alias} (${c.status})`)),
    ...view.transferWidgets.map((w) => el("option", { value: `widget:${w.widgetId}` }, `widget ${w.name || w.widgetId}`)),
  );
  if (chosen) targets.value = chosen;
  const signals = $("signal-type");
  if (!signals.options.length) {
    signals.replaceChildren(...view.signals.map((s) => el("option", { value: s }, s)));
    signals.dispatchEvent(new Event("change"));
  }
  renderConversation();
}

function renderConversation() {
  const transcript = $("transcript");
  const visitor = $("visitor");
  transcript.replaceChildren();
  visitor.replaceChildren();
  $("typing").hidden = true;
  $("conversation").classList.toggle("empty", !shownCase);
  if (!shownCase) return;
  const chat = shownCase;
  const details = Object.entries(chat.visitor)
    .filter(([, value]) => typeof value === "string")
    .map(([name, value]) => el("div", { "data-field": name }, el("b", {}, `${name}: `), value));
  visitor.append(
    el("div", {}, el("b", {}, "chat: "), `${chat.caseId} · ${chat.state}${chat.endedBy ? ` (ended by ${chat.endedBy})` : ""}`),
    ...details,
  );
  for (const entry of chat.entries) {
    if (entry.sender === "SYSTEM") continue;
    transcript.append(el("li", { class: entry.sender.toLowerCase() },
      el("b", {}, entry.sender === "VISITOR" ? "Visitor" : entry.alias || entry.sender), " ", entry.message));
  }
  transcript.scrollTop = transcript.scrollHeight;
  $("typing").hidden = !chat.visitorTyping;
  const labels = $("labels");
  labels.replaceChildren(...chat.labels.map((label) =>
    el("span", { class: "label", "data-label": label.name }, `${label.name}=${label.value} `,
      el("button", { type: "button", onclick: () => caseAction(chat.caseId, "unlabel", { name: label.name }) }, "×"))));
}

async function select(caseId) {
  selected = caseId;
  await loadShownCase();
  render();
}

// -- the agent's actions ---------------------------------------------------------------------------------

async function accept(caseId) {
  if (await caseAction(caseId, "accept", { agentId: view.agent.agentId })) await select(caseId);
}

async function reclaim(caseId) {
  if (await caseAction(caseId, "reclaim", { agentId: view.agent.agentId })) await select(caseId);
}

const SLASH = /^\/(name|phone|email)=(.*)$/s;

async function send(text) {
  if (!selected || !text.trim()) return;
  const agentId = view.agent.agentId;
  const slash = text.trim().match(SLASH);
  let done;
  if (slash) done = await caseAction(selected, "capture", { agentId, field: slash[1], value: slash[2] });
  else if (text.trim() === "/ban") done = await caseAction(selected, "ban", { by: "cookie" });
  else if (text.trim() === "/banip") done = await caseAction(selected, "ban", { by: "IP" });
  else done = await caseAction(selected, "messages", { agentId, text });
  if (done) {
    $("composer").value = "";
    typingSent = false;
  }
}

let typingSent = false;
let typingTimer = null;

function typed() {
  if (!selected || !view) return;
  const agentId = view.agent.agentId;
  if (!typingSent) {
    typingSent = true;
    call("POST", `/__admin/cases/${selected}/typing`, { agentId, typing: true }).catch(() => {});
  }
  clearTimeout(typingTimer);
  const caseId = selected;
  typingTimer = setTimeout(() => {
    if (!typingSent) return;
    typingSent = false;
    call("POST", `/__admin/cases/${caseId}/typing`, { agentId, typing: false }).catch(() => {});
  }, 3000);
}

function wire() {
  $("set-status").addEventListener("click", () => attempt(() =>
    call("PUT", `/__admin/organizations/${view.orgId}/agents/${encodeURIComponent(view.agent.agentId)}/status`,
      { status: $("status").value, ...($("substatus").value ? { subStatus: $("substatus").value } : {}) })));
  $("compose").addEventListener("submit", (event) => {
    event.preventDefault();
    send($("composer").value);
  });
  $("composer").addEventListener("input", typed);
  $("composer").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send($("composer").value);
    }
  });
  $("add-label").addEventListener("click", () => selected &&
    caseAction(selected, "labels", { name: $("label-name").value, value: $("label-value").value }));
  $("transfer").addEventListener("click", () => {
    const [kind, id] = $("transfer-to").value.split(/:(.*)/s);
    if (selected && id) caseAction(selected, "transfer", kind === "agent" ? { agentId: id } : { widgetId: id });
  });
  $("request-file").addEventListener("click", () => selected &&
    caseAction(selected, "request", { agentId: view.agent.agentId, what: "file" }));
  $("request-secure").addEventListener("click", () => selected &&
    caseAction(selected, "request", { agentId: view.agent.agentId, what: "secure_data", secureDataType: $("secure-type").value }));
  $("ban").addEventListener("click", () => selected && caseAction(selected, "ban", { by: "cookie" }));
  $("ban-ip").addEventListener("click", () => selected && caseAction(selected, "ban", { by: "IP" }));
  $("close").addEventListener("click", () => selected && caseAction(selected, "close", { endedBy: "agent" }));
  $("signal-type").addEventListener("change", () => {
    const type = $("signal-type").value;
    const example = type === "weather_info_captured" ? WEATHER
      : type === "widget_changed" ? { changed_widget: (view.transferWidgets[0] || {}).name || "" } : null;
    $("signal-data").value = example ? JSON.stringify(example) : "";
  });
  $("signal").addEventListener("click", () => {
    if (!selected) return;
    let data;
    try {
      data = $("signal-data").value.trim() ? JSON.parse($("signal-data").value) : undefined;
    } catch (error) {
      notice(`data is not JSON: ${error.message}`);
      return;
    }
    caseAction(selected, "hub-signal", { type: $("signal-type").value, ...(data === undefined ? {} : { data }) });
  });
  window.addEventListener("message", fromApp);
}

// -- the apps (Hub SDK) ------------------------------------------------------------------------------------

function links() {
  const found = new Map();
  for (const widget of view.widgets) {
    for (const link of widget.agentLinks) {
      if (link.persistent) found.set(link.url, [...(found.get(link.url) || []), widget.widgetId]);
    }
  }
  return found;
}

function openApps() {
  const wanted = links();
  for (const [url, app] of apps) {
    if (!wanted.has(url)) {
      app.frame.remove();
      apps.delete(url);
    }
  }
  for (const url of wanted.keys()) {
    if (apps.has(url)) continue;
    const iframe = el("iframe", { src: url, title: url, "data-link": url });
    const app = { iframe, origin: new URL(url).origin, ready: false, queue: [] };
    app.frame = el("figure", {}, el("figcaption", {}, url), iframe);
    iframe.addEventListener("load", () => {
      app.ready = true;
      for (const envelope of app.queue.splice(0)) post(url, app, envelope);
    });
    apps.set(url, app);
    $("apps").append(app.frame);
  }
}

function log(direction, url, message, outcome) {
  const type = message && typeof message === "object" ? message.type : typeof message;
  const conversation = message && typeof message === "object" ? message.conversationId : "";
  const item = el("li", { class: `${direction} ${outcome && outcome.startsWith("refused") ? "refused" : ""}`, "data-type": type },
    el("time", {}, new Date().toISOString().slice(11, 23)), " ",
    direction === "to" ? "→ " : "← ", el("b", {}, String(type)), ` ${conversation || ""} `,
    el("small", {}, url), outcome ? ` · ${outcome}` : "",
    el("pre", {}, JSON.stringify(message)));
  $("timeline").prepend(item);
}

function post(url, app, envelope) {
  app.iframe.contentWindow.postMessage(envelope, app.origin);
  log("to", url, envelope);
}

function toApps(item) {
  const wanted = links();
  for (const [url, widgets] of wanted) {
    if (!widgets.includes(item.widgetId)) continue;
    const app = apps.get(url);
    if (!app) continue;
    if (app.ready) post(url, app, item.event);
    else app.queue.push(item.event);
  }
}

function pumpSdk(seq) {
  sdkLatest = Math.max(sdkLatest, seq);
  sdkChain = sdkChain.then(async () => {
    const upto = sdkLatest;
    if (upto <= sdkSeq) return;
    try {
      const found = await call("GET", `${api}/sdk-events?after=${sdkSeq}&upto=${upto}`);
      if (!view) await reloadChain;
      openApps();
      for (const item of found.events) toApps(item);
      sdkSeq = found.upto;
    } catch (error) {
      notice(error.message);
    }
  });
}

async function fromApp(event) {
  const found = [...apps].find(([, app]) => app.iframe.contentWindow === event.source);
  if (!found) return; // not one of the Hub's apps
  const [url] = found;
  try {
    const result = await call("POST", `${api}/messages`, { message: event.data, link: url });
    if (result.populate !== undefined) {
      if (result.conversationId !== selected) await select(result.conversationId);
      $("composer").value = result.populate;
      $("composer").focus();
    }
    log("from", url, event.data, result.action ? `done: ${result.action}` : "done: composer filled");
  } catch (error) {
    log("from", url, event.data, `refused: ${error.message}`);
  }
}

// -- start -----------------------------------------------------------------------------------------------

async function start() {
  wire();
  await reload();
  if (!view) return;
  sdkSeq = view.seq;
  if (!selected && view.chats.length) await select(view.chats[0].caseId);
  // The whole world's stream (this page is mocksnap's own): a reset or a new world document shows at once.
  followLive({ since: view.seq }, (event) => {
    reload();
    pumpSdk(event.seq);
  });
  document.body.dataset.ready = "true";
}

start();
