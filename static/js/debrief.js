// The debrief, on the projector (every team) and on a phone (its own team). Loaded only when the
// game ends; the charts load uPlot only then, so a player's first load stays small.
import { h, money, num } from "./dom.js";
import { METRICS, DECISION, KIND } from "./cards.js";
import { chart, COLORS, REF_STYLE } from "./charts.js";

ensureCss("/static/vendor/uPlot.min.css");
ensureCss("/static/css/debrief.css");

function ensureCss(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h("link", { rel: "stylesheet", href }));
}

// Printing shows everything: closed sections open for the print and close again after.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...document.querySelectorAll(".debrief details:not([open])")];
  openedForPrint.forEach((d) => (d.open = true));
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((d) => (d.open = false));
  openedForPrint = [];
});

const SIGNAL_HELP = "0 = product-driven · 100 = sales-driven";
const state = { team: "", refs: true }; // which team's signals are open; whether charts show strategies

export function setDebriefOption(key, value) {
  state[key] = value;
}

function colorOf(i) {
  return COLORS[i % COLORS.length];
}

function last(arr) {
  return arr[arr.length - 1];
}

// -- pieces ----------------------------------------------------------------------------------------------
function legend(teams, refs, showRefs) {
  return h(
    "ul",
    { class: "legend", "aria-label": "Chart legend" },
    teams.map((t, i) =>
      h("li", { "data-key": t.id }, h("span", { class: "swatch", style: `background:${colorOf(i)}` }), t.name),
    ),
    showRefs
      ? refs.map((r) =>
          h(
            "li",
            { class: "ref", "data-key": r.strategy },
            h("span", { class: `swatch dash ${r.strategy}`, style: `border-color:${REF_STYLE[r.strategy].stroke}` }),
            `${r.strategy} (strategy)`,
          ),
        )
      : null,
  );
}

function charts(data, { teams, size, showRefs }) {
  const refs = showRefs ? data.references : [];
  const played = data.rounds_played;
  const key = `${teams.map((t) => t.id).join(",")}|${showRefs}|${size}`;
  return h(
    "div",
    { class: `charts ${size}` },
    METRICS.map((m) =>
      h(
        "figure",
        { class: "chart-box", "data-key": `${m.key}` },
        h("figcaption", null, m.label, h("small", null, m.help)),
        chart({
          key: `${m.key}|${key}`,
          metric: m,
          played,
          series: [
            ...teams.map((t, i) => ({ label: t.name, values: t.history.map((s) => s[m.key]), color: colorOf(i) })),
            ...refs.map((r) => ({ label: r.strategy, values: r.history.map((s) => s[m.key]), ref: r.strategy })),
          ],
          size,
          summary: teams.map((t) => `${t.name}: ${m.fmt(t.history[0][m.key])} to ${m.fmt(last(t.history)[m.key])}`).join("; "),
        }),
      ),
    ),
  );
}

function scoreBar(score) {
  return h(
    "span",
    { class: "score", role: "img", "aria-label": `${score} out of 100` },
    h("span", { class: "score-fill", style: `width:${score}%` }),
    h("span", { class: "score-num" }, String(score)),
  );
}

function signalsMatrix(data, teams) {
  const names = (teams[0] && teams[0].signals.length ? teams[0] : data.references[0] || { signals: [] }).signals;
  const rows = [...teams.map((t) => ({ id: t.id, name: t.name, signals: t.signals })), ...data.references.map((r) => ({ id: r.strategy, name: r.strategy, signals: r.signals, ref: true }))];
  return h(
    "table",
    { class: "matrix" },
    h("caption", { class: "sr-only" }, "Five-signal profile of every team and strategy"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Team"), names.map((s) => h("th", { scope: "col", "data-key": s.key }, s.name)))),
    h(
      "tbody",
      null,
      rows.map((r) =>
        h(
          "tr",
          { class: r.ref ? "ref" : "", "data-key": r.id },
          h("th", { scope: "row" }, r.name, r.ref ? h("small", null, " strategy") : null),
          r.signals.map((s) => h("td", { "data-key": s.key }, scoreBar(s.score))),
        ),
      ),
    ),
  );
}

function signalsDetail(team) {
  if (!team.signals.length) return h("p", { class: "hint-text" }, "No rounds played, so no profile.");
  return h(
    "ol",
    { class: "signals" },
    team.signals.map((s) =>
      h(
        "li",
        { class: "signal", "data-key": s.key },
        h("p", { class: "sig-head" }, h("span", { class: "sig-name" }, s.name), scoreBar(s.score)),
        h("p", { class: "sig-text" }, s.explanation),
      ),
    ),
  );
}

function liabilityList(team, played) {
  if (!team.liabilities.length)
    return h("p", { class: "none" }, "No liabilities: nothing was built that turned into dead weight.");
  return h(
    "ul",
    { class: "liabs" },
    team.liabilities.map((l) => {
      const rounds = Math.max(0, played - 1 - l.round_built);
      return h(
        "li",
        { class: "liab", "data-key": l.card },
        h("p", { class: "liab-title" }, l.title),
        h("p", { class: "liab-who" }, l.for_whom ? `Built for ${l.for_whom} in round ${l.round_built + 1}` : `Built in round ${l.round_built + 1}`),
        h("p", { class: "liab-why" }, l.why),
        l.maintenance
          ? h(
              "p",
              { class: "liab-cost" },
              `Costs ${num(l.maintenance, 1)} capacity point${l.maintenance === 1 ? "" : "s"} every round`,
              rounds ? ` — ${num(l.maintenance * rounds, 1)} so far` : "",
            )
          : null,
      );
    }),
  );
}

function comparison(data, teams, { compact = false } = {}) {
  const rows = [
    ...teams.map((t, i) => ({
      name: t.name,
      end: last(t.history),
      color: colorOf(i),
      blurb: t.bot ? `Bot: ${t.bot}` : (t.members || []).join(", "),
    })),
    ...data.references.map((r) => ({ name: r.strategy, end: last(r.history), ref: r.strategy, blurb: r.blurb })),
  ];
  const cols = compact
    ? METRICS.map((m) => ({ ...m, label: m.short || m.label }))
    : [...METRICS, { key: "cash", label: "Cash", fmt: money }];
  const swatch = (r) =>
    r.ref
      ? h("span", { class: `swatch dash ${r.ref}`, style: `border-color:${REF_STYLE[r.ref].stroke}` })
      : h("span", { class: "swatch", style: `background:${r.color}` });
  const table = h(
    "table",
    { class: "compare" },
    h("caption", { class: "sr-only" }, "End of game figures: your teams and the reference strategies with the same cards and seed"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Who"), cols.map((c) => h("th", { scope: "col", class: "n" }, c.label)))),
    h(
      "tbody",
      null,
      rows.map((r) =>
        h(
          "tr",
          { class: r.ref ? "ref" : "" },
          h("th", { scope: "row" }, swatch(r), h("span", { class: "cmp-name" }, r.name, h("small", null, r.blurb))),
          cols.map((c) => h("td", { class: "n" }, c.fmt(r.end[c.key]))),
        ),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, table);
}

function prompts(data, big) {
  if (!data.prompts.length) return null;
  return h("ol", { class: big ? "prompts big" : "prompts" }, data.prompts.map((p, i) => h("li", { "data-key": String(i) }, p)));
}

function behindCards(data) {
  const cards = data.cards.filter((c) => c.kind !== "event");
  return h(
    "details",
    { class: "behind" },
    h("summary", null, "Behind the cards: what every card was really worth"),
    h(
      "table",
      { class: "cards-table" },
      h(
        "thead",
        null,
        h("tr", null, ["Card", "Kind", "Curb appeal", "Lasting value", "Asked right", "Upkeep / round"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        null,
        cards.map((c) =>
          h(
            "tr",
            { "data-key": c.id },
            h("th", { scope: "row" }, c.title, c.asker ? h("small", null, c.asker) : null),
            h("td", null, KIND[c.kind] || c.kind),
            h("td", { class: "n" }, num(c.hidden.curb_appeal, 1)),
            h("td", { class: `n${c.hidden.lasting_value < c.hidden.curb_appeal - 1 ? " low" : ""}` }, num(c.hidden.lasting_value, 1)),
            h("td", { class: "n" }, `${Math.round(c.hidden.requirement_accuracy * 100)}%`),
            h("td", { class: "n" }, c.hidden.maintenance ? num(c.hidden.maintenance, 1) : "—"),
          ),
        ),
      ),
    ),
  );
}

function decisionsTable(team) {
  return h(
    "details",
    { class: "behind" },
    h("summary", null, "Every decision, round by round"),
    team.rounds.map((r) =>
      h(
        "div",
        { class: "round-decisions", "data-key": String(r.round) },
        h("h4", null, `Round ${r.round + 1} · ${r.title}`),
        h(
          "ul",
          null,
          r.decisions.map((d) =>
            h("li", { "data-key": d.card }, h("span", { class: `badge ${d.decision}` }, DECISION[d.decision]), ` ${d.title}`, d.by ? h("small", null, ` — ${d.by}`) : null),
          ),
        ),
      ),
    ),
  );
}

const SECTIONS = [
  ["charts", "Charts"],
  ["signals", "Five signals"],
  ["liabilities", "Liabilities"],
  ["strategies", "Strategies"],
  ["discuss", "Discuss"],
  ["cards", "Behind the cards"],
];

// -- the projector -------------------------------------------------------------------------------------------
export function hostDebrief(data) {
  const teams = data.teams;
  const open = teams.find((t) => t.id === state.team) || teams.find((t) => !t.bot) || teams[0];
  const played = data.rounds_played;
  return h(
    "div",
    { class: "debrief host-debrief" },
    h(
      "header",
      { class: "db-head" },
      h(
        "div",
        null,
        h("p", { class: "kicker" }, "Debrief"),
        h("h1", null, data.scenario.title),
        h(
          "p",
          { class: "db-meta" },
          `${played} round${played === 1 ? "" : "s"} played`,
          data.ended_early ? " (ended early)" : "",
          ` · seed ${data.seed} · built for ${data.scenario.target_persona}`,
        ),
      ),
      h(
        "div",
        { class: "db-export no-print" },
        h("button", { class: "btn small", type: "button", dataset: { action: "exportCsv" } }, "Download CSV"),
        h("button", { class: "btn small", type: "button", dataset: { action: "exportJson" } }, "Download JSON"),
        h("button", { class: "btn small", type: "button", dataset: { action: "print" } }, "Print / PDF"),
      ),
    ),
    h(
      "nav",
      { class: "db-nav no-print", "aria-label": "Debrief sections" },
      SECTIONS.map(([id, label], i) => h("a", { href: `#sec-${id}`, "data-key": id }, h("kbd", null, String(i + 1)), ` ${label}`)),
    ),
    h(
      "section",
      { id: "sec-charts", class: "db-sec", "aria-labelledby": "h-charts" },
      h(
        "div",
        { class: "sec-head" },
        h("h2", { id: "h-charts" }, "How every company did, round by round"),
        h(
          "label",
          { class: "toggle no-print" },
          h("input", { type: "checkbox", checked: state.refs, "data-change": "toggleRefs" }),
          " Show the reference strategies",
        ),
      ),
      legend(teams, data.references, state.refs),
      charts(data, { teams, size: "wide", showRefs: state.refs }),
    ),
    h(
      "section",
      { id: "sec-signals", class: "db-sec", "aria-labelledby": "h-signals" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-signals" }, "The five signals of a sales-driven roadmap"), h("p", { class: "hint-text" }, SIGNAL_HELP)),
      signalsMatrix(data, teams),
      h(
        "div",
        { class: "team-tabs no-print", role: "group", "aria-label": "Show the explanations for" },
        teams.map((t) =>
          h("button", { class: `btn small${t.id === open.id ? " dark" : ""}`, type: "button", "aria-pressed": t.id === open.id ? "true" : "false", dataset: { action: "openTeam", team: t.id }, "data-key": t.id }, t.name),
        ),
      ),
      h("div", { class: "screen-only" }, h("h3", { class: "detail-title" }, `Why ${open.name} scored this way`), signalsDetail(open)),
      h(
        "div",
        { class: "print-only" },
        teams.map((t) => h("div", { class: "print-team", "data-key": t.id }, h("h3", null, t.name), signalsDetail(t))),
      ),
    ),
    h(
      "section",
      { id: "sec-liabilities", class: "db-sec", "aria-labelledby": "h-liab" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-liab" }, "Liabilities: what was built for whom, and what it costs now")),
      h(
        "div",
        { class: "liab-grid" },
        teams.map((t, i) => h("div", { class: "liab-team", "data-key": t.id }, h("h3", null, h("span", { class: "swatch", style: `background:${colorOf(i)}` }), t.name), liabilityList(t, played))),
      ),
    ),
    h(
      "section",
      { id: "sec-strategies", class: "db-sec", "aria-labelledby": "h-strat" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-strat" }, "What these strategies would have done with the same cards"), h("p", { class: "hint-text" }, `Same scenario, same seed, same dice, ${played} rounds.`)),
      comparison(data, teams),
    ),
    h(
      "section",
      { id: "sec-discuss", class: "db-sec", "aria-labelledby": "h-disc" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-disc" }, "Let's talk")),
      prompts(data, true),
    ),
    h(
      "section",
      { id: "sec-cards", class: "db-sec", "aria-labelledby": "h-cards" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-cards" }, "Behind the cards")),
      behindCards(data),
      teams.filter((t) => !t.bot).map((t) => h("div", { class: "team-decisions", "data-key": t.id }, h("h3", null, t.name), decisionsTable(t))),
    ),
  );
}

// -- a phone: its own team, against the strategies ------------------------------------------------------------------
export function phoneDebrief(data, v) {
  const team = data.teams.find((t) => t.id === v.team.id) || data.teams[0];
  if (!team) return h("p", null, "No debrief for your team.");
  const start = team.history[0];
  const end = last(team.history);
  return h(
    "div",
    { class: "debrief phone-debrief stack" },
    h("div", null, h("p", { class: "kicker" }, "Game over"), h("h1", null, `How ${team.name} did`), h("p", { class: "hint-text" }, `${data.rounds_played} rounds · ${data.scenario.title}`)),
    h(
      "dl",
      { class: "tiles" },
      METRICS.map((m) =>
        h("div", { class: "tile", "data-key": m.key }, h("dt", null, m.label), h("dd", null, h("span", { class: "value" }, m.fmt(end[m.key])), h("span", { class: "from" }, `from ${m.fmt(start[m.key])}`))),
      ),
    ),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your five signals"), h("p", { class: "hint-text" }, SIGNAL_HELP), signalsDetail(team)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your company against the strategies"), h("p", { class: "hint-text" }, "Same cards, same seed. Dashed lines are the reference strategies."), legend([team], data.references, true), charts(data, { teams: [team], size: "narrow", showRefs: true })),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your liabilities"), liabilityList(team, data.rounds_played)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Where everyone ended"), comparison(data, [team], { compact: true })),
    data.prompts.length ? h("section", { class: "panel" }, h("h2", { class: "h3" }, "Talk about it"), prompts(data, false)) : null,
    decisionsTable(team),
  );
}
