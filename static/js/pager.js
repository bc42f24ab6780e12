// Stepping through what is too much for one projector screen: a debrief section's rounds, teams or
// prompts, the players overlay's teams. Everything stays in the page (printing shows it all, a
// screen reader finds it); on screen only the current step shows (.pg-off hides the rest), and the
// pager bar says where you are ("Round 3 of 7") with ← → buttons, which the arrow keys and
// Page Up / Page Down (a presentation clicker) press too (host-keys.js).
import { h } from "./dom.js";

const at = {}; // pager id -> the step shown

/** Split ``items`` into even groups of at most ``max`` (10 in twos of 5, not 8 and 2). */
export function chunks(items, max) {
  if (items.length <= max) return [items];
  const n = Math.ceil(items.length / max);
  const size = Math.ceil(items.length / n);
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The step shown of a pager with ``count`` steps (kept in range when the steps change). */
export function pageOf(id, count) {
  const i = Math.min(Math.max(at[id] || 0, 0), Math.max(count - 1, 0));
  at[id] = i;
  return i;
}

/** A class for an item on step ``i`` of this pager: hidden on screen unless it is the one shown. */
export function onPage(id, i, count) {
  return i === pageOf(id, count) ? "pg-on" : "pg-off";
}

/** "Teams 1–5 of 12": which of ``total`` items a group of ``size`` starting at ``first`` shows. */
export function span(noun, first, size, total) {
  return size === 1 ? `${noun} ${first + 1} of ${total}` : `${noun} ${first + 1}–${first + size} of ${total}`;
}

/**
 * The bar: ← the label of the step shown →. ``labels`` names every step (the shown one is said,
 * the others are the buttons' names); no bar for a single step.
 */
export function pagerBar(id, labels, { what = "page" } = {}) {
  const count = labels.length;
  if (count <= 1) return null;
  const i = pageOf(id, count);
  const turn = (to, cls, glyph, name) =>
    h(
      "button",
      {
        class: `btn small pg-btn ${cls}`,
        type: "button",
        disabled: to < 0 || to >= count,
        dataset: { action: "pageTurn", pager: id, to: String(to) },
        "aria-label": to >= 0 && to < count ? `${name} ${what}: ${labels[to]}` : `${name} ${what}`,
        title: name === "Next" ? "Next (→ or Page Down)" : "Previous (← or Page Up)",
      },
      glyph,
    );
  return h(
    "div",
    { class: "pager no-print", role: "group", "aria-label": `${what[0].toUpperCase()}${what.slice(1)}s`, "data-pager": id },
    turn(i - 1, "pg-prev", "←", "Previous"),
    h("span", { class: "pg-label", "aria-live": "polite" }, labels[i], h("small", { class: "pg-count" }, ` · ${i + 1}/${count}`)),
    turn(i + 1, "pg-next", "→", "Next"),
  );
}

/** The delegated action the bar's buttons name. */
export function pagerActions(paint) {
  return {
    pageTurn(el) {
      at[el.dataset.pager] = Number(el.dataset.to);
      paint();
    },
  };
}

/** Turn the pager in ``scope`` by ``dir`` (the keys): true when there was one to turn. */
export function turnPager(scope, dir) {
  const bar = scope && scope.querySelector(".pager");
  if (!bar) return false;
  const b = bar.querySelector(dir < 0 ? ".pg-prev" : ".pg-next");
  if (b && !b.disabled) b.click();
  return true;
}
