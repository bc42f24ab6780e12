// The player's phone: join, lobby, round, result and debrief. Sends intentions, renders views.
import { served } from "./served.js";
import { h, render, delegate } from "./dom.js";
import { commandId, connect } from "./net.js";
import { createStore } from "./store.js";
import { saved, save, statusBanner, toaster, brand } from "./chrome.js";
import { keepAwake } from "./wake.js";
import { TOKEN, joinScreen, lobbyScreen, removedScreen, waitScreen } from "./phone-lobby.js";
import { roundScreen, closedScreen, resultScreen } from "./phone-round.js";
import { commandSender, loadDebrief as fetchDebrief, debriefPending, phaseScreen, tickClocks } from "./client.js";
import { causeActions, resetCauses } from "./causes.js";
import { reasonActions } from "./reasons.js";

const app = document.getElementById("app");
const store = createStore();
const ui = {
  mode: "join", // join | resuming | seat | removed
  code: (document.body.dataset.code || "").toUpperCase(),
  error: document.body.dataset.error || "", // the server may explain a bad link (unknown room code)
  busy: false,
  joinKey: new URLSearchParams(location.search).get("k") || "", // from the QR code: never rate-limited
  wordNeeded: false, // the venue's address guessed too many codes: the big screen's word lets a typed code in
  pending: {}, // card -> decision sent but not yet acknowledged
  refused: {}, // card -> {text, over}: why the server refused its Build (no room), shown while it holds
  activity: [], // recent changes to the team's plan: {who, text, at}
  reasonFor: "", // the card whose reason this phone is writing
  debrief: null,
  debriefError: "",
};

const showStatus = statusBanner(document.getElementById("conn"));
const toast = toaster(document.getElementById("toast"));

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
      keepRefusals(d.capacity);
      store.patch(d.rev, (view) => Object.assign(view.team, pick(d, "plan", "reasons", "locked", "locked_by", "capacity")));
    },
    "lobby:teams": (d) => {
      // Other teams' sizes on the "Move to" buttons: every phone in the lobby hears every change.
      if (store.view && store.view.phase === "lobby") store.patch(d.rev, (view) => Object.assign(view, { teams: d.teams, teams_listed: d.listed }));
    },
    "team:members": (d) => {
      const v = store.view;
      if (v && v.team && d.team === v.team.id) store.patch(d.rev, (view) => (view.team.members = d.members));
    },
    timer: (d) => {
      store.learnClock(d);
      store.patch(d.rev, (view) => (view.timer = pick(d, "status", "ends_at_ms", "remaining_ms", "server_now_ms", "round_seconds", "closing_at_ms", "kept_open")));
    },
    "seat:next": (d) => goOn(d),
    "seat:removed": (d) => {
      save(TOKEN(d.code), "");
      ui.mode = "removed";
      store.clear();
    },
  },
});

/** A refused Build's reason stays on its card only while it is still true: the card does not fit,
 *  by as much as when it was refused (a plan change makes the button's own note the newer word). */
function keepRefusals(capacity) {
  const noRoom = (capacity && capacity.no_room) || {};
  for (const [card, r] of Object.entries(ui.refused)) if (noRoom[card] !== r.over) delete ui.refused[card];
}

function noRoomOf(card) {
  const v = store.view;
  return v && v.team && v.team.capacity.no_room ? v.team.capacity.no_room[card] : undefined;
}

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
  if (!v.you) {
    // After a round closes a phase change comes once per team, without "you": we keep ours, as
    // long as it is this team's view (a move or a new seat always brings a full view of its own).
    if (!old || !old.you || !v.team || old.you.team !== v.team.id) return;
    v = { ...v, you: old.you };
  }
  if (old && old.team && v.team && old.round.index === v.round.index && old.team.id === v.team.id) {
    noteChanges(old.team, v.team);
  } else ui.activity = [];
  const moved = old && old.phase !== v.phase;
  if (moved) {
    ui.pending = {};
    ui.refused = {};
    ui.reasonFor = "";
    if (v.phase !== "debrief") ui.debrief = null;
    resetCauses();
  }
  ui.mode = "seat";
  if (v.team) keepRefusals(v.team.capacity);
  store.set(v);
  if (moved) {
    // A new screen: start at its top, and let a screen reader start there too.
    window.scrollTo({ top: 0 });
    const main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }
  if (v.phase === "debrief" && !ui.debrief) loadDebrief();
  if (v.next_game && v.next_game !== ui.code) resume(); // our answer to it carries our next seat
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
  for (const [card, why] of Object.entries(after.reasons || {})) {
    const prev = (before.reasons || {})[card];
    if (!prev || prev.text !== why.text) ui.activity.unshift({ who: who(why.by), text: `gave a reason for “${titles[card] || card}”`, at: now, d: "why" });
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
    if (ack.next) return goOn(ack.next); // the room went on to another game while we were away
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

/** The facilitator started the next game with the same people: take our seat there, no typing. */
function goOn(next) {
  if (!next || !next.code || !next.token || next.code === ui.code) return;
  save(TOKEN(next.code), next.token);
  save("curb:last", next.code);
  ui.code = next.code;
  ui.debrief = null;
  if (location.pathname !== served(`/join/${next.code}`)) history.replaceState(null, "", served(`/join/${next.code}`));
  toast("A new game with the same teams. Here we go!");
  resume();
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
      const payload = { id: commandIdFor(code, name), code, name };
      if (ui.joinKey && code === ui.code) payload.key = ui.joinKey;
      const word = form.elements.word ? form.elements.word.value.trim() : "";
      if (word) payload.word = word;
      const ack = await net.request("player:join", payload);
      ui.wordNeeded = false;
      save(TOKEN(ack.code), ack.token);
      save("curb:last", ack.code);
      save("curb:name", name);
      ui.code = ack.code;
      if (location.pathname !== served(`/join/${ack.code}`)) history.replaceState(null, "", served(`/join/${ack.code}`));
      takeView(ack.view);
    } catch (err) {
      if (err.code === "word_needed") ui.wordNeeded = true;
      ui.error =
        err.code === "not_found"
          ? `There is no game with code ${code}. Check the code on the big screen.`
          : err.code === "wrong_phase"
            ? `Game ${code} has ended. Ask the facilitator for the new code.`
            : err.message;
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
    delete ui.refused[card];
    paint();
    try {
      await net.command("set_card", { card, decision });
    } catch (err) {
      // No room: the reason stays on the card itself, where the thumb is; anything else is a toast.
      if (err.code === "no_room") ui.refused[card] = { text: err.message, over: noRoomOf(card) };
      else toast(err.message, true);
    } finally {
      delete ui.pending[card];
      paint();
    }
  },
  // Lock and Unlock swap places: the second click of a double-click was meant for the first button.
  lock: (_el, ev) => ev.detail > 1 || send("lock"),
  unlock: (_el, ev) => ev.detail > 1 || send("unlock"),
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
  joinIds[key] ||= `join-${commandId()}`;
  return joinIds[key];
}

function fail(message, input) {
  ui.error = message;
  paint();
  if (input) input.focus();
}

function send(type, fields) {
  return commandSender({ ui, net, paint, toast })(type, fields);
}

// -- the debrief, loaded only when the game ends ----------------------------------------------------------
function loadDebrief() {
  return fetchDebrief({ ui, net, actions, paint, toast }, (mod, data) => ({ render: mod.phoneDebrief, data }));
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

const SCREENS = {
  lobby: (v) => lobbyScreen(v, ui),
  round_open: (v) => roundScreen(v, ui),
  round_closed: (v) => closedScreen(v),
  revealed: (v) => resultScreen(v),
  debrief: (v) => (ui.debrief ? ui.debrief.render(ui.debrief.data, v) : debriefPending(ui, "Loading your debrief…")),
};

function screenFor(v) {
  return phaseScreen(v, SCREENS, () => waitScreen("…"));
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
      ui.mode === "resuming" ? waitScreen("Rejoining your team…") : ui.mode === "removed" ? removedScreen() : joinScreen(ui);
    tree = [brand("header", "brandbar"), h("main", { id: "main", class: "screen", tabindex: "-1" }, inner)];
  }
  render(app, tree);
  tickClocks(store);
  keepAwake(Boolean(v && ui.mode === "seat" && v.phase === "round_open"));
}

Object.assign(actions, causeActions(() => paint()));
Object.assign(actions, reasonActions({ command: (type, fields) => net.command(type, fields), paint: () => paint(), toast, ui }));
// The reveal reaches a team's room without each figure's causes (they would double a big room's
// reveal): the first tap on a figure fetches this phone's own view, which has them.
const openCauses = actions.causes;
actions.causes = async (el) => {
  const o = store.view && store.view.team && store.view.team.outcome;
  if (o && !o.causes && store.view.phase === "revealed") await sync();
  openCauses(el);
};
delegate(app, actions);
store.subscribe(paint);
setInterval(() => tickClocks(store), 250);
if (ui.code) save("curb:last", ui.code);
paint();
