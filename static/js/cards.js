// How a card reads, on a phone and on the projector: badges, who asks, the visible numbers.
import { h, money } from "./dom.js";

export const KIND = { deal: "Deal", request: "Request", improvement: "Improvement", event: "News" };
export const SCOPE = { core: "Core", custom: "Custom", "add-on": "Add-on" };
export const DECISION = { build: "Build", defer: "Defer", no: "Say no" };
export const ROLE = { sales: "Sales", product: "Product", engineering: "Engineering" };
export const ROLE_BLURB = {
  sales: "You hear what buyers promise — and what they threaten.",
  product: "You know what users actually need.",
  engineering: "You know what it really costs to build and keep.",
};

/** "Decide this round" / "Can wait 1 more round". */
export function deadlineText(card) {
  const d = Number(card.rounds_left ?? card.deadline) || 1;
  if (d <= 1) return card.waiting ? "Last chance: decide this round" : "Decide this round";
  return `Can wait ${d - 1} more round${d - 1 === 1 ? "" : "s"}`;
}

export function badges(card) {
  return h(
    "p",
    { class: "badges" },
    h("span", { class: `badge ${card.kind}` }, KIND[card.kind] || card.kind),
    card.kind !== "event" && card.scope && card.scope !== "core"
      ? h("span", { class: `badge ${card.scope}` }, SCOPE[card.scope] || card.scope)
      : null,
    card.waiting ? h("span", { class: "badge waiting" }, "Back from the backlog") : null,
  );
}

export function askerLine(card) {
  if (!card.asker) return card.kind === "improvement" ? "Your own engineering team" : "";
  const who = card.kind === "request" ? `${card.asker} (customer)` : `${card.asker} (prospect)`;
  return card.contact ? `${who} · ${card.contact}` : who;
}

/** The visible numbers as a definition list: effort, deal size, deadline. */
export function facts(card, { compact = false } = {}) {
  const items = [["Effort", `${card.effort} pt${card.effort === 1 ? "" : "s"}`]];
  if (card.kind === "deal") items.push(["Deal", `${money(card.deal_size)} ARR`]);
  items.push(compact ? ["Decide by", shortDeadline(card)] : ["When", deadlineText(card)]);
  return h(
    "dl",
    { class: "facts" },
    items.map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, v))),
  );
}

function shortDeadline(card) {
  const d = Number(card.rounds_left ?? card.deadline) || 1;
  if (d <= 1) return card.waiting ? "last chance" : "this round";
  return d === 2 ? "next round" : `round +${d - 1}`;
}

/** Roles as words: "Sales", "Sales, Product and Engineering". */
export function rolesText(roles) {
  const names = (roles || []).map((r) => ROLE[r] || r);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export const METRICS = [
  { key: "arr", label: "ARR", fmt: money, better: 1, help: "recurring revenue a year" },
  { key: "customer_value", label: "Customer value", short: "Value", fmt: (v) => Math.round(v), better: 1, help: "real value to your users" },
  { key: "tech_debt", label: "Tech debt", short: "Debt", fmt: (v) => Math.round(v), better: -1, help: "shortcuts that slow you down" },
  { key: "capacity", label: "Capacity", short: "Cap.", fmt: (v) => Math.round(v), better: 1, help: "effort points a round" },
];

export const MORE_METRICS = [
  { key: "cash", label: "Cash", fmt: money, better: 1 },
  { key: "accounts", label: "Customers", fmt: (v) => Math.round(v), better: 1 },
];

/** "up"/"down"/"flat" for a change, by whether the metric is better higher or lower. */
export function trend(change, better) {
  if (Math.abs(change) < 0.5) return "flat";
  return change * better > 0 ? "up" : "down";
}

export function changeText(metric, change) {
  if (Math.abs(change) < 0.5) return "±0";
  const sign = change > 0 ? "+" : "−";
  return sign + metric.fmt(Math.abs(change)).toString().replace(/^−/, "");
}

/** The line of a round that says the most: churn, liabilities, signings, rushing, lost deals. */
const TELLING = [/churned/i, /liabilit/i, /signed:/i, /rushed/i, /competitor/i, /gave up|stopped waiting/i];
export function tellingLine(lines) {
  const list = (lines || []).filter((l) => !/^Market news/i.test(l));
  for (const re of TELLING) {
    const found = list.find((l) => re.test(l));
    if (found) return found;
  }
  return list[0] || (lines || [])[0] || "";
}
