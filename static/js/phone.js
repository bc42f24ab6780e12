// The player's phone: join, lobby, round, result and debrief. Sends intentions, renders views.
import { h, render, delegate } from "./dom.js";
import { connect, statusText } from "./net.js";
import { createStore } from "./store.js";
import { rolesText, ROLE_BLURB } from "./cards.js";
import { roundScreen, closedScreen, resultScreen, tickClocks } from "./phone-round.js";

const app = document.getElementById("app");
const store = createStore();
const TOKEN = (code) => `curb:seat:${code}`;
const ui = {
  mode: "join", // join | resuming | seat | removed
  code: (document.body.dataset.code || "").toUpperCase(),
  error: "",
  busy: false,
  pending: {}, // card -> decision sent but not yet acknowledged
  activity: [], // recent changes to the team's plan: {who, text, at}
  debrief: null,
  debriefError: "",
};

// -- storage ------------------------------------------------------------------------------------------
function saved(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}
function save(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    /* private mode: rejoining after a reload will need the code again */
  }
}

// -- the connection -----------------------------------------------------------------------------------
const conn = document.getElementById("conn");
let connTimer = 0;
function showStatus(status) {
  clearTimeout(connTimer);
  conn.textContent = statusText(status);
  conn.classList.toggle("ok", status === "online");
  if (status === "online") {
    if (conn.classList.contains("show")) connTimer = setTimeout(() => conn.classList.remove("show"), 1200);
  } else {
    // Do not flash a banner for a blip: show it when the trouble lasts.
    connTimer = setTimeout(() => conn.classList.add("show"), status === "connecting" ? 1500 : 600);
  }
}

const net = connect({
  onStatus: showStatus,
  onConnect: ({ resync } = {}) => {
    if (ui.mode === "seat" && resync) sync();
    else resume();
  },
  on: {
    "seat:view": (v) => takeView(v),
    "team:plan": (d) => {
      const v = store.view;
      if (!v || !v.team || d.team !== v.team.id || d.round !== v.round.index) return;
      noteChanges(v.team, d);
      store.patch(d.rev, (view) => Object.assign(view.team, pick(d, "plan", "locked", "locked_by", "capacity")));
    },
    "team:members": (d) => {
      const v = store.view;
      if (v && v.team && d.team === v.team.id) store.patch(d.rev, (view) => (view.team.members = d.members));
    },
    timer: (d) => {
      store.learnClock(d);
      store.patch(d.rev, (view) => (view.timer = pick(d, "status", "ends_at_ms", "remaining_ms", "server_now_ms", "round_seconds")));
    },
    "seat:removed": (d) => {
      save(TOKEN(d.code), "");
      ui.mode = "removed";
      store.clear();
    },
  },
});

function pick(obj, ...keys) {
  const out = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  return out;
}

function takeView(v) {
  if (!v || v.view !== "seat") return;
  if (v.removed) {
    save(TOKEN(v.code), "");
    ui.mode = "removed";
    store.clear();
    return;
  }
  const old = store.view;
  if (old && old.team && v.team && old.round.index === v.round.index && old.team.id === v.team.id) {
    noteChanges(old.team, v.team);
  } else ui.activity = [];
  const moved = old && old.phase !== v.phase;
  if (moved) {
    ui.pending = {};
    if (v.phase !== "debrief") ui.debrief = null;
  }
  ui.mode = "seat";
  store.set(v);
  if (moved) {
    // A new screen: start at its top, and let a screen reader start there too.
    window.scrollTo({ top: 0 });
    const main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }
  if (v.phase === "debrief" && !ui.debrief) loadDebrief();
}

/** Who changed what: compare the plan we show with the new one. */
function noteChanges(before, after) {
  const names = Object.fromEntries((store.view.team.members || []).map((m) => [m.id, m.name]));
  const titles = Object.fromEntries((store.view.cards || []).map((c) => [c.id, c.title]));
  const now = Date.now();
  const who = (id) => (id === store.view.you.id ? "You" : names[id] || "A teammate");
  for (const [card, choice] of Object.entries(after.plan || {})) {
    const prev = (before.plan || {})[card];
    if (!prev || prev.decision !== choice.decision) {
      const verb = { build: "Build", defer: "Defer", no: "Say no" }[choice.decision];
      ui.activity.unshift({ who: who(choice.by), text: `set “${titles[card] || card}” to ${verb}`, at: now, d: choice.decision });
    }
  }
  if (after.locked && !before.locked) ui.activity.unshift({ who: who(after.locked_by), text: "locked the plan", at: now, d: "lock" });
  if (!after.locked && before.locked) ui.activity.unshift({ who: "", text: "Plan unlocked", at: now, d: "unlock" });
  ui.activity = ui.activity.slice(0, 8);
}

async function sync() {
  try {
    const ack = await net.request("sync");
    takeView(ack.view);
  } catch {
    resume();
  }
}

/** Rejoin with the seat token stored for this room (or the last room) — no typing after a reload. */
async function resume(typed = "") {
  const code = typed || ui.code; // on "/" we offer the last game rather than jump into it
  const token = code ? saved(TOKEN(code)) : "";
  if (!token) {
    if (ui.mode !== "removed") ui.mode = "join";
    paint();
    return;
  }
  if (ui.mode !== "seat") ui.mode = "resuming";
  paint();
  try {
    const ack = await net.request("player:resume", { token });
    ui.code = ack.code;
    takeView(ack.view);
  } catch (err) {
    if (err.code === "timeout") return; // still offline: the next connect retries
    save(TOKEN(code), "");
    ui.mode = err.code === "removed" ? "removed" : "join";
    ui.error = err.code === "removed" ? "" : "That game has ended or your seat is gone. Join again below.";
    paint();
  }
}

// -- actions --------------------------------------------------------------------------------------------
const actions = {
  async join(form) {
    const code = form.elements.code.value.trim().toUpperCase().replace(/[\s-]/g, "");
    const name = form.elements.name.value.trim();
    ui.error = "";
    if (!code) return fail("Type the room code from the big screen.", form.elements.code);
    if (saved(TOKEN(code))) return resume(code); // this phone already has a seat there
    if (!name) return fail("Type your name so your team knows who you are.", form.elements.name);
    ui.busy = true;
    paint();
    try {
      const ack = await net.request("player:join", { id: commandIdFor(code, name), code, name });
      save(TOKEN(ack.code), ack.token);
      save("curb:last", ack.code);
      save("curb:name", name);
      ui.code = ack.code;
      if (location.pathname !== `/join/${ack.code}`) history.replaceState(null, "", `/join/${ack.code}`);
      takeView(ack.view);
    } catch (err) {
      ui.error =
        err.code === "not_found" ? `There is no game with code ${code}. Check the code on the big screen.` : err.message;
    } finally {
      ui.busy = false;
      paint();
    }
  },
  back(el) {
    resume(el.dataset.code);
  },
  rejoin() {
    save(TOKEN(ui.code), "");
    ui.mode = "join";
    ui.error = "";
    paint();
  },
  async decide(el) {
    const { card, decision } = el.dataset;
    if (navigator.vibrate) navigator.vibrate(8); // a small tick under the thumb, where phones allow it
    ui.pending[card] = decision;
    paint();
    try {
      await net.command("set_card", { card, decision });
    } catch (err) {
      toast(err.message, true);
    } finally {
      delete ui.pending[card];
      paint();
    }
  },
  lock: () => send("lock"),
  unlock: () => send("unlock"),
  async team(el) {
    await send("choose_team", { team: el.dataset.team });
  },
  async rename(form) {
    const input = form.elements.teamname;
    const name = input.value.trim();
    if (!name) return;
    await send("rename_my_team", { name });
    input.dataset.dirty = "";
    input.blur();
    toast("Team renamed");
  },
  retryDebrief() {
    ui.debriefError = "";
    loadDebrief();
  },
};

/** One join per name and room per page: pressing Join twice does not make two seats. */
const joinIds = {};
function commandIdFor(code, name) {
  const key = `${code}|${name}`;
  joinIds[key] ||= `join-${Math.random().toString(36).slice(2, 12)}-${Date.now().toString(36)}`;
  return joinIds[key];
}

function fail(message, input) {
  ui.error = message;
  paint();
  if (input) input.focus();
}

async function send(type, fields) {
  ui.busy = true;
  paint();
  try {
    await net.command(type, fields);
  } catch (err) {
    toast(err.message, true);
  } finally {
    ui.busy = false;
    paint();
  }
}

const toastEl = document.getElementById("toast");
let toastTimer = 0;
function toast(text, bad = false) {
  toastEl.textContent = text;
  toastEl.classList.toggle("bad", bad);
  toastEl.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toastEl.classList.remove("show"), 3200);
}

// -- the debrief, loaded only when the game ends ----------------------------------------------------------
async function loadDebrief() {
  try {
    const [{ phoneDebrief }, ack] = await Promise.all([import("./debrief.js"), net.request("debrief")]);
    ui.debrief = { render: phoneDebrief, data: ack.debrief };
  } catch (err) {
    ui.debriefError = err.message || "The debrief could not be loaded.";
  }
  paint();
}

// -- screens ------------------------------------------------------------------------------------------------
function joinScreen() {
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
      ui.error ? h("p", { class: "error", role: "alert" }, ui.error) : null,
      h("button", { class: "btn primary wide big", type: "submit", disabled: ui.busy }, ui.busy ? "Joining…" : "Join"),
    ),
  );
}

function waitScreen(text) {
  return h("section", { class: "center-note" }, h("div", { class: "spinner", "aria-hidden": "true" }), h("p", null, text));
}

function removedScreen() {
  return h(
    "section",
    { class: "center-note" },
    h("h1", null, "You left the game"),
    h("p", null, "The facilitator removed you from this game. If that was a mistake, join again."),
    h("button", { class: "btn primary wide", type: "button", dataset: { action: "rejoin" } }, "Join again"),
  );
}

function lobbyScreen(v) {
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
    h("p", null, h("strong", null, `You play ${rolesText(roles)}.`), " ", roles.length === 1 ? ROLE_BLURB[roles[0]] : "You see every role's hints."),
  );
}

function header(v) {
  return h(
    "header",
    { class: "topbar" },
    h(
      "div",
      { class: "tb-main" },
      h("p", { class: "tb-team" }, v.team.name),
      h("p", { class: "tb-round" }, v.phase === "lobby" ? `Room ${v.code}` : v.phase === "debrief" ? "Debrief" : `Round ${v.round.number} of ${v.round.count}`),
    ),
    v.phase === "round_open" && v.timer.status !== "off"
      ? h("p", { class: `tb-clock ${v.timer.status}`, role: "timer", "aria-label": "time left" }, h("span", { "data-clock": "" }, ""))
      : null,
  );
}

function screenFor(v) {
  switch (v.phase) {
    case "lobby":
      return lobbyScreen(v);
    case "round_open":
      return roundScreen(v, ui);
    case "round_closed":
      return closedScreen(v);
    case "revealed":
      return resultScreen(v);
    case "debrief":
      if (ui.debrief) return ui.debrief.render(ui.debrief.data, v);
      if (ui.debriefError)
        return h(
          "section",
          { class: "center-note" },
          h("p", { class: "error" }, ui.debriefError),
          h("button", { class: "btn", type: "button", dataset: { action: "retryDebrief" } }, "Try again"),
        );
      return waitScreen("Loading your debrief…");
    default:
      return waitScreen("…");
  }
}

function paint() {
  const v = store.view;
  let tree;
  if (ui.mode === "seat" && v) {
    document.body.dataset.phase = v.phase;
    tree = [header(v), h("main", { id: "main", class: `screen ${v.phase}`, tabindex: "-1" }, screenFor(v))];
  } else {
    document.body.dataset.phase = ui.mode;
    const inner =
      ui.mode === "resuming" ? waitScreen("Rejoining your team…") : ui.mode === "removed" ? removedScreen() : joinScreen();
    tree = [brandBar(), h("main", { id: "main", class: "screen", tabindex: "-1" }, inner)];
  }
  render(app, tree);
  tickClocks(store);
  wakeLock(v && ui.mode === "seat" && v.phase === "round_open");
}

function brandBar() {
  const tpl = document.getElementById("brand-tpl");
  return h("header", { class: "brandbar" }, tpl ? tpl.content.cloneNode(true) : "Curb Appeal");
}

// -- keep the screen awake during a round (where the browser allows it) -------------------------------------
let lock = null;
let wantLock = false;
async function wakeLock(want) {
  wantLock = want;
  if (!("wakeLock" in navigator)) return;
  try {
    if (want && !lock && document.visibilityState === "visible") {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => (lock = null));
    } else if (!want && lock) {
      await lock.release();
      lock = null;
    }
  } catch {
    lock = null; // battery saver or no permission: the round still works
  }
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && wantLock) wakeLock(true);
});

delegate(app, actions);
store.subscribe(paint);
setInterval(() => tickClocks(store), 250);
if (ui.code) save("curb:last", ui.code);
paint();
