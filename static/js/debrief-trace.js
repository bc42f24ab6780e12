// The debrief's tracing tools: call-outs, a round-by-round explorer whose every figure opens its
// causes (the year after too), and the what-if: flip one decision, see the game replayed.
import { h, money } from "./dom.js";
import { DECISION, METRICS, MORE_METRICS } from "./cards.js";
import { resetCauses, tracedTiles } from "./causes.js";
import { signedMoney } from "./value.js";
import { reasonList } from "./reasons.js";
import { chunks, pageOf, pagerBar, span } from "./pager.js";

const FIGURES = [...METRICS, MORE_METRICS[0]];
const ALL = [...FIGURES, MORE_METRICS[1]];
const NEXT = { build: ["defer", "no"], defer: ["build", "no"], no: ["build", "defer"] };
const INSTEAD = { build: "Build", defer: "Defer", no: "Say no" };

const trace = { round: {} }; // team id -> "r<index>" or "q<quarter>"
const wi = { round: {}, answers: {}, busy: false, error: "", view: "value" }; // by team id; which part of the answer shows

// -- call-outs ------------------------------------------------------------------------------------------------
export function callouts(team, { named = false } = {}) {
  if (!team.callouts || !team.callouts.length) return null;
  return h(
    "div",
    { class: "callouts", "data-key": `co-${team.id}` },
    named ? h("h3", null, team.name) : null,
    h(
      "ul",
      null,
      team.callouts.map((c) => h("li", { class: `callout ${c.key}`, "data-key": c.key }, h("strong", null, c.title), h("p", null, c.text))),
    ),
  );
}

// -- round by round ---------------------------------------------------------------------------------------------
/** A team's game round by round; `host`: the projector, where the facilitator may hide a reason. */
export function explorer(team, { host = false } = {}) {
  const rounds = team.rounds || [];
  const quarters = team.year_after || [];
  const chosen = trace.round[team.id] || (rounds.length ? `r${rounds.length - 1}` : "");
  const tab = (key, label, more) =>
    h(
      "button",
      { type: "button", class: `btn small${key === chosen ? " dark" : ""}`, "aria-pressed": key === chosen ? "true" : "false", dataset: { action: "traceRound", team: team.id, round: key }, "data-key": key },
      label,
      h("span", { class: "sr-only" }, more),
    );
  let shown = null;
  let title = "";
  if (chosen.startsWith("q")) {
    const q = quarters[Number(chosen.slice(1)) - 1];
    if (q) {
      shown = { ...q, decisions: [] };
      title = `the year after, quarter ${q.quarter}`;
    }
  } else {
    const r = rounds[Number(chosen.slice(1))];
    if (r) {
      shown = r;
      title = `round ${r.round + 1}`;
    }
  }
  return h(
    "div",
    { class: "explorer", "data-key": `ex-${team.id}` },
    h(
      "div",
      { class: "ex-tabs", role: "group", "aria-label": `${team.name}: which round` },
      rounds.map((r) => tab(`r${r.round}`, `R${r.round + 1}`, `: round ${r.round + 1}, ${r.title}`)),
      quarters.length ? h("span", { class: "ex-sep" }, "Year after:") : null,
      quarters.map((q) => tab(`q${q.quarter}`, `Q${q.quarter}`, ` of the year after`)),
    ),
    shown
      ? [
          h("p", { class: "ex-title" }, chosen.startsWith("q") ? `The year after, quarter ${shown.quarter}: no new cards, everything built runs on` : `Round ${shown.round + 1} · ${shown.title}`),
          tracedTiles(`db|${team.id}|${chosen}`, shown, FIGURES, { title: `${team.name}, ${title}`, story: true }),
          shown.reasons && shown.reasons.length
            ? h("div", { class: "ex-reasons" }, h("h3", { class: "h4" }, `Why ${team.name} decided as it did`), reasonList(shown.reasons, { hide: host, team: team.id, round: shown.round }))
            : null,
        ]
      : h("p", { class: "hint-text" }, "No rounds played."),
  );
}

// -- what if ---------------------------------------------------------------------------------------------------
function flipRow(team, r, d, cls = "") {
  const from = d.chosen || d.decision;
  return h(
    "li",
    { class: ["wi-card", cls], "data-key": d.card },
    h("span", { class: "wi-title" }, h("span", { class: `badge ${from}` }, d.bumped ? "Build (no room)" : DECISION[from]), " ", d.title, d.asker ? h("small", null, ` · ${d.asker}`) : null),
    h(
      "span",
      { class: "wi-flips" },
      NEXT[from].map((to) =>
        h(
          "button",
          {
            type: "button",
            class: `btn small wi-flip ${to}`,
            disabled: wi.busy,
            dataset: { action: "whatIf", team: team.id, round: String(r.round), card: d.card, decision: to },
          },
          h("span", { class: "sr-only" }, "What if: "),
          INSTEAD[to],
          h("span", { class: "sr-only" }, ` “${d.title}” in round ${r.round + 1}`),
        ),
      ),
    ),
  );
}

function diffCell(key, a, b, better = 1) {
  const d = b - a;
  const fmt = ALL.find((m) => m.key === key);
  const text = key === "value" ? signedMoney(d) : Math.abs(d) < 0.5 ? "±0" : `${d > 0 ? "+" : "−"}${fmt.fmt(Math.abs(d))}`;
  const tone = Math.abs(d) < 0.5 ? "flat" : d * better > 0 ? "up" : "down";
  return h("td", { class: `n wi-diff ${tone}` }, text);
}

function answerTable(ans, { value = true, figures = true } = {}) {
  const a = ans.actual.history[ans.actual.history.length - 1] || {};
  const b = ans.whatif.history[ans.whatif.history.length - 1] || {};
  const partsA = Object.fromEntries(ans.actual.value.parts.map((p) => [p.key, p]));
  return h(
    "table",
    { class: "wi-table" },
    h("caption", { class: "sr-only" }, "What happened and what would have happened, side by side"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "At the end"), h("th", { scope: "col", class: "n" }, "Really"), h("th", { scope: "col", class: "n" }, "What if"), h("th", { scope: "col", class: "n" }, "Change"))),
    h(
      "tbody",
      { class: value ? "" : "pg-off" },
      h("tr", { class: "wi-value", "data-key": "value" }, h("th", { scope: "row" }, "Company value"), h("td", { class: "n" }, money(ans.actual.value.total)), h("td", { class: "n" }, money(ans.whatif.value.total)), diffCell("value", ans.actual.value.total, ans.whatif.value.total)),
      ans.whatif.value.parts.map((p) =>
        h("tr", { class: "wi-part", "data-key": `part-${p.key}` }, h("th", { scope: "row" }, h("small", null, p.label)), h("td", { class: "n" }, signedMoney(partsA[p.key].amount)), h("td", { class: "n" }, signedMoney(p.amount)), diffCell("value", partsA[p.key].amount, p.amount)),
      ),
    ),
    h(
      "tbody",
      { class: figures ? "" : "pg-off" },
      ALL.map((m) => h("tr", { "data-key": m.key }, h("th", { scope: "row" }, m.label), h("td", { class: "n" }, m.fmt(a[m.key])), h("td", { class: "n" }, m.fmt(b[m.key])), diffCell(m.key, a[m.key], b[m.key], m.better))),
    ),
  );
}

const PAST = { build: "built", defer: "deferred", no: "said no to" };

function flipText(f) {
  return `${PAST[f.to]} “${f.title}” in round ${f.round + 1} instead of ${f.from === "no" ? "saying no" : f.from === "build" ? "building it" : "deferring it"}`;
}

function storyBoth(was, now) {
  return h("div", { class: "wi-both" }, h("div", null, h("h4", null, "What happened"), h("ol", null, was.lines.map((l, i) => h("li", { "data-key": String(i) }, l)))), h("div", null, h("h4", null, "What if"), h("ol", null, now.lines.map((l, i) => h("li", { "data-key": String(i) }, l)))));
}

/** The round both ways on the projector: only the lines that differ, side by side. */
function storyDiff(was, now) {
  const a = new Set(was.lines);
  const b = new Set(now.lines);
  const only = (lines, other) => lines.filter((l) => !other.has(l));
  const same = was.lines.filter((l) => b.has(l)).length;
  const col = (title, lines) => h("div", null, h("h4", null, title), lines.length ? h("ol", null, lines.map((l, i) => h("li", { "data-key": String(i) }, l))) : h("p", { class: "hint-text" }, "Nothing else."));
  return [
    h("div", { class: "wi-both" }, col("Only in what happened", only(was.lines, b)), col("Only in the what-if", only(now.lines, a))),
    same ? h("p", { class: "hint-text wi-same" }, `${same === 1 ? "One line" : `${same} lines`} of the round's story read the same both ways.`) : null,
  ];
}

function earlierList(answers) {
  return h(
    "div",
    { class: "wi-earlier" },
    h("h4", null, "Tried before"),
    h(
      "ul",
      null,
      answers.map((a) => h("li", { "data-key": `${a.flip.round}|${a.flip.card}|${a.flip.to}` }, `Had you ${flipText(a.flip)}: company value `, h("strong", null, signedMoney(a.whatif.value.total - a.actual.value.total)))),
    ),
  );
}

/**
 * The answer: what happened and what would have, side by side. On a phone it all shows, the round's
 * story behind a click; on the projector one part at a time (company value, the figures, the round
 * told both ways, the flips tried before), picked by the buttons above it.
 */
function answerView(ans, earlier, { host = false } = {}) {
  const was = ans.actual.rounds[0];
  const now = ans.whatif.rounds[0];
  const key = `${ans.flip.round}|${ans.flip.card}|${ans.flip.to}`;
  const head = [h("h3", null, `What if you had ${flipText(ans.flip)}?`), host ? null : h("p", { class: "hint-text wi-note" }, "Same cards, same dice; later rounds keep your plans for the cards still on the table.")];
  if (!host)
    return h(
      "div",
      { class: "wi-answer", "data-key": key, role: "status" },
      head,
      answerTable(ans),
      was && now ? h("details", { class: "wi-story" }, h("summary", null, `Round ${ans.flip.round + 1}, told both ways`), storyBoth(was, now)) : null,
      earlier.length ? earlierList(earlier) : null,
    );
  const views = [
    ["value", "Value"],
    ["figures", "Figures"],
    ...(was && now ? [["story", `Round ${ans.flip.round + 1}, both ways`]] : []),
    ...(earlier.length ? [["earlier", `Tried before (${earlier.length})`]] : []),
  ];
  const view = views.some(([k]) => k === wi.view) ? wi.view : "value";
  return h(
    "div",
    { class: "wi-answer", "data-key": key, role: "status" },
    head,
    h(
      "div",
      { class: "wi-views no-print", role: "group", "aria-label": "Show" },
      views.map(([k, label]) => h("button", { type: "button", class: `btn small${k === view ? " dark" : ""}`, "aria-pressed": k === view ? "true" : "false", dataset: { action: "whatIfView", view: k }, "data-key": k }, label)),
    ),
    h("div", { class: view === "value" || view === "figures" ? "" : "pg-off" }, answerTable(ans, { value: view === "value", figures: view === "figures" })),
    was && now ? h("div", { class: view === "story" ? "" : "pg-off" }, storyDiff(was, now)) : null,
    earlier.length ? h("div", { class: view === "earlier" ? "" : "pg-off" }, earlierList(earlier)) : null,
  );
}

export function whatIf(team, { host = false } = {}) {
  const rounds = team.rounds || [];
  if (!rounds.length) return h("p", { class: "hint-text" }, "No rounds played, so nothing to flip.");
  const sel = Math.min(wi.round[team.id] ?? 0, rounds.length - 1);
  const r = rounds[sel];
  const answers = wi.answers[team.id] || [];
  // on the projector a round's cards show five at a time (a round with deferred cards brings more)
  const pid = `wi|${team.id}|${r.round}`;
  const cardPages = chunks(r.decisions, 5);
  const cardStep = pageOf(pid, cardPages.length);
  const wide = host && answers.length && wi.view === "story";
  return h(
    "div",
    { class: ["whatif", wide ? "wi-wide" : ""], "data-key": `wi-${team.id}` },
    h(
      "div",
      { class: ["wi-pick", wide ? "pg-off" : ""] },
      h(
        "div",
        { class: "ex-tabs", role: "group", "aria-label": `${team.name}: which round's decision` },
        rounds.map((x) => h("button", { type: "button", class: `btn small${x.round === sel ? " dark" : ""}`, "aria-pressed": x.round === sel ? "true" : "false", dataset: { action: "whatIfRound", team: team.id, round: String(x.round) }, "data-key": String(x.round) }, `R${x.round + 1}`, h("span", { class: "sr-only" }, `: round ${x.round + 1}, ${x.title}`))),
      ),
      h("div", { class: "wi-how-row" }, h("p", { class: "wi-how" }, `Round ${r.round + 1} · ${r.title}`, host ? "" : ": what you decided, and what you could try instead"), host ? pagerBar(pid, cardPages.map((g) => span("Cards", r.decisions.indexOf(g[0]), g.length, r.decisions.length)), { what: "page" }) : null),
      h("ul", { class: "wi-cards" }, r.decisions.map((d) => flipRow(team, r, d, host && !cardPages[cardStep].includes(d) ? "pg-off" : ""))),
      wi.error ? h("p", { class: "error", role: "alert" }, wi.error) : null,
    ),
    h(
      "div",
      { class: "wi-result" },
      wi.busy ? h("p", { class: "hint-text" }, "Replaying…") : null,
      answers.length ? answerView(answers[0], answers.slice(1), { host }) : h("p", { class: "hint-text wi-empty" }, "Pick a decision and flip it: the game replays with the same dice, and every figure shows side by side with what really happened."),
    ),
  );
}

/** The debrief's actions, for the page's one delegated listener: `request` asks the server. */
export function traceActions({ request, paint }) {
  return {
    traceRound(el) {
      trace.round[el.dataset.team] = el.dataset.round;
      resetCauses("db|");
      paint();
    },
    whatIfView(el) {
      wi.view = el.dataset.view;
      paint();
    },
    whatIfRound(el) {
      wi.round[el.dataset.team] = Number(el.dataset.round);
      wi.error = "";
      paint();
    },
    async whatIf(el) {
      const { team, round, card, decision } = el.dataset;
      wi.busy = true;
      wi.error = "";
      paint();
      try {
        const ack = await request("whatif", { team, round: Number(round), card, decision });
        const list = (wi.answers[team] ||= []);
        list.unshift(ack.whatif);
        list.splice(6);
        wi.view = "value"; // a new answer opens on what it does to the company's value
      } catch (err) {
        wi.error = err.message || "The what-if could not be played.";
      } finally {
        wi.busy = false;
        paint();
      }
    },
  };
}
