// The debrief, on the projector (every team) and on a phone (its own team). Loaded only when the
// game ends; the charts load uPlot only then, so a player's first load stays small.
import { served } from "./served.js";
import { h } from "./dom.js";
import { METRICS } from "./cards.js";
import {
  SIGNAL_HELP,
  behindCards,
  charts,
  colorOf,
  comparison,
  decisionsTable,
  last,
  legend,
  liabilityList,
  prompts,
  signalsDetail,
  signalsMatrix,
} from "./debrief-parts.js";
import { callouts, explorer, traceActions, whatIf } from "./debrief-trace.js";
import { valueBoard } from "./value.js";
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
  openedForPrint = [...document.querySelectorAll(".debrief details:not([open])")];
  openedForPrint.forEach((d) => (d.open = true));
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((d) => (d.open = false));
  openedForPrint = [];
});

// which team's signals are open; whether charts show strategies; which team is traced and flipped
const state = { team: "", refs: true, focus: "" };

export function setDebriefOption(key, value) {
  state[key] = value;
}

/** The debrief's own actions (tracing, what-if), merged into the page's delegated handlers. */
export function debriefActions({ request, paint }) {
  return {
    ...traceActions({ request, paint }),
    focusTeam(el) {
      state.focus = el.dataset.team;
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

// -- the projector -------------------------------------------------------------------------------------------
export function hostDebrief(data) {
  const teams = data.teams;
  const open = teams.find((t) => t.id === state.team) || teams.find((t) => !t.bot) || teams[0];
  const focus = teams.find((t) => t.id === state.focus) || teams.find((t) => !t.bot) || teams[0];
  const played = data.rounds_played;
  const focusTabs = (label) =>
    h(
      "div",
      { class: "team-tabs no-print", role: "group", "aria-label": label },
      teams.map((t) =>
        h("button", { class: `btn small${t.id === focus.id ? " dark" : ""}`, type: "button", "aria-pressed": t.id === focus.id ? "true" : "false", dataset: { action: "focusTeam", team: t.id }, "data-key": t.id }, t.name),
      ),
    );
  const called = teams.filter((t) => t.callouts && t.callouts.length);
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
        h("button", { class: "btn small primary", type: "button", dataset: { action: "nextGame" } }, "Play again, same teams"),
        h("a", { class: "btn small", href: served("/host"), target: "_blank", rel: "noopener" }, "New game"),
      ),
    ),
    h(
      "nav",
      { class: "db-nav no-print", "aria-label": "Debrief sections" },
      SECTIONS.map(([id, label], i) => h("a", { href: `#sec-${id}`, "data-key": id }, h("kbd", null, String(i + 1)), ` ${label}`)),
    ),
    h(
      "section",
      { id: "sec-value", class: "db-sec", "aria-labelledby": "h-value" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-value" }, "What each company is worth"), h("p", { class: "hint-text" }, data.value_note, " Click a value for its parts.")),
      valueBoard(teams, data.references),
      called.length
        ? h("div", { class: "called-out" }, h("h3", null, "What the signals don't show"), h("div", { class: "co-grid" }, called.map((t) => callouts(t, { named: true }))))
        : null,
    ),
    h(
      "section",
      { id: "sec-trace", class: "db-sec", "aria-labelledby": "h-trace" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-trace" }, `Trace ${focus.name}'s game`), h("p", { class: "hint-text" }, "Pick a round, then click a figure: every change has a named cause.")),
      focusTabs("Trace the game of"),
      explorer(focus),
    ),
    h(
      "section",
      { id: "sec-whatif", class: "db-sec", "aria-labelledby": "h-whatif" },
      h("div", { class: "sec-head" }, h("h2", { id: "h-whatif" }, `What if ${focus.name} had decided otherwise?`), h("p", { class: "hint-text" }, "Flip one decision; the game replays with the same dice.")),
      focusTabs("Replay the game of"),
      whatIf(focus),
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
      h("div", { class: "sec-head" }, h("h2", { id: "h-strat" }, "What these strategies would have done with the same cards"), h("p", { class: "hint-text" }, `Same scenario, same seed, same dice, ${played === 1 ? "1 round" : `${played} rounds`}.`)),
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
