// The debrief, on the projector (every team) and on a phone (its own team). Loaded only when the
// game ends; the charts load uPlot only then, so a player's first load stays small.
import { served } from "./served.js";
import { h, plural } from "./dom.js";
import { METRICS } from "./cards.js";
import {
  SIGNAL_HELP,
  behindCards,
  cardsByRound,
  charts,
  colorOf,
  comparison,
  decisionsTable,
  last,
  legend,
  liabilityList,
  liabilityRows,
  liabilityTable,
  prompts,
  roundCardsTable,
  signalsDetail,
  signalsMatrix,
} from "./debrief-parts.js";
import { callouts, explorer, traceActions, whatIf } from "./debrief-trace.js";
import { valueBoard, valueRows } from "./value.js";
import { chunks, onPage, pageOf, pagerBar, span } from "./pager.js";
import { resetCauses } from "./causes.js";

ensureCss(served("/static/vendor/uPlot.min.css"));
ensureCss(served("/static/css/debrief.css"));

function ensureCss(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h("link", { rel: "stylesheet", href }));
}

// Printing shows everything: closed sections open for the print and close again after.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...document.querySelectorAll(/** @type {"details"} */ (".debrief details:not([open])"))];
  openedForPrint.forEach((d) => (d.open = true));
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((d) => (d.open = false));
  openedForPrint = [];
});

// whether charts show strategies; which team is traced and flipped (a section's step is pager.js's)
const state = { refs: true, focus: "" };

export function setDebriefOption(key, value) {
  state[key] = value;
}

/**
 * The debrief's own actions (tracing, what-if), merged into the page's delegated handlers.
 * @param {{request: Function, paint: Function, toast?: Function}} page
 */
export function debriefActions({ request, paint }) {
  return {
    ...traceActions({ request, paint }),
    focusTeam(el) {
      state.focus = el.dataset.team || el.value; // a team's button, or the list in a big room
      resetCauses("db|");
      paint();
    },
  };
}

const SECTIONS = [
  ["value", "Value"],
  ["trace", "Trace"],
  ["whatif", "What if"],
  ["charts", "Charts"],
  ["signals", "Five signals"],
  ["liabilities", "Liabilities"],
  ["strategies", "Strategies"],
  ["discuss", "Discuss"],
  ["cards", "Behind the cards"],
];

/** The section on the projector: the address names it (#sec-signals), the value table by default. */
export function debriefSection() {
  const m = /^#sec-([a-z]+)$/.exec(location.hash);
  return m && SECTIONS.some(([id]) => id === m[1]) ? m[1] : SECTIONS[0][0];
}

/** The projector's debrief exports and next steps, for the bar at the bottom of the screen. */
export function debriefActionbar() {
  return h(
    "footer",
    { class: "actionbar db-export no-print" },
    h(
      "div",
      { class: "ab-left" },
      h("button", { class: "btn small", type: "button", dataset: { action: "exportCsv" } }, "Download CSV"),
      h("button", { class: "btn small", type: "button", dataset: { action: "exportJson" } }, "Download JSON"),
      h("button", { class: "btn small", type: "button", dataset: { action: "print" } }, "Print / PDF"),
    ),
    h("div", { class: "ab-slot", "aria-hidden": "true" }),
    h(
      "div",
      { class: "ab-main" },
      h("a", { class: "btn small", href: served("/host"), target: "_blank", rel: "noopener" }, "New game"),
      h("button", { class: "btn small primary", type: "button", dataset: { action: "nextGame" } }, "Play again, same teams"),
    ),
  );
}

// -- the projector -------------------------------------------------------------------------------------------
const secClass = (id) => `db-sec${id === debriefSection() ? " on" : ""}`;

/** A section's heading, its hint and (when it has steps) its pager, in one row. */
function secHead(id, hid, title, hint, pager) {
  return h("div", { class: "sec-head" }, h("div", { class: "sec-title" }, h("h2", { id: hid }, title), hint ? h("p", { class: "hint-text" }, hint) : null), pager);
}

/** Teams whose call-outs read the same, together: [{teams, callouts}]. */
function calloutGroups(called) {
  const groups = new Map();
  for (const t of called) {
    const k = JSON.stringify(t.callouts);
    if (!groups.has(k)) groups.set(k, { teams: [], team: t });
    groups.get(k).teams.push(t);
  }
  return [...groups.values()];
}

function names(teams) {
  const n = teams.map((t) => t.name);
  return n.length < 2 ? n.join("") : `${n.slice(0, -1).join(", ")} and ${n[n.length - 1]}`;
}

// Company value: the teams a page at a time, then the reference strategies, then what the signals
// don't show (teams whose call-outs read the same share a step; three call-outs fit a screen).
const CALLOUTS_A_STEP = 3;

function valueSection(data, teams, called) {
  const rows = valueRows(teams, data.references);
  const pages = chunks(rows.teams.map((_, i) => i), 6);
  const groups = calloutGroups(called).flatMap((g) =>
    chunks(g.team.callouts, CALLOUTS_A_STEP).map((part, j) => ({ ...g, part, key: `co-${g.team.id}-${j}` })),
  );
  const labels = [
    ...pages.map((g) => span("Teams", g[0], g.length, rows.teams.length)),
    ...(data.references.length ? ["Reference strategies"] : []),
    ...groups.map((g, k) => `Not in the signals${groups.length > 1 ? ` (${k + 1} of ${groups.length})` : ""}`),
  ];
  const step = pageOf("value", labels.length);
  const refStep = data.references.length ? pages.length : -1;
  const firstGroup = pages.length + (data.references.length ? 1 : 0);
  const off = (on) => (on ? "" : "pg-off");
  return h(
    "section",
    { id: "sec-value", class: secClass("value"), "aria-labelledby": "h-value" },
    secHead("value", "h-value", "What each company is worth", "Click a value for its parts.", pagerBar("value", labels, { what: "step" })),
    valueBoard(teams, data.references, {
      rowClass: (i) => off(pages[step] && pages[step].includes(i)),
      teamsClass: off(step < pages.length),
      refsClass: off(step === refStep),
    }),
    h("p", { class: ["hint-text value-note", off(step < firstGroup)] }, data.value_note),
    groups.length
      ? h(
          "div",
          { class: "called-out" },
          groups.map((g, k) =>
            h(
              "div",
              { class: ["co-step", off(step === firstGroup + k)], "data-key": g.key },
              h("h3", null, "What the signals don't show", h("small", null, ` · ${names(g.teams)}`)),
              callouts({ ...g.team, callouts: g.part }),
            ),
          ),
        )
      : null,
  );
}

// The five signals: every team and strategy in one table when they fit, else teams a page at a time
// and then the strategies; then, one team a step, why it scored as it did.
function signalsSection(data, teams) {
  const refs = data.references;
  const together = teams.length + refs.length <= 10;
  const pages = together ? [teams.map((_, i) => i)] : chunks(teams.map((_, i) => i), 8);
  const tableLabels = together ? ["Every team and strategy"] : [...pages.map((g) => span("Teams", g[0], g.length, teams.length)), ...(refs.length ? ["Reference strategies"] : [])];
  const labels = [...tableLabels, ...teams.map((t) => t.name)];
  const step = pageOf("signals", labels.length);
  const rowClass = (i) => {
    if (together) return step === 0 ? "" : "pg-off";
    if (i >= teams.length) return step === pages.length ? "" : "pg-off";
    return pages[step] && pages[step].includes(i) ? "" : "pg-off";
  };
  return h(
    "section",
    { id: "sec-signals", class: secClass("signals"), "aria-labelledby": "h-signals" },
    secHead("signals", "h-signals", "The five signals of a sales-driven roadmap", SIGNAL_HELP, pagerBar("signals", labels, { what: "step" })),
    h("div", { class: step < tableLabels.length ? "" : "pg-off" }, signalsMatrix(data, teams, { rowClass })),
    h(
      "div",
      { class: "screen-only" },
      teams.map((t, k) =>
        h(
          "div",
          { class: ["sig-step", step === tableLabels.length + k ? "" : "pg-off"], "data-key": t.id },
          h("h3", { class: "detail-title" }, `Why ${t.name} scored this way`),
          signalsDetail(t),
        ),
      ),
    ),
    h(
      "div",
      { class: "print-only" },
      teams.map((t) => h("div", { class: "print-team", "data-key": t.id }, h("h3", null, t.name), signalsDetail(t))),
    ),
  );
}

// Liabilities: on screen every team's as rows of one table, six a step, and the teams with none
// named under it; printed, each team's list as before.
function liabilitiesSection(data, teams, played) {
  const rows = liabilityRows(teams, played);
  const pages = chunks([...rows.keys()], 6);
  const labels = rows.length ? pages.map((g) => span("Liabilities", g[0], g.length, rows.length)) : [];
  const step = pageOf("liabilities", labels.length);
  const none = teams.filter((t) => !t.liabilities.length);
  return h(
    "section",
    { id: "sec-liabilities", class: secClass("liabilities"), "aria-labelledby": "h-liab" },
    secHead("liabilities", "h-liab", "Liabilities: what was built for whom, and what it costs now", null, pagerBar("liabilities", labels, { what: "page" })),
    h(
      "div",
      { class: "screen-only" },
      rows.length ? liabilityTable(rows, (i) => (pages[step].includes(i) ? "" : "pg-off")) : null,
      none.length ? h("p", { class: "liab-none" }, h("strong", null, "No liabilities: "), names(none), " built nothing that turned into dead weight.") : null,
    ),
    h(
      "div",
      { class: "print-only" },
      h(
        "div",
        { class: "liab-grid" },
        teams.map((t, i) => h("div", { class: "liab-team", "data-key": t.id }, h("h3", null, h("span", { class: "swatch", style: `background:${colorOf(i)}` }), t.name), liabilityList(t, played))),
      ),
    ),
  );
}

// The strategies: every team and strategy, worth most first, six a page.
function strategiesSection(data, teams, played) {
  const n = teams.length + data.references.length;
  const pages = chunks([...Array(n).keys()], 6);
  const labels = pages.map((g) => span("Places", g[0], g.length, n));
  const step = pageOf("strategies", labels.length);
  return h(
    "section",
    { id: "sec-strategies", class: secClass("strategies"), "aria-labelledby": "h-strat" },
    secHead("strategies", "h-strat", "What these strategies would have done with the same cards", `Same scenario, same seed, same dice, ${played === 1 ? "1 round" : `${played} rounds`}.`, pagerBar("strategies", labels, { what: "page" })),
    comparison(data, teams, { rowClass: (i) => (pages[step].includes(i) ? "" : "pg-off") }),
  );
}

// The discussion prompts, four to a screen, big.
function discussSection(data) {
  const pages = chunks(data.prompts.map((_, i) => i), 4);
  const labels = pages.map((g) => span("Prompts", g[0], g.length, data.prompts.length));
  const step = pageOf("discuss", labels.length);
  return h(
    "section",
    { id: "sec-discuss", class: secClass("discuss"), "aria-labelledby": "h-disc" },
    secHead("discuss", "h-disc", "Let's talk", null, pagerBar("discuss", labels, { what: "page" })),
    prompts(data, true, { itemClass: (i) => (pages[step].includes(i) ? "" : "pg-off") }),
  );
}

// Behind the cards: a round at a time, each card with what it was really worth and what each team
// decided (four teams a step); printed, the full tables as before.
function cardsSection(data, teams) {
  const { rounds, unseen } = cardsByRound(data);
  const humans = teams.filter((t) => !t.bot);
  const groups = chunks(humans, 4);
  const titleOf = (r) => {
    const who = [...teams, ...data.references].find((t) => t.rounds && t.rounds[r]);
    return who ? who.rounds[r].title : "";
  };
  const steps = [];
  rounds.forEach((cards, r) => {
    groups.forEach((g, k) => {
      const more = groups.length > 1 ? ` · teams ${humans.indexOf(g[0]) + 1}–${humans.indexOf(g[g.length - 1]) + 1} of ${humans.length}` : "";
      steps.push({ label: `Round ${r + 1} of ${rounds.length}${more}`, title: `Round ${r + 1} · ${titleOf(r)}`, cards, teams: g, key: `r${r}-${k}` });
    });
  });
  if (unseen.length) steps.push({ label: "Cards no team was dealt", title: "Cards no team was dealt", cards: unseen, teams: [], key: "unseen" });
  const step = pageOf("cards", steps.length);
  return h(
    "section",
    { id: "sec-cards", class: secClass("cards"), "aria-labelledby": "h-cards" },
    secHead("cards", "h-cards", "Behind the cards", "What every card was really worth, and what each team decided.", pagerBar("cards", steps.map((s) => s.label), { what: "step" })),
    h(
      "div",
      { class: "screen-only" },
      steps.map((s, i) =>
        h(
          "div",
          { class: ["rc-step", i === step ? "" : "pg-off"], "data-key": s.key },
          h("h3", { class: "rc-title" }, s.title),
          s.cards.length ? roundCardsTable(s.cards, s.teams, s.title) : h("p", { class: "hint-text" }, "No new cards this round."),
        ),
      ),
    ),
    h(
      "div",
      { class: "print-only" },
      behindCards(data),
      humans.map((t) => h("div", { class: "team-decisions", "data-key": t.id }, h("h3", null, t.name), decisionsTable(t))),
    ),
  );
}

// On screen one section at a time, picked by its tab, its number key or the address, so each fits the
// projector; printed, every section, one after another.
export function hostDebrief(data) {
  const teams = data.teams;
  const focus = teams.find((t) => t.id === state.focus) || teams.find((t) => !t.bot) || teams[0];
  const played = data.rounds_played;
  // a button a team; in a big room (more than eight) a list to pick from, so the section keeps its room
  const focusTabs = (label) =>
    teams.length > 8
      ? h(
          "label",
          { class: "team-pick no-print" },
          h("span", null, "Team "),
          h("select", { class: "input small", "aria-label": label, "data-change": "focusTeam" }, teams.map((t) => h("option", { value: t.id, selected: t.id === focus.id }, t.name))),
        )
      : h(
      "div",
      { class: "team-tabs no-print", role: "group", "aria-label": label },
      teams.map((t) =>
        h("button", { class: `btn small${t.id === focus.id ? " dark" : ""}`, type: "button", "aria-pressed": t.id === focus.id ? "true" : "false", dataset: { action: "focusTeam", team: t.id }, "data-key": t.id }, t.name),
      ),
    );
  const called = teams.filter((t) => t.callouts && t.callouts.length);
  const sec = secClass;
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
    ),
    h(
      "nav",
      { class: "db-nav no-print", "aria-label": "Debrief sections" },
      SECTIONS.map(([id, label], i) =>
        h("a", { href: `#sec-${id}`, "data-key": id, "aria-current": id === debriefSection() ? "true" : null }, h("kbd", null, String(i + 1)), ` ${label}`),
      ),
    ),
    valueSection(data, teams, called),
    h(
      "section",
      { id: "sec-trace", class: sec("trace"), "aria-labelledby": "h-trace" },
      secHead("trace", "h-trace", `Trace ${focus.name}'s game`, "Pick a round, then click a figure: every change has a named cause."),
      focusTabs("Trace the game of"),
      explorer(focus, { host: true }),
    ),
    h(
      "section",
      { id: "sec-whatif", class: sec("whatif"), "aria-labelledby": "h-whatif" },
      secHead("whatif", "h-whatif", `What if ${focus.name} had decided otherwise?`, "Flip one decision: the game replays with the same cards and dice, later rounds as you played them."),
      focusTabs("Replay the game of"),
      whatIf(focus, { host: true }),
    ),
    h(
      "section",
      { id: "sec-charts", class: sec("charts"), "aria-labelledby": "h-charts" },
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
    signalsSection(data, teams),
    liabilitiesSection(data, teams, played),
    strategiesSection(data, teams, played),
    discussSection(data),
    cardsSection(data, teams),
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
    h("div", null, h("p", { class: "kicker" }, "Game over"), h("h1", null, `How ${team.name} did`), h("p", { class: "hint-text" }, `${plural(data.rounds_played, "round")} · ${data.scenario.title}`)),
    h(
      "section",
      { class: "panel value-lead" },
      h("h2", { class: "h3" }, "Company value"),
      h("p", { class: "hint-text" }, data.value_note, " Tap a value for its parts."),
      valueBoard([team], data.references, { compact: true }),
    ),
    callouts(team) ? h("section", { class: "panel" }, h("h2", { class: "h3" }, "Called out"), callouts(team)) : null,
    h(
      "dl",
      { class: "tiles" },
      METRICS.map((m) =>
        h("div", { class: "tile", "data-key": m.key }, h("dt", null, m.label), h("dd", null, h("span", { class: "value" }, m.fmt(end[m.key])), h("span", { class: "from" }, `from ${m.fmt(start[m.key])}`))),
      ),
    ),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Round by round"), h("p", { class: "hint-text" }, "Pick a round, then tap a figure to see what moved it."), explorer(team)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "What if you had decided otherwise?"), h("p", { class: "hint-text" }, "Flip one decision; your game replays with the same dice."), whatIf(team)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your five signals"), h("p", { class: "hint-text" }, SIGNAL_HELP), signalsDetail(team)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your company against the strategies"), h("p", { class: "hint-text" }, "Same cards, same seed. Dashed lines are the reference strategies."), legend([team], data.references, true), charts(data, { teams: [team], size: "narrow", showRefs: true })),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Your liabilities"), liabilityList(team, data.rounds_played)),
    h("section", { class: "panel" }, h("h2", { class: "h3" }, "Where everyone ended"), comparison(data, [team], { compact: true })),
    data.prompts.length ? h("section", { class: "panel" }, h("h2", { class: "h3" }, "Talk about it"), prompts(data, false)) : null,
    decisionsTable(team),
  );
}
