// The phone before the game: joining, rejoining, the lobby with its team; and the waiting screens.
import { h } from "./dom.js";
import { saved } from "./chrome.js";
import { rolesText, ROLE_BLURB } from "./cards.js";

export const TOKEN = (code) => `curb:seat:${code}`;

export function joinScreen(ui) {
  const code = ui.code || "";
  const last = saved("curb:last");
  const back = !code && last && saved(TOKEN(last)) ? last : "";
  return h(
    "section",
    { class: "join" },
    back
      ? h(
          "p",
          { class: "back-to" },
          h("button", { class: "btn wide", type: "button", dataset: { action: "back", code: back } }, `Back to game ${back}`),
        )
      : null,
    h("h1", { class: "join-title" }, "Join the game"),
    h("p", { class: "lead" }, "Type the room code from the big screen and your name."),
    h(
      "form",
      { class: "stack", dataset: { action: "join" }, novalidate: true },
      h(
        "label",
        { class: "field" },
        h("span", null, "Room code"),
        h("input", {
          class: "input code-input",
          name: "code",
          value: code,
          autocomplete: "off",
          autocapitalize: "characters",
          spellcheck: "false",
          maxlength: "12",
          enterkeyhint: "next",
          "aria-invalid": ui.error && !code ? "true" : null,
        }),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, "Your name"),
        h("input", {
          class: "input",
          name: "name",
          value: saved("curb:name"),
          autocomplete: "nickname",
          maxlength: "40",
          enterkeyhint: "go",
          autofocus: code ? true : null,
        }),
      ),
      ui.wordNeeded
        ? h(
            "label",
            { class: "field" },
            h("span", null, "Word on the big screen"),
            h("input", { class: "input", name: "word", autocomplete: "off", autocapitalize: "none", spellcheck: "false", maxlength: "20", enterkeyhint: "go" }),
          )
        : null,
      ui.error ? h("p", { class: "error", role: "alert" }, ui.error) : null,
      h("button", { class: "btn primary wide big", type: "submit", disabled: ui.busy }, ui.busy ? "Joining…" : "Join"),
    ),
  );
}

export function waitScreen(text) {
  return h("section", { class: "center-note" }, h("div", { class: "spinner", "aria-hidden": "true" }), h("p", null, text));
}

export function removedScreen() {
  return h(
    "section",
    { class: "center-note" },
    h("h1", null, "You left the game"),
    h("p", null, "The facilitator removed you from this game. If that was a mistake, join again."),
    h("button", { class: "btn primary wide", type: "button", dataset: { action: "rejoin" } }, "Join again"),
  );
}

export function lobbyScreen(v, ui) {
  const team = v.team;
  const others = (v.teams || []).filter((t) => t.id !== team.id);
  return h(
    "section",
    { class: "lobby stack" },
    h("div", { class: "hello" }, h("p", { class: "kicker" }, "You're in"), h("h1", null, v.you.name)),
    h("p", { class: "waiting-note top" }, h("span", { class: "spinner small", "aria-hidden": "true" }), "Waiting for the facilitator to start…"),
    h(
      "article",
      { class: "panel team-card" },
      h("p", { class: "kicker" }, "Your team"),
      h("h2", { class: "team-name" }, team.name),
      memberList(team.members, v.you.id),
      roleNote(v.you.roles),
    ),
    howItWorks(),
    h(
      "form",
      { class: "panel rename", dataset: { action: "rename" } },
      h("label", { class: "label", for: "teamname" }, "Give your company a name"),
      h(
        "div",
        { class: "rename-row" },
        h("input", { class: "input", id: "teamname", name: "teamname", value: team.name, maxlength: "40", autocomplete: "off" }),
        h("button", { class: "btn small", type: "submit", disabled: ui.busy }, "Rename"),
      ),
    ),
    others.length
      ? h(
          "div",
          { class: "panel" },
          h("h2", { class: "h3" }, "Want to sit with someone else?"),
          h(
            "ul",
            { class: "team-switch" },
            others.map((t) =>
              h(
                "li",
                { "data-key": t.id },
                h(
                  "button",
                  { class: "btn small wide", type: "button", dataset: { action: "team", team: t.id }, disabled: ui.busy },
                  `Move to ${t.name} (${t.size} ${t.size === 1 ? "person" : "people"})`,
                ),
              ),
            ),
          ),
        )
      : v.teams_listed === false
        ? h("p", { class: "panel muted" }, "Want to sit with someone else? Ask the facilitator to move you.")
        : null,
  );
}

export function memberList(members, youId) {
  return h(
    "ul",
    { class: "members" },
    members.map((m) =>
      h(
        "li",
        { "data-key": m.id },
        h("span", { class: m.connected ? "dot" : "dot away", title: m.connected ? "connected" : "away" }),
        h("span", { class: "who" }, m.name, m.id === youId ? h("span", { class: "you" }, " (you)") : null),
        h("span", { class: "roles" }, rolesText(m.roles)),
        m.connected ? null : h("span", { class: "sr-only" }, " (away)"),
      ),
    ),
  );
}

export function roleNote(roles) {
  if (!roles || !roles.length) return null;
  return h(
    "div",
    { class: "role-note" },
    h("p", null, h("strong", null, `You play ${rolesText(roles)}.`), " ", roles.length === 1 ? ROLE_BLURB[roles[0]] : roles.length === 3 ? "You see every role's hints." : `You see the ${rolesText(roles)} hints.`),
  );
}

function howItWorks() {
  return h(
    "section",
    { class: "panel how" },
    h("h2", { class: "h3" }, "How a round works"),
    h(
      "ol",
      null,
      h("li", null, h("strong", null, "Deals, requests and news"), " arrive: the same cards for every team."),
      h(
        "li",
        null,
        "Together, set each card to ",
        h("strong", { class: "t-build" }, "Build"),
        ", ",
        h("strong", { class: "t-defer" }, "Defer"),
        " or ",
        h("strong", { class: "t-no" }, "Say no"),
        ". Everyone sees every change.",
      ),
      h("li", null, "Building uses capacity. Past it the work is ", h("strong", null, "rushed"), " (up to a limit) and adds debt and bugs."),
      h("li", null, "Your phone shows a hint for your role only. Argue! Then lock the plan."),
    ),
  );
}
