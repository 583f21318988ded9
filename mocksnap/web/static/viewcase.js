// A case's page (GET /viewcase?c=ID): the case and its deliveries from the control API, loaded again when the
// live feed reports a change to the case.
"use strict";

const caseId = new URLSearchParams(location.search).get("c") || "";
const byId = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function time(ms) {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "";
}

function show(found, deliveries) {
  byId("summary").textContent =
    `${found.type} · ${found.state}${found.endedBy ? ` (ended by ${found.endedBy})` : ""} · widget ${found.widgetId}` +
    ` · started ${time(found.createdAt)} · agent ${found.agentId || "none"}` +
    (found.surveyScore !== null ? ` · survey ${found.surveyScore}` : "");
  byId("transcript").replaceChildren(...found.entries.map((entry) => {
    const line = element("li", undefined, entry.sender);
    line.append(element("span", time(entry.at), "when"));
    line.append(element("span", entry.sender === "VISITOR" ? "Visitor" : entry.alias || entry.sender, "who"));
    line.append(element("span", entry.message));
    return line;
  }));
  const facts = Object.entries(found.visitor).filter(([, value]) => value !== null && value !== "" &&
    !(Array.isArray(value) && value.length === 0));
  byId("visitor").replaceChildren(...facts.flatMap(([name, value]) => [
    element("dt", name),
    element("dd", Array.isArray(value) ? value.map((v) => `${v.name}=${v.value}`).join(", ") : value),
  ]));
  byId("labels").replaceChildren(...found.labels.map((label) => element("li", `${label.name}: ${label.value}`)));
  byId("deliveries").replaceChildren(...deliveries.map((delivery) =>
    element("li", `${delivery.id} ${delivery.kind} → ${delivery.url}: ${delivery.status} (${delivery.attempts} attempts)`)));
}

async function load() {
  const answer = await fetchAdmin(`/__admin/cases/${encodeURIComponent(caseId)}`);
  if (!answer.ok) {
    byId("summary").textContent = `No case ${caseId} in this world.`;
    return;
  }
  const deliveries = await fetchAdmin(`/__admin/deliveries?caseId=${encodeURIComponent(caseId)}`);
  show(await answer.json(), deliveries.ok ? (await deliveries.json()).deliveries : []);
}

byId("case-id").textContent = caseId;
document.title = `mocksnap case ${caseId}`;
followLive({ case: caseId }, load);
setInterval(load, 5000); // a delivery's attempts are no world event: their outcome shows within seconds
load();
