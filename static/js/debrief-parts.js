// The debrief's building blocks: legends, charts, signal bars, liabilities, comparisons, prompts.
import { h, money, num } from "./dom.js";
import { METRICS, DECISION, KIND } from "./cards.js";
import { chart, COLORS, REF_STYLE } from "./charts.js";

export const SIGNAL_HELP = "0 = product-driven · 100 = sales-driven";

export function colorOf(i) {
  return COLORS[i % COLORS.length];
}

export function last(arr) {
  return arr[arr.length - 1];
}

// -- pieces ----------------------------------------------------------------------------------------------
export function legend(teams, refs, showRefs) {
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

export function charts(data, { teams, size, showRefs }) {
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

export function scoreBar(score) {
  return h(
    "span",
    { class: "score", role: "img", "aria-label": `${score} out of 100` },
    h("span", { class: "score-fill", style: `width:${score}%` }),
    h("span", { class: "score-num" }, String(score)),
  );
}

/**
 * @param {any} data
 * @param {any[]} teams
 * @param {{rowClass?: (i: number) => string}} [options]
 */
export function signalsMatrix(data, teams, { rowClass = () => "" } = {}) {
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
      rows.map((r, i) =>
        h(
          "tr",
          { class: [r.ref ? "ref" : "", rowClass(i)], "data-key": r.id },
          h("th", { scope: "row" }, r.name, r.ref ? h("small", null, " strategy") : null),
          r.signals.map((s) => h("td", { "data-key": s.key }, scoreBar(s.score))),
        ),
      ),
    ),
  );
}

export function signalsDetail(team) {
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

export function liabilityList(team, played) {
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

/**
 * @param {any} data
 * @param {any[]} teams
 * @param {{compact?: boolean, rowClass?: (i: number) => string}} [options]
 */
export function comparison(data, teams, { compact = false, rowClass = () => "" } = {}) {
  const rows = [
    ...teams.map((t, i) => ({
      name: t.name,
      end: last(t.history),
      value: t.value,
      color: colorOf(i),
      blurb: t.bot ? `Bot: ${t.bot}` : (t.members || []).join(", "),
    })),
    ...data.references.map((r) => ({ name: r.strategy, end: last(r.history), value: r.value, ref: r.strategy, blurb: r.blurb })),
  ].sort((a, b) => (b.value ? b.value.total : 0) - (a.value ? a.value.total : 0));
  const valueCol = { key: "value", label: compact ? "Value" : "Company value", fmt: money };
  const cols = compact
    ? [valueCol, ...METRICS.filter((m) => m.key !== "capacity").map((m) => ({ ...m, label: m.short || m.label }))]
    : [valueCol, ...METRICS, { key: "cash", label: "Cash", fmt: money }];
  const swatch = (r) =>
    r.ref
      ? h("span", { class: `swatch dash ${r.ref}`, style: `border-color:${REF_STYLE[r.ref].stroke}` })
      : h("span", { class: "swatch", style: `background:${r.color}` });
  const table = h(
    "table",
    { class: "compare" },
    h("caption", { class: "sr-only" }, "Company value and end of game figures, worth most first: your teams and the reference strategies with the same cards and seed"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Who"), cols.map((c) => h("th", { scope: "col", class: "n" }, c.label)))),
    h(
      "tbody",
      null,
      rows.map((r, i) =>
        h(
          "tr",
          { class: [r.ref ? "ref" : "", rowClass(i)] },
          h("th", { scope: "row" }, swatch(r), h("span", { class: "cmp-name" }, r.name, h("small", null, r.blurb))),
          cols.map((c) => h("td", { class: c.key === "value" ? "n cmp-value" : "n" }, c.fmt(c.key === "value" ? (r.value ? r.value.total : 0) : r.end[c.key]))),
        ),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, table);
}

/**
 * @param {any} data
 * @param {boolean} big
 * @param {{itemClass?: (i: number) => string}} [options]
 */
export function prompts(data, big, { itemClass = () => "" } = {}) {
  if (!data.prompts.length) return null;
  // each item numbers itself: on the projector the prompts show a few at a time
  return h("ol", { class: big ? "prompts big" : "prompts" }, data.prompts.map((p, i) => h("li", { "data-key": String(i), value: String(i + 1), class: itemClass(i) }, p)));
}

export function behindCards(data) {
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

export function decisionsTable(team) {
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

/**
 * The cards a round brought to the tables (the first round any team or strategy was dealt each),
 * in the scenario's order; cards no table saw (events aside) come last, as ``unseen``.
 */
export function cardsByRound(data) {
  const first = new Map();
  for (const who of [...data.teams, ...data.references])
    for (const r of who.rounds || []) for (const d of r.decisions) if (!first.has(d.card) || first.get(d.card) > r.round) first.set(d.card, r.round);
  const rounds = Array.from({ length: data.rounds_played }, () => []);
  const unseen = [];
  for (const c of data.cards) {
    if (c.kind === "event") continue;
    const r = first.get(c.id);
    if (r === undefined || r >= rounds.length) unseen.push(c);
    else rounds[r].push(c);
  }
  return { rounds, unseen };
}

/** What a team decided on each card, in order (a deferred card comes back): card id -> decisions. */
function decisionsOf(team) {
  const out = new Map();
  for (const r of team.rounds || [])
    for (const d of r.decisions) {
      if (!out.has(d.card)) out.set(d.card, []);
      out.get(d.card).push(d);
    }
  return out;
}

/** Decisions in a row that were the same (deferred round after round), as one run: [{d, n}]. */
function runs(ds) {
  const out = [];
  for (const d of ds) {
    const prev = out[out.length - 1];
    if (prev && prev.d.decision === d.decision && !prev.d.bumped && !d.bumped) prev.n += 1;
    else out.push({ d, n: 1 });
  }
  return out;
}

function decisionBadge({ d, n }) {
  const label = d.bumped ? "Build (no room)" : DECISION[d.decision];
  return h("span", { class: `badge ${d.decision}` }, label, n > 1 ? h("span", { class: "rc-times" }, ` ×${n}`, h("span", { class: "sr-only" }, ` (${n} rounds)`)) : null);
}

/**
 * One step of "Behind the cards" on the projector: a round's cards with what each was really worth,
 * and what each of ``teams`` decided on it.
 */
export function roundCardsTable(cards, teams, caption) {
  const decided = new Map(teams.map((t) => [t.id, decisionsOf(t)]));
  return h(
    "table",
    { class: "cards-table round-cards" },
    h("caption", { class: "sr-only" }, caption),
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", { scope: "col" }, "Card"),
        ["Curb appeal", "Lasting value", "Asked right", "Upkeep / round"].map((t) => h("th", { scope: "col", class: "n" }, t)),
        teams.map((t) => h("th", { scope: "col", class: "rc-team", "data-key": t.id }, t.name)),
      ),
    ),
    h(
      "tbody",
      null,
      cards.map((c) =>
        h(
          "tr",
          { "data-key": c.id },
          h("th", { scope: "row" }, c.title, h("small", null, [KIND[c.kind] || c.kind, c.asker].filter(Boolean).join(" · "))),
          h("td", { class: "n" }, num(c.hidden.curb_appeal, 1)),
          h("td", { class: `n${c.hidden.lasting_value < c.hidden.curb_appeal - 1 ? " low" : ""}` }, num(c.hidden.lasting_value, 1)),
          h("td", { class: "n" }, `${Math.round(c.hidden.requirement_accuracy * 100)}%`),
          h("td", { class: "n" }, c.hidden.maintenance ? num(c.hidden.maintenance, 1) : "—"),
          teams.map((t) => {
            const ds = decided.get(t.id).get(c.id) || [];
            return h(
              "td",
              { class: "rc-dec", "data-key": t.id },
              ds.length ? runs(ds).map((run, i) => [i ? h("span", { class: "rc-then" }, h("span", { class: "sr-only" }, ", then "), "→") : null, decisionBadge(run)]) : h("span", { class: "hint-text" }, "—"),
            );
          }),
        ),
      ),
    ),
  );
}

/**
 * Every team's liabilities as rows (the projector steps through them): who built what, for whom,
 * why it became dead weight, and what it costs. ``rows`` come from ``liabilityRows``.
 */
export function liabilityRows(teams, played) {
  const rows = [];
  teams.forEach((t, i) =>
    t.liabilities.forEach((l) => {
      const rounds = Math.max(0, played - 1 - l.round_built);
      rows.push({ team: t, color: colorOf(i), l, soFar: l.maintenance * rounds });
    }),
  );
  return rows;
}

export function liabilityTable(rows, rowClass) {
  return h(
    "table",
    { class: "liab-table" },
    h("caption", { class: "sr-only" }, "Liabilities: what each team built, for whom, why it became dead weight and what it costs"),
    h("thead", null, h("tr", null, ["Team", "Built", "For whom", "Why it is dead weight", "Upkeep / round"].map((t, i) => h("th", { scope: "col", class: i === 4 ? "n" : null }, t)))),
    h(
      "tbody",
      null,
      rows.map((r, i) =>
        h(
          "tr",
          { class: rowClass(i), "data-key": `${r.team.id}|${r.l.card}` },
          h("td", { class: "lt-team" }, h("span", { class: "swatch", style: `background:${r.color}` }), r.team.name),
          h("th", { scope: "row" }, r.l.title),
          h("td", null, r.l.for_whom ? `${r.l.for_whom}, round ${r.l.round_built + 1}` : `Round ${r.l.round_built + 1}`),
          h("td", { class: "lt-why" }, r.l.why),
          h("td", { class: "n lt-cost" }, r.l.maintenance ? num(r.l.maintenance, 1) : "—", r.soFar ? h("small", null, `${num(r.soFar, 1)} so far`) : null),
        ),
      ),
    ),
  );
}
