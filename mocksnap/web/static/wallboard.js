// The wallboard: GET /__admin/stats, shown, and loaded again whenever the live feed says the world changed
// (at most a few times a second during a fast traffic run), and every few seconds for waits that only grow.
"use strict";

const REFRESH_MS = 5000;
const THROTTLE_MS = 250;
let pending = null;

const byId = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function minutes(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function fill(list, items) {
  list.replaceChildren(...items);
}

function show(stats) {
  byId("now").textContent = stats.now;
  byId("queue-length").textContent = stats.queue.length;
  byId("longest-wait").textContent = minutes(stats.queue.longestWaitSeconds);
  byId("agents-online").textContent = stats.agents.byStatus.online;
  byId("agents-pause").textContent = stats.agents.byStatus.pause;
  byId("agents-offline").textContent = stats.agents.byStatus.offline;
  const perHour = stats.chatsPerHour;
  byId("chats-today").textContent = perHour.reduce((sum, hour) => sum + hour.chats, 0);
  const most = Math.max(1, ...perHour.map((hour) => hour.chats));
  fill(byId("per-hour"), perHour.map((hour) => {
    const bar = element("div");
    bar.style.height = `${(100 * hour.chats) / most}%`;
    bar.title = `${hour.hour}: ${hour.chats}`;
    return bar;
  }));
  fill(byId("widgets").tBodies[0], stats.widgets.map((widget) => {
    const row = element("tr");
    row.dataset.widgetId = widget.widgetId;
    row.append(element("td", widget.name || widget.widgetId, widget.online ? "online" : "closed"));
    for (const state of ["queued", "assigned", "closed", "offline"]) row.append(element("td", widget[state]));
    return row;
  }));
  fill(byId("agents"), stats.agents.list.map((agent) => {
    const item = element("li");
    item.append(element("span", agent.alias || agent.agentId));
    const status = agent.subStatus ? `${agent.status} (${agent.subStatus})` : agent.status;
    item.append(element("span", `${status} · ${agent.chats} chats`, `status-${agent.status}`));
    return item;
  }));
  fill(byId("events"), stats.conversationEvents.map((event) =>
    element("li", `${event.at.slice(11, 19)} ${event.event} ${event.caseId.slice(0, 8)}`)));
  fill(byId("delivery-counts"), Object.entries(stats.deliveries.byStatus).map(([status, count]) =>
    element("span", `${status} ${count}`)));
  fill(byId("failures"), stats.deliveries.failures.map((failure) =>
    element("li", `${failure.id} ${failure.kind} ${failure.status} (${failure.responseStatus ?? "no answer"}) ${failure.url}`)));
  byId("violations-count").textContent = stats.violations.count;
  fill(byId("violations"), stats.violations.latest.map((problem) =>
    element("li", `${problem.at.slice(11, 19)} ${problem.kind}: ${problem.schema}`)));
}

async function refresh() {
  pending = null;
  const answer = await fetchAdmin("/__admin/stats");
  if (answer.ok) show(await answer.json());
}

function soon() {
  if (pending === null) pending = setTimeout(refresh, THROTTLE_MS);
}

const feed = followLive({}, soon);
feed.onopen = () => { byId("feed-state").textContent = "live"; byId("feed-state").classList.add("live"); };
feed.onerror = () => { byId("feed-state").textContent = "reconnecting"; byId("feed-state").classList.remove("live"); };
setInterval(soon, REFRESH_MS);
refresh();
