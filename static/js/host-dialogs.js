// The facilitator's overlays: player management, keyboard shortcuts, confirmations.
import { h } from "./dom.js";
import { rolesText } from "./cards.js";
import { pageOf, pagerBar } from "./pager.js";

export const SHORTCUTS = [
  ["Space", "Start · close round · reveal · next round (the big button)"],
  ["P", "Pause the timer"],
  ["R", "Resume the timer"],
  ["E or +", "One more minute"],
  ["K", "Keep the round open when every team has locked"],
  ["M", "Players: move, remove, rename teams"],
  ["J", "Show the join code and QR again"],
  ["F", "Full screen"],
  ["?", "This help"],
  ["Esc", "Close an overlay"],
  ["1 – 9", "Debrief: jump to a section"],
  ["← →", "Debrief and players: the previous or next step (Page Up / Page Down too)"],
];

export function helpDialog(v, ui) {
  return h(
    "div",
    null,
    h("h2", { id: "dlg-title" }, "Keyboard shortcuts"),
    h(
      "dl",
      { class: "shortcuts" },
      SHORTCUTS.map(([k, t]) => h("div", null, h("dt", null, k.split(" ").map((x) => (x === "or" || x === "–" ? ` ${x} ` : h("kbd", null, x)))), h("dd", null, t))),
    ),
    h("p", { class: "hint-text" }, "Shortcuts work whenever you are not typing in a field."),
    v ? moveRoom(v, ui) : null,
  );
}

/** The facilitator's own link to this room, for another laptop: copied, or shown only on request. */
function moveRoom(v, ui) {
  return h(
    "div",
    { class: "move-room" },
    h("h3", null, "Run this room from another laptop"),
    h("p", { class: "hint-text" }, "The link carries your facilitator key: keep it off the projector and out of the chat."),
    ui.keyLink
      ? h(
          "label",
          { class: "field" },
          h("span", null, "Facilitator link"),
          h("input", { class: "input", readonly: true, value: ui.keyLink, "data-autofocus": "" }),
        )
      : h("button", { class: "btn small", type: "button", dataset: { action: "copyKeyLink" } }, "Copy the facilitator link"),
  );
}

export function confirmDialog(c) {
  return h(
    "div",
    { class: "confirm" },
    h("h2", { id: "dlg-title" }, c.title),
    h("p", null, c.text),
    h(
      "div",
      { class: "confirm-actions" },
      h("button", { class: "btn", type: "button", dataset: { action: "dismiss" } }, "Cancel"),
      h("button", { class: "btn primary", type: "button", dataset: { action: "yes" }, "data-autofocus": "" }, c.yes, " ", h("kbd", null, "Enter")),
    ),
  );
}

/** Whether new players may join: closing it once everyone is in keeps a removed player out. */
function doorRow(v, ui) {
  const open = v.joining_open !== false;
  return h(
    "div",
    { class: `door${open ? "" : " closed"}` },
    h(
      "p",
      { class: "door-state" },
      h("strong", null, open ? "New players can join." : "Closed to new players."),
      " ",
      open
        ? "Everyone in? Close the game so nobody else joins, not even a removed player under a new name."
        : "Players already in keep their seats and can reconnect.",
    ),
    h(
      "button",
      { class: "btn small", type: "button", disabled: ui.busy, dataset: { action: "joining", open: open ? "0" : "1" } },
      open ? "Close to new players" : "Let new players join",
    ),
  );
}

// The overlay shows four teams a row; a page holds the rows that fit the screen (a team's height goes
// with its players), so sixty players in twenty teams take three pages, not a scrolling wall.
const COLS = 4;
const ROOM = 22; // rem of team tiles on a page
const tileHeight = (t) => 3.2 + (t.bot ? 1.5 : 2.3 * Math.max(1, t.members.length));

function teamPages(teams) {
  const pages = [[]];
  let used = 0;
  for (let i = 0; i < teams.length; i += COLS) {
    const row = teams.slice(i, i + COLS);
    const tall = Math.max(...row.map(tileHeight));
    const page = pages[pages.length - 1];
    if (page.length && used + 0.5 + tall > ROOM) {
      pages.push([...row]);
      used = tall;
    } else {
      page.push(...row);
      used += (page.length > row.length ? 0.5 : 0) + tall;
    }
  }
  return pages;
}

export function peopleDialog(v, ui) {
  const humans = v.teams.filter((t) => !t.bot);
  const pages = teamPages(v.teams);
  const step = pageOf("people", pages.length);
  const at = (t) => v.teams.indexOf(t) + 1;
  const labels = pages.map((p) => `Teams ${at(p[0])}–${at(p[p.length - 1])} of ${v.teams.length}`);
  return h(
    "div",
    { class: "people" },
    h("div", { class: "people-head" }, h("h2", { id: "dlg-title" }, "Players and teams"), pagerBar("people", labels, { what: "page" })),
    h("p", { class: "hint-text" }, "Move someone to another team, remove a player who left for good, or rename a team."),
    doorRow(v, ui),
    h(
      "div",
      { class: `people-grid${pages.length > 1 ? " paged" : ""}` },
      v.teams.map((t) =>
        h(
          "section",
          { class: ["pteam", pages[step].includes(t) ? "" : "pg-off"], "data-key": t.id, "aria-label": t.name },
          h(
            "form",
            { class: "prename", dataset: { action: "renameTeam", team: t.id } },
            h("label", { class: "sr-only", for: `tn-${t.id}` }, `Name of ${t.name}`),
            h("input", { class: "input", id: `tn-${t.id}`, name: "name", value: t.name, maxlength: "40", autocomplete: "off" }),
            h("button", { class: "btn small", type: "submit", disabled: ui.busy }, "Rename"),
          ),
          t.bot ? h("p", { class: "hint-text" }, `Bot team playing “${t.bot}”.`) : null,
          !t.bot && !t.members.length ? h("p", { class: "hint-text" }, "Nobody yet.") : null,
          h(
            "ul",
            { class: "pmembers" },
            t.members.map((m) =>
              h(
                "li",
                { "data-key": m.id },
                h("span", { class: m.connected ? "dot" : "dot away", "aria-hidden": "true" }),
                h("span", { class: "pm-name" }, m.name, h("small", null, m.connected ? rolesText(m.roles) : `away · ${rolesText(m.roles)}`)),
                humans.length > 1
                  ? h(
                      "select",
                      { class: "input small", "aria-label": `Move ${m.name} to`, "data-change": "move", dataset: { seat: m.id } },
                      h("option", { value: "" }, "Move…"),
                      humans.filter((o) => o.id !== t.id).map((o) => h("option", { value: o.id }, o.name)),
                    )
                  : null,
                h(
                  "button",
                  {
                    class: `btn small danger${ui.removing === m.id ? " confirm-now" : ""}`,
                    type: "button",
                    dataset: { action: "remove", seat: m.id },
                    "aria-label": ui.removing === m.id ? `Really remove ${m.name}?` : `Remove ${m.name}`,
                    title: ui.removing === m.id ? `Really remove ${m.name}?` : `Remove ${m.name}`,
                  },
                  ui.removing === m.id ? "Really?" : h("span", { "aria-hidden": "true" }, "✕"),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The next game with the same people: which scenario (the same by default), then everyone moves. */
export function nextGameDialog(v, ui) {
  const list = (ui.start && ui.start.scenarios) || [];
  return h(
    "form",
    { class: "next-game", dataset: { action: "playAgain" } },
    h("h2", { id: "dlg-title" }, "Play again, same teams"),
    h(
      "p",
      null,
      "Everyone moves to a new lobby in the same team, with the same role: no code to type. Your key opens the new game too.",
    ),
    h(
      "label",
      { class: "field" },
      h("span", null, "Scenario"),
      h(
        "select",
        { class: "input", name: "scenario" },
        h("option", { value: "" }, `The same: ${v.scenario.title}`),
        list.filter((s) => s.id !== v.scenario.id).map((s) => h("option", { value: s.name }, s.title)),
      ),
    ),
    ui.error ? h("p", { class: "error", role: "alert" }, ui.error) : null,
    h(
      "div",
      { class: "confirm-actions" },
      h("button", { class: "btn", type: "button", dataset: { action: "dismiss" } }, "Cancel"),
      h("button", { class: "btn primary", type: "submit", disabled: ui.busy, "data-autofocus": "" }, "Open the new lobby"),
    ),
  );
}
