// The phone during a round (cards, plan, capacity, lock), after it closes, and after the reveal.
import { h } from "./dom.js";
import { remainingMs, clockText } from "./store.js";
import {
  DECISION,
  ROLE,
  METRICS,
  MORE_METRICS,
  askerLine,
  badges,
  facts,
  rolesText,
  trend,
  changeText,
} from "./cards.js";

/** Update every [data-clock] from the view's timer, by the server's clock. */
export function tickClocks(store) {
  const v = store.view;
  const ms = v && v.timer ? remainingMs(v.timer, store.serverNow()) : null;
  for (const el of document.querySelectorAll("[data-clock]")) {
    const text = ms === null ? "" : (v.timer.status === "paused" ? "Paused " : "") + clockText(ms);
    if (el.textContent !== text) el.textContent = text;
    const box = el.closest(".tb-clock, .clock");
    if (box) box.classList.toggle("low", ms !== null && ms <= 30000 && v.timer.status === "running");
  }
}

function capacityMeter(cap) {
  const used = cap.used || 0;
  const avail = Math.max(0, cap.available || 0);
  const over = used - avail;
  const scale = Math.max(avail, used, 1);
  const free = avail - used;
  return h(
    "div",
    { class: over > 0 ? "capacity rushed" : "capacity" },
    h(
      "p",
      { class: "cap-label" },
      h("span", null, "Capacity"),
      h(
        "strong",
        { class: "cap-note" },
        `${used} of ${avail} points`,
        h("span", { class: "cap-free" }, over > 0 ? ` · ${over} rushed` : free ? ` · ${free} free` : " · full"),
      ),
    ),
    h(
      "div",
      {
        class: "meter",
        role: "meter",
        "aria-label": "capacity used",
        "aria-valuemin": "0",
        "aria-valuemax": String(avail),
        "aria-valuenow": String(Math.min(used, avail)),
        "aria-valuetext": over > 0 ? `${used} of ${avail} points, ${over} rushed` : `${used} of ${avail} points`,
      },
      h("span", { class: "fill", style: `width:${(Math.min(used, avail) / scale) * 100}%` }),
      over > 0 ? h("span", { class: "fill over", style: `width:${(over / scale) * 100}%` }) : null,
      over > 0 ? h("span", { class: "mark", style: `left:${(avail / scale) * 100}%` }) : null,
    ),
    over > 0 ? h("p", { class: "rush-note" }, "Rushed: work past capacity adds tech debt.") : null,
  );
}

function hintBox(card, roles) {
  const hints = card.hints || {};
  const mine = roles.filter((r) => hints[r]);
  if (!mine.length) return null;
  return h(
    "div",
    { class: "hints" },
    mine.map((r) =>
      h("p", { class: `hint ${r}` }, h("span", { class: "hint-role" }, `${ROLE[r]} hint`), hints[r]),
    ),
  );
}

function decisionButtons(card, choice, pending, locked) {
  const current = pending || (choice && choice.decision) || "";
  return h(
    "div",
    { class: "decide", role: "group", "aria-label": `Decision for ${card.title}` },
    ["build", "defer", "no"].map((d) =>
      h(
        "button",
        {
          type: "button",
          class: `choice ${d}${current === d ? " on" : ""}${pending === d ? " pending" : ""}`,
          "aria-pressed": current === d ? "true" : "false",
          disabled: locked,
          dataset: { action: "decide", card: card.id, decision: d },
        },
        DECISION[d],
      ),
    ),
  );
}

function cardView(card, v, ui, names) {
  if (card.kind === "event") {
    return h(
      "article",
      { class: "card news", "data-key": card.id },
      badges(card),
      h("h3", null, card.title),
      card.text ? h("p", { class: "card-text" }, card.text) : null,
    );
  }
  const choice = v.team.plan[card.id];
  const by = choice ? (choice.by === v.you.id ? "you" : names[choice.by] || "a teammate") : "";
  const state = choice ? choice.decision : "open";
  return h(
    "article",
    { class: `card decided-${state}`, "data-key": card.id, "aria-label": card.title },
    badges(card),
    h("h3", null, card.title),
    askerLine(card) ? h("p", { class: "asker" }, askerLine(card)) : null,
    card.text ? h("p", { class: "card-text" }, card.text) : null,
    facts(card),
    hintBox(card, v.you.roles),
    decisionButtons(card, choice, ui.pending[card.id], v.team.locked),
    h(
      "p",
      { class: "set-by" },
      choice ? `${DECISION[choice.decision]} — set by ${by}` : "Undecided (counts as Defer if the round ends)",
    ),
  );
}

function activityFeed(ui) {
  if (!ui.activity.length) return null;
  return h(
    "section",
    { class: "panel activity", "aria-label": "Recent changes to the plan" },
    h("h2", { class: "h3" }, "Live plan"),
    h(
      "ol",
      { "aria-live": "polite" },
      ui.activity.map((a, i) =>
        h(
          "li",
          { class: `act ${a.d}`, "data-key": `${a.at}-${i}` },
          a.who ? h("strong", null, a.who) : null,
          a.who ? " " : null,
          a.text,
        ),
      ),
    ),
  );
}

function lockBar(v, ui) {
  const decided = Object.keys(v.team.plan).length;
  const total = v.cards.filter((c) => c.kind !== "event").length;
  const names = Object.fromEntries(v.team.members.map((m) => [m.id, m.name]));
  if (v.team.locked) {
    const by = v.team.locked_by === v.you.id ? "you" : names[v.team.locked_by] || "a teammate";
    return h(
      "div",
      { class: "lockbar locked" },
      h("p", null, h("strong", null, "Plan locked"), ` by ${by}. Waiting for the other teams.`),
      h("button", { class: "btn", type: "button", dataset: { action: "unlock" }, disabled: ui.busy }, "Unlock"),
    );
  }
  return h(
    "div",
    { class: "lockbar" },
    h("p", null, h("strong", null, `${decided} of ${total}`), " decided"),
    h(
      "button",
      { class: "btn primary", type: "button", dataset: { action: "lock" }, disabled: ui.busy },
      "Lock our plan",
    ),
  );
}

export function roundScreen(v, ui) {
  const names = Object.fromEntries(v.team.members.map((m) => [m.id, m.name]));
  const news = v.cards.filter((c) => c.kind === "event");
  const cards = v.cards.filter((c) => c.kind !== "event");
  return h(
    "div",
    { class: "round" },
    h(
      "div",
      { class: "round-head" },
      h("h1", null, v.round.title),
      v.round.story ? h("p", { class: "story" }, v.round.story) : null,
      h(
        "p",
        { class: "role-chip" },
        `You play ${rolesText(v.you.roles)}`,
        v.team.members.length > 1 ? " · talk to your team before you tap" : "",
      ),
    ),
    h("div", { class: "sticky-cap" }, capacityMeter(v.team.capacity)),
    news.map((c) => cardView(c, v, ui, names)),
    h("h2", { class: "sr-only" }, "Cards to decide"),
    cards.map((c) => cardView(c, v, ui, names)),
    activityFeed(ui),
    h("div", { class: "spacer" }),
    lockBar(v, ui),
  );
}

export function closedScreen(v) {
  const plan = v.team.plan;
  return h(
    "section",
    { class: "closed stack" },
    h("div", { class: "big-note" }, h("p", { class: "kicker" }, `Round ${v.round.number}`), h("h1", null, "Plans are in"), h("p", null, "Eyes on the big screen: the results are coming.")),
    h(
      "div",
      { class: "panel" },
      h("h2", { class: "h3" }, "What your team decided"),
      h(
        "ul",
        { class: "plan-list" },
        v.cards
          .filter((c) => c.kind !== "event")
          .map((c) => {
            const d = plan[c.id] ? plan[c.id].decision : "defer";
            return h("li", { "data-key": c.id }, h("span", { class: `badge ${d}` }, DECISION[d]), h("span", null, c.title));
          }),
      ),
    ),
  );
}

export function figureTiles(before, after, list = [...METRICS, ...MORE_METRICS]) {
  return h(
    "dl",
    { class: "tiles" },
    list.map((m) => {
      const change = before ? after[m.key] - before[m.key] : 0;
      const t = trend(change, m.better);
      return h(
        "div",
        { class: `tile ${t}`, "data-key": m.key },
        h("dt", null, m.label),
        h("dd", null, h("span", { class: "value" }, m.fmt(after[m.key])), before ? h("span", { class: `chg ${t}` }, changeText(m, change)) : null),
      );
    }),
  );
}

export function resultScreen(v) {
  const o = v.team.outcome;
  if (!o) return h("section", { class: "center-note" }, h("p", null, "Results are on their way…"));
  const last = v.round.number >= v.round.count;
  return h(
    "section",
    { class: "result stack" },
    h("div", null, h("p", { class: "kicker" }, `Round ${v.round.number} · ${v.round.title}`), h("h1", null, `What happened to ${v.team.name}`)),
    figureTiles(o.before, o.after),
    h("p", { class: "effort" }, `You used ${o.effort_used} of ${o.capacity} capacity points.`),
    h(
      "ol",
      { class: "lines" },
      o.lines.map((line, i) => h("li", { "data-key": String(i) }, line)),
    ),
    h("p", { class: "waiting-note" }, last ? "That was the last round. The debrief is next." : "The next round starts when the facilitator is ready."),
  );
}
