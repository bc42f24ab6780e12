// The phone during a round (cards, plan, capacity, lock), after it closes, and after the reveal.
import { h } from "./dom.js";
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
import { tracedTiles } from "./causes.js";
import { reasonBox, reasonList } from "./reasons.js";

/** Every team has locked: the round closes in a few seconds unless someone unlocks (or the facilitator waits). */
export function closingNote(v) {
  if (!v.timer || v.timer.closing_at_ms == null) return null;
  return h("p", { class: "closing-note", role: "status" }, "Every team has locked: the round closes in ", h("strong", { "data-closing": "" }, ""), ".");
}

/** What fits this round: capacity, the rush allowance past it (striped: it adds debt and bugs),
 *  the limit nothing goes past, and the points the plan builds. The numbers come from the server. */
function capacityMeter(cap) {
  const avail = Math.max(0, cap.available || 0);
  const planned = cap.planned ?? cap.used ?? 0;
  const limit = Math.max(avail, cap.limit ?? avail);
  const rush = limit - avail;
  const over = cap.over ?? Math.max(0, planned - limit);
  const rushed = Math.max(0, Math.min(planned, limit) - avail);
  const left = Math.max(0, limit - planned);
  const scale = Math.max(limit, planned, 1);
  const pct = (n) => `${(n / scale) * 100}%`;
  const status =
    over > 0 ? `${over} over the limit` : planned < avail ? `${avail - planned} free` : left ? `${left} more, rushed` : "full";
  const said = `${planned} of ${limit} points planned: ${avail} capacity${rush ? ` + ${rush} rush` : ""}, ${
    over > 0 ? `${over} over the limit` : rushed > 0 ? `${rushed} rushed` : `${avail - planned} free`
  }`;
  return h(
    "div",
    { class: `capacity${over > 0 ? " over" : ""}${rushed > 0 ? " rushed" : ""}` },
    h(
      "p",
      { class: "cap-label" },
      h("span", null, "Capacity"),
      h("strong", { class: "cap-note" }, `${planned} of ${limit} point${limit === 1 ? "" : "s"}`, h("span", { class: "cap-free" }, ` · ${status}`)),
    ),
    h(
      "div",
      {
        class: "meter",
        role: "meter",
        "aria-label": "points planned",
        "aria-valuemin": "0",
        "aria-valuemax": String(limit),
        "aria-valuenow": String(Math.min(planned, limit)),
        "aria-valuetext": said,
      },
      rush ? h("span", { class: "zone rush", style: `left:${pct(avail)};width:${pct(rush)}` }) : null,
      h("span", { class: "fill", style: `width:${pct(Math.min(planned, avail))}` }),
      rushed ? h("span", { class: "fill rushed", style: `left:${pct(avail)};width:${pct(rushed)}` }) : null,
      over ? h("span", { class: "fill over", style: `left:${pct(limit)};width:${pct(over)}` }) : null,
      rush ? h("span", { class: "mark", style: `left:${pct(avail)}` }) : null,
    ),
    h(
      "p",
      { class: "cap-scale", "aria-hidden": "true" },
      h("span", { class: "cap-own", style: `width:${pct(avail)}` }, `${avail} capacity`),
      rush ? h("span", { class: "cap-rush" }, `+${rush} rush`) : null,
    ),
    over > 0
      ? h("p", { class: "rush-note" }, `Over the limit by ${over}: defer or say no to something.`)
      : h(
          "p",
          { class: rushed > 0 ? "rush-note" : "rush-key" },
          rushed > 0 ? `Rushed ${rushed} point${rushed === 1 ? "" : "s"}: ` : `Past ${avail} the work is rushed: it `,
          "adds debt and bugs.",
        ),
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

function decisionButtons(card, choice, pending, locked, noRoom) {
  const current = pending || (choice && choice.decision) || "";
  // A Build that would not fit looks it before anyone taps; a tap still asks the server, which says why.
  const nofit = (d) => d === "build" && noRoom > 0 && current !== "build";
  return h(
    "div",
    { class: "decide", role: "group", "aria-label": `Decision for ${card.title}` },
    ["build", "defer", "no"].map((d) =>
      h(
        "button",
        {
          type: "button",
          class: `choice ${d}${current === d ? " on" : ""}${pending === d ? " pending" : ""}${nofit(d) ? " nofit" : ""}`,
          "aria-pressed": current === d ? "true" : "false",
          disabled: locked,
          dataset: { action: "decide", card: card.id, decision: d },
        },
        DECISION[d],
        nofit(d) ? h("span", { class: "nofit-note" }, ` No room (+${noRoom})`) : null,
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
    decisionButtons(card, choice, ui.pending[card.id], v.team.locked, (v.team.capacity.no_room || {})[card.id] || 0),
    ui.refused[card.id] ? h("p", { class: "refusal", role: "alert" }, ui.refused[card.id].text) : null,
    h(
      "p",
      { class: "set-by" },
      choice ? `${DECISION[choice.decision]} — set by ${by}` : "Undecided (counts as Defer if the round ends)",
    ),
    reasonBox(card, v, ui),
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
      closingNote(v) || h("p", null, h("strong", null, "Plan locked"), ` by ${by}. Waiting for the other teams.`),
      h("button", { class: "btn", type: "button", dataset: { action: "unlock" }, disabled: ui.busy }, "Unlock"),
    );
  }
  const over = v.team.capacity.over || 0; // a plan past the limit cannot be locked: say why, here
  return h(
    "div",
    { class: `lockbar${over > 0 ? " over" : ""}` },
    over > 0
      ? h("p", { id: "lock-why" }, h("strong", null, `${over} over the limit`), ": defer or say no to something first")
      : h("p", null, h("strong", null, `${decided} of ${total}`), " decided"),
    h(
      "button",
      {
        class: "btn primary",
        type: "button",
        dataset: { action: "lock" },
        disabled: ui.busy || over > 0,
        "aria-describedby": over > 0 ? "lock-why" : null,
      },
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
    v.phase === "revealed"
      ? [h("p", { class: "hint-text tap-hint" }, "Tap a figure to see what moved it."), tracedTiles(`res|${o.round}`, o, [...METRICS, ...MORE_METRICS], { title: `round ${o.round + 1}` })]
      : figureTiles(o.before, o.after),
    h("p", { class: "effort" }, `You used ${o.effort_used} of ${o.capacity} capacity points.`),
    h(
      "ol",
      { class: "lines" },
      o.lines.map((line, i) => h("li", { "data-key": String(i) }, line)),
    ),
    o.reasons && o.reasons.length
      ? h("section", { class: "panel why-panel" }, h("h2", { class: "h3" }, "Your reasons, and what came of them"), reasonList(o.reasons))
      : null,
    h("p", { class: "waiting-note" }, last ? "That was the last round. The debrief is next." : "The next round starts when the facilitator is ready."),
  );
}
