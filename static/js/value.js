// Company value on screen: every team (and reference strategy) ranked by what it is worth, its parts
// (revenue, growth, debt, liabilities, unhappy customers, cash) in columns, each value a button that
// opens the parts with their reasons. Used by the final results and the debrief.
import { h, money } from "./dom.js";
import { causeButton, isOpen } from "./causes.js";

export const PARTS = [
  ["revenue", "Revenue"],
  ["growth", "Growth"],
  ["debt", "Debt"],
  ["liabilities", "Liabilities"],
  ["unhappy_customers", "Unhappy"],
  ["cash", "Cash"],
];

const signed = (v) => (Math.abs(v) < 0.5 ? "±0" : `${v > 0 ? "+" : "−"}${money(Math.abs(v))}`);

/** One company's value, as a button that opens its parts with their reasons. */
export function valueButton(id, name, value, cls = "") {
  return causeButton(id, "value", h("span", { class: "fv-total" }, money(value.total)), { cls: `fv-btn ${cls}`, label: `${name}, company value`, after: ", show its parts" });
}

/** The parts of one company's value, each with its reason, adding up to the total. */
export function valuePanel(id, name, value, { floating = true } = {}) {
  return h(
    "section",
    { class: `causes value-parts${floating ? " floating" : ""}`, id: `cz-${id.replace(/[^a-zA-Z0-9_-]/g, "_")}`, role: floating ? "dialog" : "region", "aria-label": `Company value of ${name}`, "data-key": `panel-${id}` },
    h("div", { class: "cz-head" }, h("h3", null, "Company value", h("small", null, ` · ${name}`)), h("button", { type: "button", class: "btn small cz-close", dataset: { action: "closeCauses" } }, "Close")),
    h("p", { class: "cz-sum" }, `ARR ${money(value.arr_at_end)} at the end of the game, ${money(value.arr_after_year)} a year later.`),
    h(
      "ol",
      { class: "cz-list" },
      value.parts.map((p) =>
        h("li", { "data-key": p.key }, h("span", { class: `cz-amt ${p.amount < 0 ? "down" : p.amount > 0 ? "up" : "flat"}` }, signed(p.amount)), h("span", { class: "cz-what" }, h("span", { class: "cz-text" }, p.label), h("span", { class: "cz-src" }, p.text))),
      ),
    ),
    h("p", { class: "cz-total" }, "Adds up to ", h("strong", null, money(value.total))),
  );
}

/**
 * @param {any} row
 * @param {number} i
 * @param {{ref?: boolean, compact?: boolean, rowClass?: (i: number) => string}} [options]
 */
function valueRow(row, i, { ref = false, compact = false, rowClass = () => "" } = {}) {
  const id = `fv|${row.key}`;
  const part = Object.fromEntries(row.value.parts.map((p) => [p.key, p.amount]));
  return h(
    "tr",
    { class: [ref ? "ref" : "", ref ? "" : rowClass(i)], "data-key": row.key },
    h("td", { class: "fv-rank" }, ref ? "" : String(i + 1)),
    h("th", { scope: "row" }, row.name, row.bot ? h("span", { class: "badge core" }, "bot") : null),
    h("td", { class: "n fv-value" }, valueButton(id, row.name, row.value)),
    compact ? null : PARTS.map(([k]) => h("td", { class: `n ${part[k] < 0 ? "neg" : ""}` }, signed(part[k] || 0))),
    h("td", { class: "n fv-arr" }, money(row.value.arr_at_end)),
  );
}

function valueTable(rows, caption, opts) {
  return h(
    "table",
    { class: [`value-table${opts.ref ? " refs" : ""}`, opts.tableClass] },
    h("caption", { class: opts.ref ? "" : "sr-only" }, caption),
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Rank")),
        h("th", { scope: "col" }, opts.ref ? "Strategy" : "Team"),
        h("th", { scope: "col", class: "n" }, "Company value"),
        opts.compact ? null : PARTS.map(([, label]) => h("th", { scope: "col", class: "n" }, label)),
        h("th", { scope: "col", class: "n" }, opts.compact ? "ARR" : "ARR at the end"),
      ),
    ),
    h("tbody", null, rows.map((r, i) => valueRow(r, i, opts))),
  );
}

/** Teams (and strategies) as value rows: {key, name, bot, value}. */
export function valueRows(teams, refs) {
  return {
    teams: teams.map((t) => ({ key: t.id, name: t.name, bot: t.bot, value: t.value })).sort((a, b) => b.value.total - a.value.total),
    refs: refs.map((r) => ({ key: r.strategy, name: r.strategy, value: r.value })).sort((a, b) => b.value.total - a.value.total),
  };
}

/**
 * The value tables and, when one is open, its parts. On the projector's debrief they show a step at
 * a time: ``rowClass(i)`` for the i-th team, ``teamsClass`` and ``refsClass`` for the two tables.
 * @param {any[]} teams
 * @param {any[]} refs
 * @param {{compact?: boolean, rowClass?: (i: number) => string, teamsClass?: string, refsClass?: string}} [options]
 */
export function valueBoard(teams, refs, { compact = false, rowClass, teamsClass = "", refsClass = "" } = {}) {
  const rows = valueRows(teams, refs);
  const openRow = [...rows.teams, ...rows.refs].find((r) => isOpen(`fv|${r.key}`));
  return h(
    "div",
    { class: `value-board${compact ? " compact" : ""}` },
    valueTable(rows.teams, "Company value by team, worth most first", { ref: false, compact, rowClass, tableClass: teamsClass }),
    refs.length ? valueTable(rows.refs, "The reference strategies, same cards and seed", { ref: true, compact, tableClass: refsClass }) : null,
    openRow ? valuePanel(`fv|${openRow.key}`, openRow.name, openRow.value, { floating: !compact }) : null,
  );
}

export { signed as signedMoney };
