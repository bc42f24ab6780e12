// Why a figure moved: every figure on the reveal and in the debrief is a button that opens its
// itemised causes for that round (each line's amount, the card and decision behind it, adding up
// to the change); capacity opens its parts. Text only, never HTML. One panel open at a time.
import { h, money, num } from "./dom.js";
import { DECISION } from "./cards.js";

const MONEY = new Set(["arr", "cash"]);
export const TRACED = [
  { key: "arr", label: "ARR", better: 1 },
  { key: "customer_value", label: "Customer value", better: 1 },
  { key: "tech_debt", label: "Tech debt", better: -1 },
  { key: "capacity", label: "Capacity", better: 1 },
  { key: "cash", label: "Cash", better: 1 },
];
const LABEL = Object.fromEntries(TRACED.map((m) => [m.key, m.label]));
const BETTER = Object.fromEntries(TRACED.map((m) => [m.key, m.better]));

const open = { id: "" }; // the panel showing now: "<where>|<team>|<round>|<metric>"
let repaint = () => {};
let opener = null;

/** Amounts as people read them: "$150k" / "4.5" (one decimal at most), signed when asked. */
export function amountText(metric, v, signed = false) {
  const n = Number(v) || 0;
  const body = MONEY.has(metric) ? money(Math.abs(n)) : num(Math.abs(n), 1);
  if (!signed) return n < 0 ? `−${body}` : body;
  if (Math.abs(n) < 0.05) return "±0";
  return (n > 0 ? "+" : "−") + body;
}

function tone(metric, v) {
  if (Math.abs(v) < 0.05) return "flat";
  return v * (BETTER[metric] ?? 1) > 0 ? "up" : "down";
}

/** Where a line came from: the card and decision, or the market / the backlog / time. */
function source(c) {
  if (c.title) return `${DECISION[c.decision] || "Market"} · “${c.title}”`;
  if (c.decision === "build") return "Build · rushing past capacity";
  if (c.decision) return DECISION[c.decision] || c.decision;
  return "No decision: the market, the backlog or time";
}

export function isOpen(id) {
  return open.id === id;
}

/**
 * A figure as a button: `id` names the panel it opens (unique on the page). Its accessible name is
 * `label` (read, not shown), the visible figure, then `after` (read, not shown): "Yes Inc, ARR: $685k
 * +$120k, what moved it".
 */
export function causeButton(id, metric, kids, { cls = "", label = "", after = ", what moved it" } = {}) {
  const expanded = open.id === id;
  return h(
    "button",
    {
      type: "button",
      class: `cz-btn${cls ? ` ${cls}` : ""}${expanded ? " on" : ""}`,
      "aria-expanded": expanded ? "true" : "false",
      "aria-controls": expanded ? panelId(id) : null,
      dataset: { action: "causes", causes: id },
    },
    h("span", { class: "sr-only" }, `${label || LABEL[metric] || metric}: `),
    kids,
    after ? h("span", { class: "sr-only" }, after) : null,
  );
}

function panelId(id) {
  return `cz-${id.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
}

/**
 * The open panel for one figure of one round: `round` has before, after, causes (by metric),
 * decisions and lines (the debrief's rounds, a reveal's outcome, a year-after quarter).
 */
export function causesPanel(id, metric, round, { title = "", floating = false, story = false } = {}) {
  const before = round.before ? round.before[metric] : null;
  const after = round.after ? round.after[metric] : null;
  const list = (round.causes && round.causes[metric]) || [];
  const isCap = metric === "capacity";
  const change = after !== null && before !== null ? after - before : null;
  const moved = new Set(list.map((c) => c.card).filter(Boolean));
  const quiet = (round.decisions || []).filter((d) => !moved.has(d.card) && (d.decision !== "build" || isCap));
  return h(
    "section",
    {
      class: `causes${floating ? " floating" : ""}`,
      id: panelId(id),
      role: floating ? "dialog" : "region",
      "aria-label": `${LABEL[metric]}: ${title}`,
      "data-key": `panel-${id}`,
    },
    h(
      "div",
      { class: "cz-head" },
      h("h3", null, LABEL[metric], title ? h("small", null, ` · ${title}`) : null),
      h("button", { type: "button", class: "btn small cz-close", dataset: { action: "closeCauses" }, "data-autofocus": "" }, "Close"),
    ),
    isCap
      ? h("p", { class: "cz-sum" }, `Capacity after the round: ${amountText(metric, after)} point${after === 1 ? "" : "s"}, made of:`)
      : h(
          "p",
          { class: "cz-sum" },
          `${amountText(metric, before)} → ${amountText(metric, after)}: `,
          h("strong", { class: tone(metric, change) }, amountText(metric, change, true)),
        ),
    list.length
      ? h(
          "ol",
          { class: "cz-list" },
          list.map((c, i) =>
            h(
              "li",
              { "data-key": String(i) },
              h("span", { class: `cz-amt ${tone(metric, c.amount)}` }, amountText(metric, c.amount, true)),
              h("span", { class: "cz-what" }, h("span", { class: "cz-text" }, c.text), h("span", { class: "cz-src" }, source(c))),
            ),
          ),
        )
      : h("p", { class: "cz-none" }, "Nothing moved this figure this round."),
    list.length
      ? h(
          "p",
          { class: "cz-total" },
          isCap ? "Adds up to " : "Adds up to ",
          h("strong", null, amountText(metric, list.reduce((s, c) => s + c.amount, 0), !isCap)),
          isCap ? " points (whole points; never below the floor)" : "",
        )
      : null,
    quiet.length && !isCap
      ? h(
          "div",
          { class: "cz-quiet" },
          h("p", { class: "cz-quiet-h" }, "Decided this round, no effect on this figure yet:"),
          h(
            "ul",
            null,
            quiet.map((d) =>
              h(
                "li",
                { "data-key": d.card },
                h("span", { class: `badge ${d.decision}` }, d.bumped ? "No room" : DECISION[d.decision]),
                ` ${d.title}`,
              ),
            ),
          ),
        )
      : null,
    story && round.lines && round.lines.length
      ? h("details", { class: "cz-story" }, h("summary", null, "The round's story"), h("ol", null, round.lines.map((l, i) => h("li", { "data-key": String(i) }, l))))
      : null,
  );
}

/** Actions every screen that shows causes shares; `paint` re-renders the page. */
export function causeActions(paint) {
  repaint = paint;
  return {
    causes(el) {
      const id = el.dataset.causes;
      opener = el;
      open.id = open.id === id ? "" : id;
      paint();
      if (open.id) {
        const panel = document.getElementById(panelId(id));
        const close = /** @type {HTMLElement | null} */ (panel && panel.querySelector(".cz-close"));
        if (panel && panel.classList.contains("floating") && close) close.focus();
        else if (panel) panel.scrollIntoView({ block: "nearest" });
      }
    },
    closeCauses() {
      closeCauses();
    },
  };
}

function closeCauses() {
  if (!open.id) return false;
  const id = open.id;
  open.id = "";
  repaint();
  const back = opener && opener.isConnected ? opener : document.querySelector(`[data-causes="${CSS.escape(id)}"]`);
  if (back) back.focus();
  return true;
}

/** A new screen (another round, the debrief) closes whatever was open. */
export function resetCauses(prefix = "") {
  if (!prefix || open.id.startsWith(prefix)) open.id = "";
}

document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && open.id && closeCauses()) ev.stopPropagation();
});

/**
 * Figure tiles whose every figure opens its causes, with the open panel right under them (a phone,
 * a debrief): `prefix` makes the ids unique, `round` is {before, after, causes, decisions, lines}.
 */
export function tracedTiles(prefix, round, metrics, { title = "", story = false } = {}) {
  const id = (m) => `${prefix}|${m.key}`;
  const shown = metrics.find((m) => isOpen(id(m)));
  return h(
    "div",
    { class: "traced", "data-key": prefix },
    h(
      "dl",
      { class: "tiles" },
      metrics.map((m) => {
        const change = round.before ? round.after[m.key] - round.before[m.key] : 0;
        const t = tone(m.key, change);
        if (!(m.key in LABEL)) {
          // a count with no causes of its own (customers): the ARR lines name who came and went
          const chg = round.before ? h("span", { class: `chg ${t}` }, amountText(m.key, change, true)) : null;
          return h("div", { class: `tile ${t}`, "data-key": m.key }, h("dt", null, m.label), h("dd", null, h("span", { class: "value" }, m.fmt(round.after[m.key])), chg));
        }
        return h(
          "div",
          { class: `tile ${t}${isOpen(id(m)) ? " open" : ""}`, "data-key": m.key },
          h("dt", null, m.label),
          h(
            "dd",
            null,
            causeButton(
              id(m),
              m.key,
              [h("span", { class: "value" }, m.fmt(round.after[m.key])), round.before ? h("span", { class: `chg ${t}` }, amountText(m.key, change, true)) : null, h("span", { class: "why" }, "why?")],
              { cls: "tile-btn", label: m.label, after: title ? ` (${title})` : "" },
            ),
          ),
        );
      }),
    ),
    shown ? causesPanel(id(shown), shown.key, round, { title, story }) : null,
  );
}
