// The facilitator screen's frame: top bar, the action bar with the big button, overlays, key form.
import { served } from "./served.js";
import { h } from "./dom.js";
import { brand } from "./chrome.js";
import { joinBlock, counts } from "./host-screens.js";
import { peopleDialog, helpDialog, confirmDialog, nextGameDialog } from "./host-dialogs.js";
import { fitLevel } from "./host-fit.js";

export function topbar(v) {
  const n = v ? counts(v) : null;
  return h(
    "header",
    { class: "hbar" },
    brand("div", "hbar-brand"),
    v
      ? h(
          "div",
          { class: "hbar-mid" },
          h("p", { class: "hbar-title" }, v.scenario.title),
          h(
            "p",
            { class: "hbar-sub" },
            v.phase === "lobby" ? "Lobby" : v.phase === "debrief" ? "Debrief" : `Round ${v.round.number} of ${v.round.count}`,
          ),
        )
      : h("div", { class: "hbar-mid" }),
    v && v.phase !== "lobby"
      ? h(
          "button",
          { class: "hbar-join", type: "button", dataset: { action: "join" } },
          h("span", { class: "hj-label" }, "Room"),
          h("span", { class: "hj-code" }, v.code),
          h("span", { class: "sr-only" }, " (show how to join)"),
        )
      : null,
    v
      ? h(
          "div",
          { class: "hbar-tools" },
          h("span", { class: "hbar-people" }, `${n.connected} here`, n.away ? ` · ${n.away} away` : ""),
          v.phase !== "debrief" ? h("button", { class: "btn small", type: "button", dataset: { action: "people" } }, "Players ", h("kbd", null, "M")) : null,
          h("button", { class: "btn small", type: "button", dataset: { action: "help" }, "aria-label": "Keyboard shortcuts" }, "?"),
        )
      : null,
  );
}

export function actionbar(v, ui) {
  const b = (label, action, opts = {}) =>
    h(
      "button",
      { class: `btn ${opts.cls || ""}`, type: "button", dataset: { action }, disabled: ui.busy || opts.disabled },
      label,
      opts.key ? h("kbd", { "aria-hidden": "true" }, opts.key) : null,
    );
  const end = v.phase !== "debrief" && v.phase !== "lobby" ? b("End game", "end", { cls: "quiet" }) : null;
  let main = [];
  if (v.phase === "lobby") {
    const people = v.teams.some((t) => t.bot || t.members.length);
    main = [b("Start the game", "primary", { cls: "primary xl", key: "Space", disabled: !people })];
  } else if (v.phase === "round_open") {
    const t = v.timer.status;
    main = [
      t === "running" ? b("Pause", "pause", { key: "P" }) : t === "paused" ? b("Resume", "resume", { key: "R" }) : null,
      b("+1 minute", "extend", { key: "E" }),
      b("Close round", "primary", { cls: "primary xl", key: "Space" }),
    ];
  } else if (v.phase === "round_closed") main = [b("Reveal results", "primary", { cls: "primary xl", key: "Space" })];
  else if (v.phase === "revealed") {
    const last = v.round.number >= v.round.count;
    main = [b(last ? "Show the debrief" : `Start round ${v.round.number + 1}`, "primary", { cls: "primary xl", key: "Space" })];
  }
  if (v.phase === "debrief") return null;
  // The empty middle is where toasts show (host-fit.js), clear of the buttons either side.
  return h("footer", { class: "actionbar" }, h("div", { class: "ab-left" }, end), h("div", { class: "ab-slot", "aria-hidden": "true" }), h("div", { class: "ab-main" }, main));
}

export function keyScreen(ui) {
  return h(
    "div",
    { class: "center-note" },
    h("h1", null, `Room ${ui.code}`),
    h("p", null, ui.error || "This browser does not have the facilitator key for this room."),
    h(
      "form",
      { class: "keyform", dataset: { action: "key" } },
      h("label", { class: "field" }, h("span", null, "Facilitator key"), h("input", { class: "input", name: "secret", autocomplete: "off", spellcheck: "false" })),
      h("button", { class: "btn primary", type: "submit" }, "Open"),
    ),
    h("p", null, h("a", { href: served("/host") }, "Or start a new session")),
  );
}

export function dialogs(v, ui) {
  if (!ui.dialog) return null;
  let body = null;
  if (ui.dialog === "people" && v) body = peopleDialog(v, ui);
  else if (ui.dialog === "help") body = helpDialog(v, ui);
  else if (ui.dialog === "join" && v) body = h("div", { class: "dlg-join" }, h("h2", { id: "dlg-title" }, "Join this game"), joinBlock(v, ui.links || { join: location.origin + served("") }));
  else if (ui.dialog === "confirm" && ui.confirm) body = confirmDialog(ui.confirm);
  else if (ui.dialog === "next" && v) body = nextGameDialog(v, ui);
  if (!body) return null;
  return h(
    "div",
    { class: "overlay", "data-key": `dlg-${ui.dialog}` },
    h(
      "div",
      { class: `dialog dlg-${ui.dialog}`, role: "dialog", "aria-modal": "true", "aria-labelledby": "dlg-title", "data-fit": fitLevel("dialog") },
      body,
      h(
        "button",
        { class: "btn small dlg-close", type: "button", dataset: { action: "dismiss" }, "data-autofocus": ui.dialog === "confirm" ? null : "" },
        "Close ",
        h("kbd", null, "Esc"),
      ),
    ),
  );
}
