// The team's reasons: on a phone, why the team decides a card (written by anyone, the last one
// stands, with its author); on the reveal and in the debrief, each reason beside what its decision
// caused. Player text is always text (h() makes text nodes), never HTML.
import { h } from "./dom.js";
import { DECISION } from "./cards.js";
import { amountText, causeButton, isOpen } from "./causes.js";

export const MAX_REASON = 140;
const LABEL = { arr: "ARR", customer_value: "Customer value", tech_debt: "Tech debt", capacity: "Capacity", cash: "Cash" };
const BETTER = { tech_debt: -1 };

// -- a phone, while the round is open ------------------------------------------------------------------------

/** The reason under a card's decision buttons: who said it, and a way to add or change it. */
export function reasonBox(card, v, ui) {
  const said = (v.team.reasons || {})[card.id];
  const names = Object.fromEntries(v.team.members.map((m) => [m.id, m.name]));
  const who = said ? (said.by === v.you.id ? "you" : names[said.by] || "a teammate") : "";
  if (ui.reasonFor === card.id) return reasonForm(card, said);
  return h(
    "div",
    { class: `reason-box${said ? " said" : ""}`, "data-key": `why-${card.id}` },
    said ? h("p", { class: "rs-label" }, who === "you" ? "Your reason" : `${who}’s reason`) : null,
    said ? h("p", { class: "rs-said" }, h("q", null, said.text)) : null,
    h(
      "button",
      { type: "button", class: "link-btn rs-edit", dataset: { action: "editReason", card: card.id } },
      said ? "Change the reason" : "Add a reason",
      h("span", { class: "sr-only" }, ` for ${card.title}`),
    ),
  );
}

function reasonForm(card, said) {
  const id = `why-${card.id}`;
  return h(
    "form",
    { class: "reason-form", dataset: { action: "saveReason", card: card.id }, "data-key": `form-${card.id}` },
    h("label", { for: id }, `Why? Your team sees it now, everyone at the reveal`),
    h("input", {
      id,
      class: "input",
      name: "reason",
      type: "text",
      maxlength: String(MAX_REASON),
      autocomplete: "off",
      enterkeyhint: "done",
      placeholder: "They'll sign 40 seats this quarter",
      value: said ? said.text : "",
      "data-autofocus": "",
    }),
    h(
      "div",
      { class: "rs-buttons" },
      h("button", { type: "submit", class: "btn small primary" }, "Save"),
      h("button", { type: "button", class: "btn small", dataset: { action: "cancelReason" } }, "Cancel"),
      said ? h("button", { type: "button", class: "btn small", dataset: { action: "clearReason", card: card.id } }, "Remove") : null,
      h("small", { class: "rs-max" }, `${MAX_REASON} characters at most`),
    ),
  );
}

/** The phone's actions for reasons; `command` sends one, `paint` re-renders, `toast` says a refusal. */
export function reasonActions({ command, paint, toast, ui }) {
  const send = async (card, text) => {
    try {
      await command("set_reason", { card, text });
      ui.reasonFor = "";
    } catch (err) {
      toast(err.message, true);
    }
    paint();
  };
  return {
    editReason(el) {
      ui.reasonFor = el.dataset.card;
      paint();
      const input = document.getElementById(`why-${el.dataset.card}`);
      if (input) input.focus();
    },
    cancelReason() {
      ui.reasonFor = "";
      paint();
    },
    saveReason(form) {
      return send(form.dataset.card, form.elements.reason.value.trim());
    },
    clearReason(el) {
      return send(el.dataset.card, "");
    },
  };
}

// -- the reveal and the debrief ---------------------------------------------------------------------------------

function tone(metric, amount) {
  if (Math.abs(amount) < 0.05) return "flat";
  return amount * (BETTER[metric] || 1) > 0 ? "up" : "down";
}

/** What a decision caused: the story's lines naming the card, then each figure it moved. */
function caused(r) {
  const items = [
    ...r.lines.map((line, i) => h("li", { class: "rs-line", "data-key": `l${i}` }, line)),
    ...r.caused.map((c, i) =>
      h(
        "li",
        { class: "rs-fig", "data-key": `c${i}` },
        h("span", { class: `rs-amt ${tone(c.metric, c.amount)}` }, `${LABEL[c.metric] || c.metric} ${amountText(c.metric, c.amount, c.metric !== "capacity")}`),
        ` ${c.text}`,
      ),
    ),
    r.liability
      ? h("li", { class: "rs-liab", "data-key": "liab" }, `It became a liability: ${r.liability.why}; upkeep ${r.liability.maintenance} a round`)
      : null,
  ].filter(Boolean);
  if (!items.length) return h("p", { class: "rs-none" }, "No figure moved because of it this round");
  return h("ul", { class: "rs-caused", "aria-label": "What it caused" }, items);
}

/**
 * Each reason the team gave, beside what its decision caused. `hide` (the facilitator): a button
 * that keeps a reason off the projector, or shows it again; `team` and `round` say which.
 */
export function reasonList(reasons, { hide = false, team = "", round = 0 } = {}) {
  if (!reasons || !reasons.length) return null;
  return h(
    "ul",
    { class: "reasons" },
    reasons.map((r) =>
      h(
        "li",
        { class: "reason", "data-key": r.card },
        h(
          "p",
          { class: "rs-head" },
          h("span", { class: `badge ${r.decision}` }, r.bumped ? "No room" : DECISION[r.decision]),
          " ",
          h("strong", null, r.title),
        ),
        r.off_projector && !r.text
          ? h("p", { class: "rs-quote hidden-reason" }, `${r.by || "A player"}'s reason is hidden from the projector`)
          : h("p", { class: "rs-quote" }, h("span", { class: "rs-by" }, `${r.by || "A player"}: `), h("q", null, r.text)),
        h("div", { class: "rs-arrow" }, h("span", { class: "rs-to", "aria-hidden": "true" }, "→"), caused(r)),
        hide
          ? h(
              "button",
              {
                type: "button",
                class: "link-btn rs-hide no-print",
                dataset: { action: "hideReason", team, round: String(round), card: r.card, hidden: r.off_projector ? "" : "1" },
              },
              r.off_projector ? "Show on the projector" : "Hide from the projector",
              h("span", { class: "sr-only" }, `: ${r.by}'s reason for ${r.title}`),
            )
          : null,
      ),
    ),
  );
}

/** The projector's reveal: a team's "why" as a button over its column, opening a floating panel. */
export function reasonsButton(id, t) {
  const n = (t.outcome && t.outcome.reasons && t.outcome.reasons.length) || 0;
  if (!n) return null;
  return causeButton(id, "reasons", h("span", { class: "rs-count" }, `Why? ${n} reason${n === 1 ? "" : "s"}`), {
    cls: "rs-open",
    label: `${t.name}'s reasons`,
    after: "",
  });
}

export function reasonsPanel(id, t, round) {
  if (!isOpen(id)) return null;
  return h(
    "section",
    { class: "causes floating reasons-panel", id: `cz-${id.replace(/[^a-zA-Z0-9_-]/g, "_")}`, role: "dialog", "aria-label": `${t.name}: why they decided`, "data-key": `panel-${id}` },
    h(
      "div",
      { class: "cz-head" },
      h("h3", null, `Why ${t.name} decided`, h("small", null, ` · round ${round + 1}`)),
      h("button", { type: "button", class: "btn small cz-close", dataset: { action: "closeCauses" }, "data-autofocus": "" }, "Close"),
    ),
    reasonList(t.outcome.reasons, { hide: true, team: t.id, round }),
  );
}

/** The facilitator's hide / show; `refresh` fetches what changed (the debrief is not pushed). */
export function hideActions({ command, refresh }) {
  return {
    async hideReason(el) {
      const { team, round, card, hidden } = el.dataset;
      if (await command("hide_reason", { team, in_round: Number(round), card, hidden: hidden === "1" })) await refresh();
    },
  };
}
