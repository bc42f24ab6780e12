// The facilitator's screen: start page, then lobby, rounds, reveals and the debrief on the projector.
import { served } from "./served.js";
import { h, render, delegate } from "./dom.js";
import { connect } from "./net.js";
import { createStore } from "./store.js";
import { saved, save, statusBanner, toaster } from "./chrome.js";
import { startScreen, randomSeed, OWN, MAX_OWN_BYTES } from "./host-start.js";
import { lobbyScreen, roundScreen, closedScreen, revealScreen, counts } from "./host-screens.js";
import { topbar, actionbar, keyScreen, dialogs } from "./host-chrome.js";
import { installKeys } from "./host-keys.js";
import { commandSender, loadDebrief as fetchDebrief, debriefPending, phaseScreen, tickClocks } from "./client.js";
import { causeActions, resetCauses } from "./causes.js";
import { hideActions } from "./reasons.js";
import { fit, fitLevel, placeToast } from "./host-fit.js";
import { pagerActions } from "./pager.js";

const app = document.getElementById("app");
const store = createStore();
const SECRET = (code) => `curb:host:${code}`;
const ui = {
  code: (document.body.dataset.code || "").toUpperCase(),
  links: null,
  busy: false,
  error: "",
  needKey: false,
  start: { scenarios: [], seed: randomSeed(), busy: false, error: "" },
  before: {}, // round index -> team id -> figures before that round (for the reveal's changes)
  dialog: "", // people | help | join | confirm
  confirm: null, // {title, text, yes, action}
  moving: {}, // seat -> team chosen in the people dialog
  removing: "",
  debrief: null,
  debriefError: "",
  showFinal: false, // after the last reveal: the final results (company value) instead of the round's
};

// A link with #key=... carries the facilitator secret to another device without sending it anywhere.
(function takeKeyFromFragment() {
  const m = /[#&]key=([^&]+)/.exec(location.hash);
  if (m && ui.code) {
    save(SECRET(ui.code), decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname);
  }
})();

const toastEl = document.getElementById("toast");
const showToast = toaster(toastEl, 3000);
function toast(text, bad = false) {
  placeToast(app, toastEl);
  showToast(text, bad);
}

const net = connect({
  onStatus: statusBanner(document.getElementById("conn")),
  onConnect: () => attach(),
  on: {
    "host:view": (v) => takeView(v),
    "host:team": (d) =>
      store.patch(d.rev, (view) => {
        const i = view.teams.findIndex((t) => t.id === d.team.id);
        if (i >= 0) view.teams[i] = d.team;
        else view.teams.push(d.team);
        rememberBefore(view);
      }),
    timer: (d) => {
      store.learnClock(d);
      store.patch(d.rev, (view) => {
        const { rev, ...timer } = d;
        view.timer = timer;
      });
    },
  },
});

function takeView(v) {
  if (!v || v.view !== "host") return;
  const old = store.view;
  if (old && old.phase !== v.phase) {
    ui.dialog = ui.dialog === "confirm" ? "" : ui.dialog;
    if (v.phase !== "debrief") ui.debrief = null;
    ui.showFinal = false;
    resetCauses();
  }
  rememberBefore(v);
  store.set(v);
  if (old && (old.phase !== v.phase || old.round.number !== v.round.number)) {
    window.scrollTo({ top: 0 }); // a new screen starts at its top: the room code, the round, the clock
    document.getElementById("main")?.scrollTo({ top: 0 });
  }
  if (v.phase === "debrief" && !ui.debrief) loadDebrief();
}

/** While a round is open or closed (not yet revealed), each team's figures are its "before". */
function rememberBefore(v) {
  if (v.phase !== "round_open" && v.phase !== "round_closed") return;
  ui.before[v.round.index] = Object.fromEntries(v.teams.map((t) => [t.id, t.figures]));
  try {
    sessionStorage.setItem(`curb:before:${v.code}`, JSON.stringify(ui.before));
  } catch {
    /* fine: the reveal shows figures without changes */
  }
}

async function attach() {
  if (!ui.code) return loadScenarios();
  const secret = saved(SECRET(ui.code));
  if (!secret) {
    ui.needKey = true;
    return paint();
  }
  try {
    ui.before = JSON.parse(sessionStorage.getItem(`curb:before:${ui.code}`) || "{}");
  } catch {
    ui.before = {};
  }
  try {
    const ack = await net.request("host:attach", { code: ui.code, secret });
    ui.links = ack.links;
    ui.needKey = false;
    takeView(ack.view);
  } catch (err) {
    if (err.code === "timeout") return;
    ui.needKey = err.code === "unauthorized";
    ui.error = err.code === "unauthorized" ? "This browser does not have the facilitator key for this room." : err.message;
    paint();
  }
}

async function loadScenarios() {
  if (ui.start.scenarios.length) return paint();
  try {
    const res = await fetch(served("/api/scenarios"));
    const data = await res.json();
    ui.start.scenarios = data.scenarios || [];
    ui.start.uploads = data.uploads !== false;
  } catch {
    ui.start.loadError = "Could not load the scenarios. Is the server running?";
  }
  paint();
}

// -- actions ---------------------------------------------------------------------------------------------------
function command(type, fields = {}, okText = "") {
  return commandSender({ ui, net, paint, toast })(type, fields, okText);
}

/**
 * A facilitator step names the round this screen showed, so a double press, a second screen or
 * the clock getting there first is answered as a duplicate, and a screen that fell behind cannot
 * close the next round by mistake.
 */
function step(type, fields = {}, okText = "") {
  const v = store.view;
  return command(type, { ...fields, round: v ? v.round.index : -1 }, okText).then((ok) => {
    if (!ok) sync();
    return ok;
  });
}

async function sync() {
  try {
    const ack = await net.request("sync");
    takeView(ack.view);
  } catch {
    /* the next reconnect attaches again */
  }
}

let pressedAt = ""; // the phase and round the big button was last pressed in
function primary(_el, ev) {
  const v = store.view;
  if (!v) return;
  // The big button changes meaning in place ("Reveal results" becomes "Start round 2"): the second
  // click of a double-click, or a held-down Space, was meant for the old step.
  if (ev && ((ev.type === "click" && ev.detail > 1) || (ev.type === "keydown" && ev.repeat))) return;
  // A second press while the first is on its way is dropped, unless the screen has already moved
  // on (the new view can arrive before the acknowledgement).
  const here = `${v.phase}:${v.round.index}`;
  if (ui.busy && pressedAt === here) return;
  pressedAt = here;
  if (v.phase === "lobby") command("start");
  else if (v.phase === "round_open") closeRound();
  else if (v.phase === "round_closed") step("reveal");
  else if (v.phase === "revealed") step("next");
}

function closeRound() {
  const v = store.view;
  const n = counts(v);
  if (n.locked < n.teams && v.timer.status !== "off") {
    ask({
      title: "Close the round now?",
      text: `${n.teams - n.locked} of ${n.teams} ${n.teams === 1 ? "team" : "teams"} ${n.teams - n.locked === 1 ? "has" : "have"} not locked. Their plans are taken as they stand; undecided cards count as Defer.`,
      yes: "Close round",
      run: () => step("close"),
    });
  } else step("close");
}

function ask(confirm) {
  opener = document.activeElement;
  ui.confirm = confirm;
  ui.dialog = "confirm";
  paint();
}

const actions = {
  async create(form) {
    const st = ui.start;
    const f = form.elements;
    const seed = Number(f.seed.value);
    st.error = "";
    if (!Number.isInteger(seed) || seed < 0) {
      st.error = "The seed must be a whole number, 0 or more.";
      return paint();
    }
    st.busy = true;
    paint();
    try {
      const own = f.scenario.value === OWN;
      const payload = {
        ...(own ? { scenario_yaml: st.ownText, scenario_file: st.ownFile } : { scenario: f.scenario.value }),
        teams: Number(f.teams.value),
        round_seconds: Number(f.round_seconds.value),
        seed,
      };
      const ack = await net.request("host:create", payload);
      save(SECRET(ack.code), ack.secret);
      const title = own ? st.own.title : (st.scenarios.find((s) => s.name === /** @type {{scenario?: string}} */ (payload).scenario) || {}).title || "";
      save(`curb:hostmeta:${ack.code}`, JSON.stringify({ code: ack.code, title, at: Date.now() }));
      ui.code = ack.code;
      ui.links = ack.links;
      document.body.dataset.code = ack.code;
      history.pushState(null, "", served(`/host/${ack.code}`));
      takeView(ack.view);
    } catch (err) {
      st.error = err.message;
    } finally {
      st.busy = false;
      paint();
    }
  },
  pick(el) {
    ui.start.scenario = el.value;
    paint();
  },
  async ownFile(el) {
    const st = ui.start;
    const file = el.files && el.files[0];
    if (!file) return;
    Object.assign(st, { own: null, ownFile: file.name, ownText: "", ownError: "", ownProblems: [], error: "" });
    if (file.size > MAX_OWN_BYTES) {
      st.ownError = `${file.name} is too big for a scenario (${Math.ceil(file.size / 1024)} KB; at most ${MAX_OWN_BYTES / 1024} KB).`;
      return paint();
    }
    st.ownChecking = true;
    paint();
    try {
      st.ownText = await file.text();
      const ack = await net.request("scenario:check", { scenario_yaml: st.ownText, scenario_file: file.name });
      st.own = ack.scenario;
    } catch (err) {
      st.ownError = err.message || "The file could not be read.";
      st.ownProblems = err.problems || [];
    } finally {
      st.ownChecking = false;
      paint();
      const shown = app.querySelector(".own-file");
      if (shown) shown.scrollIntoView({ block: "nearest" }); // the verdict, or the list of problems
    }
  },
  key(form) {
    const secret = form.elements.secret.value.trim();
    if (!secret) return;
    save(SECRET(ui.code), secret);
    ui.error = "";
    attach();
  },
  primary,
  configure(el) {
    const form = el.form || el;
    const fields = {
      round_seconds: Number(form.elements.round_seconds.value),
      close_when_locked: form.elements.close_when_locked.checked ? 5 : 0,
      reveal_on_close: form.elements.reveal_on_close.checked,
    };
    const seed = Number(form.elements.seed.value);
    if (Number.isInteger(seed) && seed >= 0) fields.seed = seed;
    form.elements.seed.dataset.dirty = "";
    command("configure", fields, "Settings saved");
  },
  addBot(el) {
    const strategy = el.value;
    el.value = "";
    if (strategy) command("add_bot", { strategy }, `Bot team added (${strategy})`);
  },
  pause: () => step("pause"),
  resume: () => step("resume"),
  extend: () => step("extend", { seconds: 60 }, "One more minute"),
  close: closeRound,
  keepOpen: () => step("keep_open", {}, "Kept open: close the round when the room is ready"),
  reveal: () => step("reveal"),
  next: () => step("next"),
  end() {
    ask({
      title: "End the game now?",
      text: "Every team goes to the debrief. Rounds not played yet are skipped; this cannot be undone.",
      yes: "End game",
      run: () => step("end"),
    });
  },
  people: () => openDialog("people"),
  nextGame() {
    ui.error = "";
    if (!ui.start.scenarios.length) loadScenarios(); // for the choice of another scenario
    openDialog("next");
  },
  async playAgain(form) {
    const scenario = form.elements.scenario.value;
    const secret = saved(SECRET(ui.code));
    ui.busy = true;
    paint();
    try {
      const ack = await net.request("host:next_game", scenario ? { scenario } : {});
      save(SECRET(ack.code), secret); // the same key opens the next game
      save(`curb:hostmeta:${ack.code}`, JSON.stringify({ code: ack.code, title: ack.view.scenario.title, at: Date.now() }));
      closeDialog();
      ui.code = ack.code;
      ui.links = ack.links;
      ui.debrief = null;
      ui.before = {};
      document.body.dataset.code = ack.code;
      history.pushState(null, "", served(`/host/${ack.code}`));
      takeView(ack.view);
      toast("Everyone is moving to the new lobby");
    } catch (err) {
      ui.error = err.message;
    } finally {
      ui.busy = false;
      paint();
    }
  },
  help: () => openDialog("help"),
  join: () => openDialog("join"),
  dismiss: () => closeDialog(),
  yes() {
    const c = ui.confirm;
    closeDialog();
    if (c) c.run();
  },
  move(el) {
    ui.moving[el.dataset.seat] = el.value;
    if (el.value) command("move_player", { seat: el.dataset.seat, team: el.value }, "Player moved");
  },
  remove(el) {
    const seat = el.dataset.seat;
    if (ui.removing !== seat) {
      ui.removing = seat;
      return paint();
    }
    ui.removing = "";
    command("remove_player", { seat }, "Player removed");
  },
  joining(el) {
    const open = el.dataset.open === "1";
    command("set_joining", { open }, open ? "New players can join again" : "Closed to new players");
  },
  async renameTeam(form) {
    const input = form.elements.name;
    const name = input.value.trim();
    if (!name) return;
    input.dataset.dirty = "";
    await command("rename_team", { team: form.dataset.team, name }, "Team renamed");
  },
  fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  },
  retryDebrief() {
    ui.debriefError = "";
    loadDebrief();
  },
  toggleRefs(el) {
    ui.debrief.option("refs", el.checked);
    paint();
  },
  async copyKeyLink() {
    const link = `${location.origin}${served(`/host/${ui.code}`)}#key=${encodeURIComponent(saved(SECRET(ui.code)))}`;
    try {
      await navigator.clipboard.writeText(link);
      toast("Facilitator link copied");
    } catch {
      ui.keyLink = link; // no clipboard over plain http: show it, selected, for copying by hand
      paint();
      const input = /** @type {HTMLInputElement | null} */ (app.querySelector(".move-room input"));
      if (input) input.select();
    }
  },
  finalResults() {
    ui.showFinal = !ui.showFinal;
    resetCauses();
    paint();
  },
  exportCsv: () => download("csv"),
  exportJson: () => download("json"),
  print: () => window.print(),
};

/** Fetch an export with the facilitator's key (a header, never in the URL), then save it as a file. */
async function download(kind) {
  const code = ui.code;
  try {
    const res = await fetch(served(`/api/sessions/${code}/export.${kind}`), { headers: { "X-Curb-Secret": saved(SECRET(code)) } });
    if (!res.ok) throw new Error(res.status === 403 ? "This browser lacks the facilitator key." : `Export failed (${res.status}).`);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `curb-appeal-${code}.${kind}` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    toast(`Saved curb-appeal-${code}.${kind}`);
  } catch (err) {
    toast(err.message, true);
  }
}

let opener = null; // where focus goes back to when an overlay closes
function openDialog(name) {
  opener = document.activeElement;
  ui.keyLink = "";
  ui.dialog = name;
  ui.removing = "";
  paint();
}

function closeDialog() {
  ui.dialog = "";
  ui.confirm = null;
  paint();
}

// -- debrief (loaded only at the end) ---------------------------------------------------------------------------
function loadDebrief() {
  // a reload or a shared link with #sec-… shows that section (debriefSection reads the address)
  return fetchDebrief({ ui, net, actions, paint, toast }, (mod, data) => ({
    render: mod.hostDebrief,
    option: mod.setDebriefOption,
    data,
    actionbar: mod.debriefActionbar,
    section: mod.debriefSection,
  }));
}

/** After the facilitator hides or shows a reason: the debrief is asked for, not pushed. */
async function reloadDebrief() {
  if (!ui.debrief) return;
  try {
    ui.debrief.data = (await net.request("debrief")).debrief;
  } catch (err) {
    toast(err.message, true);
  }
  paint();
}

// -- rendering -------------------------------------------------------------------------------------------------------
const SCREENS = {
  lobby: (v) => lobbyScreen(v, ui),
  round_open: (v) => roundScreen(v),
  round_closed: (v) => closedScreen(v),
  revealed: (v) => revealScreen(v, ui),
  debrief: (v) =>
    ui.debrief
      ? [
          v.next_code
            ? h("p", { class: "went-on no-print", role: "status" }, "These teams went on to ", h("a", { href: served(`/host/${v.next_code}`) }, `game ${v.next_code}`), ".")
            : null,
          ui.debrief.render(ui.debrief.data),
        ]
      : debriefPending(ui, "Preparing the debrief…"),
};

function screen(v) {
  return phaseScreen(v, SCREENS, () => null);
}

let lastDialog = "";
function paint() {
  const v = ui.code ? store.view : null;
  document.body.dataset.phase = v ? v.phase : ui.code ? "attach" : "start";
  let main;
  if (!ui.code) main = startScreen(ui.start);
  else if (ui.needKey) main = keyScreen(ui);
  else if (!v) main = h("div", { class: "center-note" }, h("div", { class: "spinner" }), h("p", null, "Opening the room…"));
  else main = screen(v);
  const inert = ui.dialog ? true : null;
  const bar = v ? (v.phase === "debrief" && ui.debrief ? ui.debrief.actionbar() : actionbar(v, ui)) : null;
  if (bar && inert) bar.setAttribute("inert", "");
  const top = topbar(v);
  if (inert) top.setAttribute("inert", "");
  render(app, [
    top,
    h("main", { id: "main", class: `hmain ${v ? v.phase : "start"}`, tabindex: "-1", inert, "data-fit": fitLevel("main") }, main),
    bar,
    dialogs(v, ui),
  ]);
  tickClocks(store);
  const screenKey = v ? `${v.phase}|${v.round.index}|${ui.showFinal}|${ui.debrief ? ui.debrief.section() : ""}|${v.teams.length}` : "";
  fit(app, ui.code && !ui.needKey && v ? v.phase : "start", screenKey);
  placeToast(app, toastEl);
  if (ui.dialog !== lastDialog) {
    lastDialog = ui.dialog;
    const first = /** @type {HTMLElement | null} */ (app.querySelector(".dialog [data-autofocus]"));
    if (first) first.focus();
    else if (!ui.dialog && opener && opener.isConnected) opener.focus();
  }
}

Object.assign(actions, causeActions(() => paint()));
Object.assign(actions, hideActions({ command, refresh: reloadDebrief }));
Object.assign(actions, pagerActions(() => paint()));
delegate(app, actions);
installKeys({ ui, store, actions, primary, closeDialog });
store.subscribe(paint);
setInterval(() => tickClocks(store), 250);
// A new window size fits the screen again, at most one paint a frame. The page's own box is watched, not
// only the window's resize event: that can fire before the new height has reached the layout.
let resizing = 0;
const refit = () => {
  cancelAnimationFrame(resizing);
  resizing = requestAnimationFrame(() => paint());
};
window.addEventListener("resize", refit);
new ResizeObserver(refit).observe(app);
// Back and forward between rooms reload the page; a section link in the debrief (#sec-…) only
// moves within it (Chrome fires popstate for a fragment too, and a reload lost the place).
const shownPath = location.pathname;
window.addEventListener("hashchange", () => {
  paint(); // a debrief tab, key or link shows its section, from its top
  document.getElementById("main")?.scrollTo({ top: 0 });
});
window.addEventListener("popstate", () => {
  if (location.pathname !== shownPath || /[#&]key=/.test(location.hash)) location.reload(); // a key link opens the room
});
paint();
