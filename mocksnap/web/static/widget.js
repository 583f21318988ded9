// The chat widget: SnapEngage's JavaScript API (developer-api.txt, "JavaScript API") over mocksnap's world.
// Served by GET /js/{widgetId}.js inside a function that defines MOCKSNAP_WIDGET ({widgetId, base}) and,
// from live.js, followLive. The chat box lives in iframe#designstudio-iframe, whose document this script
// writes, so that it has the page's origin (the vendor's mobile SDKs read that iframe's contentDocument).
// What it shows comes from the world: a chat's view is reloaded from GET /widget/chats/{caseId} whenever
// the live feed says the case changed.
"use strict";

const BASE = MOCKSNAP_WIDGET.base;
const COOKIES = {
  email: "SnapABugUserEmail",
  alias: "SnapABugUserAlias",
  chat: "SnapABugChatSession", // the chat under way, so that it follows the visitor from page to page
  ref: "SnapABugRef", // the visit's entry URL and referrer
  noProactive: "SnapABugNoProactiveChat", // set when the visitor closes a chat window
};
const COOKIE_PREFIXES = ["SnapABug", "SnapEngage"];
const YEAR_MINUTES = 365 * 24 * 60;
const CALLBACK_NAMES = {
  StartCallMe: "StartCallme", // the docs spell it both ways
};
const TYPING_IDLE_MS = 3000;
const STARS = 5;
const BOX_TYPES = { prechat: "prechat", offline: "offline", callme: "offline", thanks: "offline",
  proactiveInvite: "proactiveInvite" };

const state = {
  widgetId: MOCKSNAP_WIDGET.widgetId,
  settings: null,
  online: false,
  callbacks: {},
  sound: true,
  soundsPlayed: 0,
  pageNotification: true,
  proactiveAllowed: true,
  screenshot: false,
  lightbox: true,
  buttonVisible: true,
  buttonEffect: "0px",
  position: "br",
  fields: {}, // setCustomField: the case's javascript_variables, and the forms' prefilled fields
  description: "",
  locale: navigator.language || "",
  email: readCookie(COOKIES.email) || "",
  emailLocked: false,
  name: readCookie(COOKIES.alias) || "",
  noProactiveMinutes: 30,
  proactiveAutoCloseMinutes: 2,
  box: null, // prechat, offline, callme, thanks, chat, proactiveInvite; null when closed
  minimized: false,
  chatType: "manual",
  chat: null, // the chat's view, as GET /widget/chats/{caseId} gives it
  shownIndex: -1, // the last line whose callbacks have fired
  endedCase: null, // the case whose end fired CHAT_ENDED
  rated: false,
  greeting: null, // startChat's message
  siteLines: [], // sendTextToChat(text, 'visitor')
  invite: null, // {agent, message, minimized}
  pendingProactive: null, // an invitation answered while the prechat form asks for more
  notice: "",
  feed: null,
  reloading: false,
  reloadAgain: false,
  typingSent: false,
  typingTimer: null,
  autoCloseTimer: null,
  rendered: null,
};

// -- cookies ----------------------------------------------------------------------------------------------

function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

function writeCookie(name, value, minutes) {
  const expiry = minutes ? `; max-age=${Math.round(minutes * 60)}` : "";
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; SameSite=Lax${expiry}`;
}

function deleteCookie(name) {
  document.cookie = `${name}=; path=/; max-age=0`;
}

// -- talking to mocksnap ----------------------------------------------------------------------------------

async function call(method, path, body) {
  const init = { method };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const answer = await fetch(BASE + path, init);
  const text = await answer.text();
  const data = text ? JSON.parse(text) : null;
  if (!answer.ok) throw new Error((data && data.message) || `HTTP ${answer.status}`);
  return data;
}

function fire(name, ...args) {
  const callback = state.callbacks[name];
  if (typeof callback !== "function") return;
  try {
    callback(...args);
  } catch (error) {
    console.error(`SnapEngage ${name} callback failed`, error);
  }
}

function status() {
  return state.online ? "online" : "offline";
}

function chatOpen() {
  return state.chat !== null && state.chat.kind === "chat" && state.chat.state !== "closed";
}

// Only web addresses become links: a bot's GOTO or card could otherwise run script in the page's origin.
function webUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

function withoutFragment(url) {
  return url.split("#")[0];
}

async function loadSettings() {
  state.settings = await call("GET", `/widget/${encodeURIComponent(state.widgetId)}/settings`);
  state.online = state.settings.online;
  return state.settings;
}

function follow(since) {
  if (state.feed) state.feed.close();
  state.feed = followLive({ widget: state.widgetId, since }, onEvent, BASE);
}

async function refreshStatus() {
  await loadSettings();
  render();
}

function onEvent(event) {
  const data = event.data;
  if (event.kind === "widget.proactive_invited") {
    const here = data.url === null || withoutFragment(data.url) === withoutFragment(location.href);
    if (data.widgetId === state.widgetId && here) {
      openProactive(false, false, data.message, false, data.agentAlias);
    }
  } else if (event.kind.startsWith("agent.") || event.kind.startsWith("widget.")) {
    refreshStatus().catch(console.error);
  }
  if (state.chat && data.caseId === state.chat.caseId) reload();
}

async function reload() {
  if (state.reloading) {
    state.reloadAgain = true;
    return;
  }
  state.reloading = true;
  try {
    do {
      state.reloadAgain = false;
      apply(await call("GET", `/widget/chats/${state.chat.caseId}`));
    } while (state.reloadAgain);
  } catch (error) {
    console.error("SnapEngage: the chat could not be reloaded", error);
  } finally {
    state.reloading = false;
  }
}

// A chat's new view: callbacks for the lines not seen yet, CHAT_ENDED once it has ended.
function apply(view) {
  state.chat = view;
  for (const line of view.lines) {
    if (line.index <= state.shownIndex) continue;
    if (line.type === "agent" || line.type === "bot") {
      fire("ChatMessageReceived", line.alias, line.text);
      beep();
    }
  }
  if (view.lines.length) state.shownIndex = Math.max(state.shownIndex, view.lines[view.lines.length - 1].index);
  if (view.kind === "chat" && view.state === "closed" && state.endedCase !== view.caseId) {
    state.endedCase = view.caseId;
    deleteCookie(COOKIES.chat);
    fire("ChatEnded", { endedByUser: view.endedBy === "visitor" });
  }
  render();
}

function beep() {
  if (!state.sound) return;
  state.soundsPlayed += 1;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.1);
    tone.onended = () => audio.close();
  } catch (error) {
    // a page without sound (autoplay policy, no audio device) chats on quietly
  }
}

// -- starting and carrying on chats -----------------------------------------------------------------------

// What the API's setters take: strings, as the docs ask; null or undefined (a page passing the email of a user
// it does not know) leaves the field empty rather than filling it with "null".
function given(value) {
  return value === null || value === undefined ? "" : String(value);
}

function visitorFields() {
  const [entry, referrer] = (readCookie(COOKIES.ref) || "").split(" ").map(decodeURIComponent);
  return {
    email: state.email,
    name: state.name,
    pageUrl: location.href,
    entryUrl: entry || location.href,
    referrerUrl: referrer || document.referrer,
    locale: state.locale,
    customFields: Object.entries(state.fields).map(([name, value]) => ({ name, value })),
  };
}

function rememberEmail() {
  if (state.email) writeCookie(COOKIES.email, state.email, YEAR_MINUTES);
}

async function startChatWith(message) {
  const body = { ...visitorFields(), message };
  const proactive = state.pendingProactive;
  if (proactive) body.proactiveMessage = proactive.message;
  state.chatType = proactive ? "proactive" : "manual";
  state.pendingProactive = null;
  state.invite = null;
  clearTimeout(state.autoCloseTimer);
  let view;
  try {
    view = await call("POST", `/widget/${encodeURIComponent(state.widgetId)}/chats`, body);
  } catch (error) {
    state.notice = error.message;
    render();
    return;
  }
  state.notice = "";
  state.siteLines = [];
  state.rated = false;
  if (view.kind === "offline") {
    // Chat went offline meanwhile: the message is left as an offline message.
    fire("MessageSubmit", state.email, message);
    state.box = "thanks";
    render();
    return;
  }
  writeCookie(COOKIES.chat, view.caseId);
  state.box = "chat";
  state.shownIndex = -1;
  state.chat = view; // so that a StartChat callback can sendTextToChat
  fire("StartChat", state.email, message, state.chatType);
  apply(view);
}

async function sendMessage(text) {
  if (!text) return;
  if (!chatOpen()) {
    await startChatWith(text);
    return;
  }
  stopTyping(false);
  const view = await call("POST", `/widget/chats/${state.chat.caseId}/messages`, { text });
  fire("ChatMessageSent", text);
  apply(view);
}

async function clickButton(line, button) {
  const body = { text: button.text };
  if (button.id) body.responseId = button.id;
  const view = await call("POST", `/widget/chats/${state.chat.caseId}/messages`, body);
  fire("InlineButtonClicked", { botName: line.alias, buttonLabel: button.text, buttonValue: button.id || button.text });
  apply(view);
}

function typing() {
  if (!chatOpen()) return;
  if (!state.typingSent) {
    state.typingSent = true;
    call("POST", `/widget/chats/${state.chat.caseId}/typing`, { typing: true }).catch(console.error);
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(() => stopTyping(true), TYPING_IDLE_MS);
}

function stopTyping(tell) {
  clearTimeout(state.typingTimer);
  if (state.typingSent && tell && chatOpen()) {
    call("POST", `/widget/chats/${state.chat.caseId}/typing`, { typing: false }).catch(console.error);
  }
  state.typingSent = false;
}

async function endChat() {
  if (!chatOpen()) return;
  stopTyping(false);
  apply(await call("POST", `/widget/chats/${state.chat.caseId}/end`));
}

async function rate(stars) {
  const alias = state.chat.agentAlias || "";
  state.rated = true;
  fire("RatingPromptClicked", alias, "STAR", stars);
  apply(await call("POST", `/widget/chats/${state.chat.caseId}/survey`, { stars }));
}

async function upload(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    await call("POST", `/widget/chats/${state.chat.caseId}/files`, form);
    state.notice = "";
  } catch (error) {
    state.notice = `The file could not be sent (${error.message}).`;
    render();
  }
}

async function submitOffline(message, phone) {
  const body = { ...visitorFields(), message, offline: true };
  if (phone) body.phone = phone;
  try {
    await call("POST", `/widget/${encodeURIComponent(state.widgetId)}/chats`, body);
  } catch (error) {
    state.notice = error.message;
    render();
    return;
  }
  state.notice = "";
  rememberEmail();
  if (phone) fire("StartCallme", phone);
  else fire("MessageSubmit", state.email, message);
  state.box = "thanks";
  render();
}

function reportPage() {
  if (chatOpen() && state.pageNotification) {
    call("POST", `/widget/chats/${state.chat.caseId}/page`, { url: location.href }).catch(console.error);
  }
}

// -- opening, minimizing, closing -------------------------------------------------------------------------

function formNeeded() {
  return state.settings.emailRequired || state.settings.messageRequired;
}

function openBox() {
  state.minimized = false;
  if (chatOpen()) state.box = "chat";
  else if (!state.online) state.box = "offline";
  else state.box = formNeeded() ? "prechat" : "chat";
  if (!chatOpen()) state.chat = null;
  render();
  fire("Open", status());
}

function boxType() {
  if (state.box === "chat") return state.chatType === "proactive" ? "proactive" : "chatManual";
  return BOX_TYPES[state.box];
}

function setMinimized(minimized) {
  state.minimized = minimized;
  render();
  fire("Minimize", minimized, state.chatType, boxType());
}

function closeBox() {
  const type = state.box === "chat" ? "chat" : state.box === "proactiveInvite" ? "proactive" : "form";
  if (type !== "form") writeCookie(COOKIES.noProactive, "1", state.noProactiveMinutes);
  const ending = type === "chat" && chatOpen();
  state.box = null;
  state.invite = null;
  state.greeting = null;
  clearTimeout(state.autoCloseTimer);
  fire("Close", type, status());
  if (ending) endChat().catch(console.error);
  if (!chatOpen()) state.chat = null;
  render();
}

function openProactive(forced, offlineFallback, message, minimizedView, agentAlias) {
  if (chatOpen() || state.box === "proactiveInvite") return;
  if (!state.online) {
    if (offlineFallback) {
      state.box = "offline";
      render();
      fire("Open", status());
    }
    return;
  }
  const allowed = state.proactiveAllowed && state.settings.proactiveChat && !readCookie(COOKIES.noProactive);
  if (!forced && !allowed) return;
  const agent = agentAlias || state.settings.proactiveAgent || state.settings.name;
  const text = message || state.settings.proactiveMessage;
  state.invite = { agent, message: text };
  state.box = "proactiveInvite";
  state.minimized = Boolean(minimizedView);
  render();
  fire("OpenProactive", agent, text);
  clearTimeout(state.autoCloseTimer);
  if (state.proactiveAutoCloseMinutes > 0) {
    state.autoCloseTimer = setTimeout(() => {
      if (state.box === "proactiveInvite") {
        state.box = null;
        state.invite = null;
        render();
      }
    }, state.proactiveAutoCloseMinutes * 60000);
  }
}

function answerInvite(text) {
  if (!text) return;
  state.pendingProactive = state.invite;
  if (state.settings.emailRequired && !state.email) {
    state.description = text;
    state.box = "prechat";
    render();
    return;
  }
  startChatWith(text);
}

async function switchTo(widgetId) {
  state.widgetId = widgetId;
  const settings = await loadSettings();
  follow(settings.seq);
  render();
}

// -- the host page's elements and the chat box's document -------------------------------------------------

let frame = null;
let button = null;
let lightbox = null;

function frameDocument() {
  return frame ? frame.contentDocument : null;
}

function mount() {
  button = document.createElement("button");
  button.type = "button";
  button.id = "snapengage-button";
  button.style.cssText =
    "position:fixed;right:16px;z-index:2147483000;padding:12px 18px;border:0;border-radius:22px;" +
    "font:600 15px system-ui,sans-serif;color:#fff;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)";
  button.addEventListener("click", () => {
    state.minimized && state.box ? setMinimized(false) : openBox();
  });
  button.addEventListener("mouseenter", () => (button.style.bottom = "16px"));
  button.addEventListener("mouseleave", () => placeButton());
  lightbox = document.createElement("div");
  lightbox.id = "snapengage-lightbox";
  lightbox.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.4);z-index:2147482999;display:none";
  frame = document.createElement("iframe");
  frame.id = "designstudio-iframe";
  frame.title = "Chat";
  frame.style.cssText =
    "position:fixed;width:360px;max-width:calc(100vw - 32px);border:0;z-index:2147483001;display:none;" +
    "border-radius:10px;box-shadow:0 4px 24px rgba(0,0,0,.3);background:#fff";
  document.body.append(lightbox, button, frame);
  const doc = frame.contentDocument;
  doc.open();
  doc.write(
    '<!DOCTYPE html><html><head><meta charset="utf-8">' +
      `<link rel="stylesheet" href="${BASE}/static/widget.css"></head>` +
      '<body><main id="se-box"></main></body></html>',
  );
  doc.close();
}

function placeButton() {
  const px = parseInt(state.buttonEffect, 10) || 0;
  button.style.bottom = `${16 + px}px`;
}

const POSITIONS = {
  br: { right: "16px", bottom: "16px" },
  bl: { left: "16px", bottom: "16px" },
  tr: { right: "16px", top: "16px" },
  tl: { left: "16px", top: "16px" },
  c: { left: "50%", top: "50%", transform: "translate(-50%, -50%)" },
};

function placeFrame() {
  for (const side of ["left", "right", "top", "bottom", "transform"]) frame.style[side] = "";
  Object.assign(frame.style, POSITIONS[state.position] || POSITIONS.br);
  frame.style.height = state.minimized ? "52px" : "520px";
}

function h(doc, tag, attrs = {}, ...children) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function render() {
  if (!frame || !state.settings) return;
  button.textContent = state.online ? "Chat with us" : "Leave a message";
  button.style.background = state.online ? "#1a73e8" : "#5f6368";
  button.dataset.status = status();
  button.style.display = state.buttonVisible && !(state.box && !state.minimized) ? "" : "none";
  placeButton();
  lightbox.style.display = state.box === "prechat" && !state.minimized && state.lightbox ? "" : "none";
  const doc = frameDocument();
  doc.documentElement.lang = state.locale;
  doc.documentElement.dataset.sound = state.sound ? "on" : "off";
  doc.documentElement.dataset.soundsPlayed = String(state.soundsPlayed);
  if (!state.box) {
    frame.style.display = "none";
    state.rendered = null;
    return;
  }
  frame.style.display = "";
  placeFrame();
  const root = doc.getElementById("se-box");
  const key = [state.box, state.minimized, state.widgetId, state.online, chatOpen(),
    state.chat && state.chat.caseId, state.rated, state.notice];
  root.dataset.box = state.box;
  if (state.rendered && state.rendered.join("|") === key.join("|")) {
    if (state.box === "chat" && !state.minimized) updateChat(doc); // keeps what the visitor is typing
    return;
  }
  state.rendered = key;
  root.replaceChildren(header(doc), ...(state.minimized ? [] : body(doc)));
  if (state.box === "chat") updateChat(doc);
  const first = root.querySelector("textarea, input:not([readonly]), select");
  if (first && !state.minimized) first.focus();
}

function header(doc) {
  const title =
    state.box === "proactiveInvite"
      ? state.invite.agent
      : state.chat && state.chat.agentAlias
        ? state.chat.agentAlias
        : state.settings.name;
  return h(doc, "header", {},
    h(doc, "h1", {}, title),
    state.minimized
      ? h(doc, "button", { type: "button", "aria-label": "Maximize", onclick: () => setMinimized(false) }, "▢")
      : h(doc, "button", { type: "button", "aria-label": "Minimize", onclick: () => setMinimized(true) }, "–"),
    h(doc, "button", { type: "button", "aria-label": "Close", onclick: closeBox }, "×"),
  );
}

function notice(doc) {
  return state.notice ? h(doc, "p", { class: "notice", role: "alert" }, state.notice) : null;
}

function body(doc) {
  switch (state.box) {
    case "prechat":
      return [notice(doc), contactForm(doc, "Start chat", (message) => {
        rememberEmail();
        state.box = "chat";
        startChatWith(message);
      })];
    case "offline":
      return [notice(doc), h(doc, "p", {}, "Nobody is here right now. Leave us a message."),
        contactForm(doc, "Send message", (message) => submitOffline(message))];
    case "callme":
      return [notice(doc), callmeForm(doc)];
    case "thanks":
      return [h(doc, "p", { class: "thanks", role: "status" }, "Thank you! We will get back to you.")];
    case "proactiveInvite":
      return [h(doc, "p", { class: "line agent" }, state.invite.message), composer(doc, answerInvite)];
    default:
      return chatBody(doc);
  }
}

function field(doc, label, attrs) {
  return h(doc, "label", {}, h(doc, "span", {}, label), h(doc, attrs.rows ? "textarea" : "input", attrs));
}

function widgetSelector(doc) {
  const widgets = state.settings.widgets;
  if (widgets.length < 2) return null;
  return h(doc, "label", {},
    h(doc, "span", {}, "Department"),
    h(doc, "select", { name: "widget", onchange: async (event) => {
      const chosen = event.target.value;
      await switchTo(chosen);
      fire("SwitchWidget", chosen);
      openBox();
    } }, widgets.map((w) =>
      h(doc, "option", { value: w.widgetId, selected: w.widgetId === state.widgetId }, w.name || w.widgetId))),
  );
}

function contactForm(doc, action, submit) {
  const form = h(doc, "form", { "aria-label": action },
    widgetSelector(doc),
    field(doc, "Name", { name: "name", value: state.fields.name ?? state.name, autocomplete: "name" }),
    field(doc, "Email", { name: "email", type: "email", value: state.fields.email ?? state.email,
      readonly: state.emailLocked, required: state.settings.emailRequired }),
    field(doc, "Message", { name: "description", rows: 4, required: state.settings.messageRequired }),
    h(doc, "button", { type: "submit" }, action),
    h(doc, "button", { type: "button", class: "link", onclick: () => {
      state.box = "callme";
      render();
    } }, "Request a call"),
  );
  form.elements.description.value = state.fields.description ?? state.description;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.name = form.elements.name.value.trim();
    if (!state.emailLocked) state.email = form.elements.email.value.trim();
    submit(form.elements.description.value.trim());
  });
  return form;
}

function callmeForm(doc) {
  const form = h(doc, "form", { "aria-label": "Request a call" },
    field(doc, "Phone", { name: "phone", type: "tel", required: true, autocomplete: "tel" }),
    field(doc, "Name", { name: "name", value: state.name }),
    field(doc, "Email", { name: "email", type: "email", value: state.email, readonly: state.emailLocked,
      required: state.settings.emailRequired }),
    h(doc, "button", { type: "submit" }, "Call me"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const phone = form.elements.phone.value.trim();
    state.name = form.elements.name.value.trim();
    if (!state.emailLocked) state.email = form.elements.email.value.trim();
    submitOffline(`Please call me back at ${phone}.`, phone);
  });
  return form;
}

function composer(doc, send) {
  const input = h(doc, "textarea", { name: "message", rows: 2, "aria-label": "Message", placeholder: "Type a message" });
  if (!state.chat && state.box === "chat") input.value = state.description;
  const submit = () => {
    const text = input.value.trim();
    input.value = "";
    send(text);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", typing);
  return h(doc, "div", { class: "composer" }, input, h(doc, "button", { type: "button", onclick: submit }, "Send"));
}

function chatBody(doc) {
  const parts = [notice(doc), h(doc, "ol", { class: "transcript", role: "log", "aria-live": "polite" }),
    h(doc, "p", { class: "typing", "aria-live": "polite" })];
  if (chatOpen() || !state.chat) {
    const file = h(doc, "input", { type: "file", hidden: true, "aria-label": "File to send",
      onchange: (event) => event.target.files[0] && upload(event.target.files[0]) });
    parts.push(composer(doc, (text) => sendMessage(text).catch(console.error)));
    if (chatOpen()) {
      parts.push(h(doc, "div", { class: "tools" }, file,
        h(doc, "button", { type: "button", onclick: () => file.click() }, "Attach a file"),
        h(doc, "button", { type: "button", onclick: () => endChat().catch(console.error) }, "End chat")));
    }
  } else {
    parts.push(h(doc, "p", { class: "ended", role: "status" }, "The chat has ended."));
    if (state.chat.agentAlias && state.chat.surveyScore === null && !state.rated) {
      parts.push(h(doc, "div", { class: "rating", role: "group", "aria-label": "Rate this chat" },
        Array.from({ length: STARS }, (_, i) => h(doc, "button", { type: "button",
          "aria-label": `${i + 1} of ${STARS} stars`, onclick: () => rate(i + 1).catch(console.error) }, "★"))));
    } else if (state.rated || state.chat.surveyScore !== null) {
      parts.push(h(doc, "p", { role: "status" }, "Thank you for your rating."));
    }
  }
  return parts;
}

function systemText(text) {
  const [code, ...rest] = text.split(" ");
  const value = rest.join(" ").trim();
  if (code === "/NFO") return value.replace(/<[^>]*>/g, "");
  if (code === "/NIC") return `${value} joined the chat`;
  return null;
}

function transcriptLine(doc, line, last) {
  if (line.type === "system") {
    if (line.text.startsWith("/GTO ")) {
      const url = webUrl(line.text.slice(5).trim());
      return url ? h(doc, "li", { class: "line system" }, h(doc, "a", { href: url, target: "_top" }, `Go to ${url}`)) : null;
    }
    const text = systemText(line.text);
    return text ? h(doc, "li", { class: "line system" }, text) : null;
  }
  const item = h(doc, "li", { class: `line ${line.type}` },
    h(doc, "span", { class: "alias" }, line.type === "visitor" ? line.alias || "You" : line.alias),
    // A shared file's link is for the organization's systems only: the visitor sees its name.
    h(doc, "span", { class: "text" }, line.file ? `Sent a file: ${line.file.fileName}` : line.text));
  if (line.displayResponses && last && chatOpen()) {
    item.append(h(doc, "div", { class: "buttons" }, line.displayResponses.map((button) =>
      h(doc, "button", { type: "button", onclick: () => clickButton(line, button).catch(console.error) }, button.text))));
  }
  if (line.cards) {
    item.append(h(doc, "div", { class: `cards ${line.cards.layout.toLowerCase()}` }, line.cards.cards.map((card) =>
      h(doc, "article", { class: "card" },
        card.title ? h(doc, "h2", {}, card.title) : null,
        card.excerpt ? h(doc, "p", {}, card.excerpt) : null,
        webUrl(card.link || "") ? h(doc, "a", { href: webUrl(card.link), target: "_blank", rel: "noopener" }, "Open") : null))));
  }
  return item;
}

function updateChat(doc) {
  const list = doc.querySelector(".transcript");
  if (!list) return;
  const lines = [];
  const greeting = (state.chat && state.chat.proactiveMessage) || (state.invite && state.invite.message) || state.greeting;
  if (greeting) lines.push(h(doc, "li", { class: "line agent greeting" }, greeting));
  const view = state.chat ? state.chat.lines : [];
  const lastVisitor = view.reduce((found, line) => (line.type === "visitor" ? line.index : found), -1);
  for (const line of view) {
    const node = transcriptLine(doc, line, line.index > lastVisitor);
    if (node) lines.push(node);
  }
  for (const text of state.siteLines) lines.push(h(doc, "li", { class: "line site" }, text));
  list.replaceChildren(...lines);
  list.scrollTop = list.scrollHeight;
  const typingLine = doc.querySelector(".typing");
  typingLine.textContent = state.chat && state.chat.agentTyping ? `${state.chat.agentAlias} is typing…` : "";
}

// -- the JavaScript API -----------------------------------------------------------------------------------

let ready = null;

function whenReady(action) {
  ready.then(action).catch((error) => console.error("SnapEngage:", error));
}

const SnapEngage = {
  callbacks: { CHAT_ENDED: "ChatEnded" },
  allowChatSound(allow) {
    state.sound = Boolean(allow);
    render();
  },
  allowPageChangeNotification(allow) {
    state.pageNotification = Boolean(allow);
  },
  allowProactiveChat(allow) {
    state.proactiveAllowed = Boolean(allow);
  },
  allowScreenshot(allow) {
    state.screenshot = Boolean(allow); // deprecated by the vendor: forms have no screenshot option
  },
  clearAllCookies() {
    for (const part of document.cookie.split(";")) {
      const name = part.trim().split("=")[0];
      if (COOKIE_PREFIXES.some((prefix) => name.startsWith(prefix))) deleteCookie(name);
    }
  },
  disableLightbox() {
    state.lightbox = false;
    render();
  },
  endChat(options) {
    const close = Boolean(options && options.closeChatBox);
    whenReady(async () => {
      await endChat();
      if (close) {
        state.box = null;
        render();
      }
    });
  },
  getAgentStatusAsync(callback) {
    fetch(`${BASE}/public/api/v2/chat/${encodeURIComponent(state.widgetId)}`)
      .then((answer) => answer.json())
      .then((answer) => {
        const online = Boolean(answer.data) && answer.data.online === "true";
        if (state.settings && state.online !== online) {
          state.online = online;
          render();
        }
        callback(online);
      })
      .catch((error) => console.error("SnapEngage: availability", error));
  },
  getWidgetId() {
    return state.widgetId;
  },
  hideButton() {
    state.buttonVisible = false;
    render();
  },
  openProactiveChat(forced, offlineFallback, message, minimizedView) {
    whenReady(() => openProactive(Boolean(forced), Boolean(offlineFallback), message, minimizedView));
  },
  sendTextToChat(text, to) {
    if (!chatOpen() || !text) return false;
    if (to === "visitor") {
      state.siteLines.push(String(text));
      render();
      return false;
    }
    call("POST", `/widget/chats/${state.chat.caseId}/notes`, { text: String(text) }).catch(console.error);
    return true;
  },
  setButtonEffect(negativePixels) {
    state.buttonEffect = String(negativePixels);
    render();
  },
  setCallback(name, callback) {
    const event = CALLBACK_NAMES[name] || name;
    if (typeof callback === "function") state.callbacks[event] = callback;
    else delete state.callbacks[event];
  },
  setChatFormPosition(position) {
    state.position = position; // the next time the box opens
  },
  setCustomField(fieldName, fieldValue) {
    state.fields[fieldName] = given(fieldValue);
    const form = frameDocument() && frameDocument().querySelector("form");
    if (form && form.elements[fieldName]) form.elements[fieldName].value = state.fields[fieldName];
  },
  setDescription(description) {
    state.description = given(description);
  },
  setLocale(languageCode) {
    state.locale = String(languageCode);
    render();
  },
  setNoProactiveChatDelay(delayInMinutes) {
    state.noProactiveMinutes = Number(delayInMinutes);
  },
  setProactiveAutoCloseDelay(minutes) {
    state.proactiveAutoCloseMinutes = Number(minutes);
  },
  setUserEmail(email, locked) {
    state.email = given(email);
    state.emailLocked = Boolean(locked);
    state.rendered = null;
    render();
  },
  setUserName(name) {
    state.name = given(name);
    writeCookie(COOKIES.alias, state.name, YEAR_MINUTES);
  },
  setWidgetId(widgetId) {
    whenReady(() => switchTo(widgetId));
  },
  showButton() {
    state.buttonVisible = true;
    render();
  },
  startChat(msg) {
    whenReady(() => {
      if (!chatOpen()) state.greeting = msg ? String(msg) : null;
      openBox();
    });
  },
  startLink() {
    whenReady(openBox);
  },
  switchWidget(newWidgetId, switchCallback) {
    if (!newWidgetId) {
      console.warn("SnapEngage.switchWidget: a newWidgetId is required");
      return false;
    }
    whenReady(async () => {
      await switchTo(newWidgetId);
      if (typeof switchCallback === "function") switchCallback();
    });
  },
};
SnapEngage.disableLighbox = SnapEngage.disableLightbox; // the spelling of the docs' sample
SnapEngage.setProactiveAutocloseDelay = SnapEngage.setProactiveAutoCloseDelay;

const SnapEngageChat = {
  // For single page applications: the URL changed without a page load.
  reInitProactiveRules(options) {
    if (options && options.force) deleteCookie(COOKIES.noProactive);
    whenReady(reportPage);
  },
};

window.SnapEngage = SnapEngage;
window.SnapABug = SnapEngage;
window.SnapEngageChat = SnapEngageChat;

// -- start ------------------------------------------------------------------------------------------------

async function boot() {
  if (!readCookie(COOKIES.ref)) {
    writeCookie(COOKIES.ref, `${encodeURIComponent(location.href)} ${encodeURIComponent(document.referrer)}`);
  }
  mount();
  const settings = await loadSettings();
  follow(settings.seq);
  const caseId = readCookie(COOKIES.chat);
  if (caseId) {
    try {
      const view = await call("GET", `/widget/chats/${encodeURIComponent(caseId)}`);
      if (view.kind === "chat" && view.state !== "closed") {
        state.chat = view;
        state.chatType = view.proactiveMessage ? "proactive" : "manual";
        state.shownIndex = view.lines.length ? view.lines[view.lines.length - 1].index : -1;
        state.box = "chat";
        reportPage();
      } else {
        deleteCookie(COOKIES.chat);
      }
    } catch (error) {
      deleteCookie(COOKIES.chat);
    }
  }
  render();
}

// The body may not be parsed yet when an async script runs; the API is there at once all the same.
const bodyReady =
  document.body !== null
    ? Promise.resolve()
    : new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
ready = bodyReady.then(boot);
