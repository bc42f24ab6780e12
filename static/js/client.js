// What the projector and the phone both do, in one place: a command with the busy flag, the
// debrief loaded only when the game ends (and its waiting or error block), a screen per phase,
// and the clocks. Each page keeps only what is its own.
import { h } from "./dom.js";
import { remainingMs, clockText } from "./store.js";

/**
 * A command sender for a page: marks the page busy while the server answers, says a refusal in a
 * toast, and answers whether the command was accepted.
 * @param {{ui: {busy: boolean}, net: {command: Function}, paint: () => void, toast: (text: string, bad?: boolean) => void}} page
 * @returns {(type: string, fields?: object, okText?: string) => Promise<boolean>}
 */
export function commandSender({ ui, net, paint, toast }) {
  return async (type, fields = {}, okText = "") => {
    ui.busy = true;
    paint();
    try {
      await net.command(type, fields);
      if (okText) toast(okText);
      return true;
    } catch (err) {
      toast(err.message, true);
      return false;
    } finally {
      ui.busy = false;
      paint();
    }
  };
}

/**
 * Load the debrief module and this screen's debrief; ``pick(module, data)`` says what the page keeps.
 * The debrief's own actions (tracing, what-if) join the page's delegated handlers.
 * @param {{ui: any, net: {request: Function}, actions: object, paint: () => void, toast: Function}} page
 * @param {(mod: any, data: any) => any} pick
 */
export async function loadDebrief({ ui, net, actions, paint, toast }, pick) {
  try {
    const [mod, ack] = await Promise.all([import("./debrief.js"), net.request("debrief")]);
    ui.debrief = pick(mod, ack.debrief);
    ui.debriefError = "";
    Object.assign(actions, mod.debriefActions({ request: (name, body) => net.request(name, body), paint: () => paint(), toast }));
  } catch (err) {
    ui.debriefError = err.message || "The debrief could not be loaded.";
  }
  paint();
}

/** While the debrief loads: a spinner with ``text``; if it could not be loaded, why, and Try again. */
export function debriefPending(ui, text) {
  if (ui.debriefError)
    return h(
      "section",
      { class: "center-note" },
      h("p", { class: "error" }, ui.debriefError),
      h("button", { class: "btn", type: "button", dataset: { action: "retryDebrief" } }, "Try again"),
    );
  return h("section", { class: "center-note" }, h("div", { class: "spinner", "aria-hidden": "true" }), h("p", null, text));
}

/**
 * The screen for the view's phase, from a page's table of screens (a phase it lacks gets ``otherwise``).
 * @param {{phase: string}} v
 * @param {Object<string, (v: any) => any>} screens
 * @param {() => any} otherwise
 */
export function phaseScreen(v, screens, otherwise) {
  const screen = screens[v.phase];
  return screen ? screen(v) : otherwise();
}

/** Update every [data-clock] and [data-closing] from the view's timer, by the server's clock. */
export function tickClocks(store) {
  const v = store.view;
  const ms = v && v.timer ? remainingMs(v.timer, store.serverNow()) : null;
  for (const el of document.querySelectorAll("[data-clock]")) {
    const text = ms === null ? "" : (v.timer.status === "paused" ? "Paused " : "") + clockText(ms);
    if (el.textContent !== text) el.textContent = text;
    const box = el.closest(".tb-clock, .clock");
    if (box) box.classList.toggle("low", ms !== null && ms <= 30000 && v.timer.status === "running");
  }
  const closing = v && v.timer && v.timer.closing_at_ms != null ? Math.max(0, v.timer.closing_at_ms - store.serverNow()) : null;
  for (const el of document.querySelectorAll("[data-closing]")) {
    const text = closing === null ? "" : `${Math.ceil(closing / 1000)} s`;
    if (el.textContent !== text) el.textContent = text;
  }
}
