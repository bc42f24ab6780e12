// The projector fits: from the lobby to the debrief each screen is exactly the viewport. When a
// screen's content is taller than its room, denser layouts step in one at a time (data-fit="1"…),
// each written in host.css so no text goes below a size the back of the room can read. Toasts sit
// in the action bar's empty middle, where they cover neither a heading, a button nor an overlay.

/** The phases drawn as one screen without scrolling (the start page and key form scroll as pages). */
export const FIT_PHASES = new Set(["lobby", "round_open", "round_closed", "revealed", "debrief"]);
const MAX_LEVEL = 4;

const state = { main: { key: "", level: 0 }, dialog: { key: "", level: 0 } };

/** The density level a box was last fitted at, to render it with (so a repaint keeps it). */
export function fitLevel(which) {
  return String(state[which].level);
}

function overflows(el) {
  return el.scrollHeight > el.clientHeight + 1;
}

function fitBox(el, which, key) {
  const s = state[which];
  if (!el) {
    s.key = "";
    s.level = 0;
    return;
  }
  // A new screen (or a new size) starts from the roomiest layout; the same screen only gets denser
  // as it fills (a lobby filling up), so repaints never flicker between two levels.
  if (s.key !== key) {
    s.key = key;
    s.level = 0;
  }
  el.dataset.fit = String(s.level);
  while (s.level < MAX_LEVEL && overflows(el)) {
    s.level += 1;
    el.dataset.fit = String(s.level);
  }
}

let settle = 0;

// Content that grows after the paint (a font arriving, a chart drawn, a clock's text) refits at
// once, not only at the 300 ms look: what is watched is the fitted boxes' children.
const watched = { main: null, dialog: null };
const grows = new ResizeObserver(() => {
  for (const which of ["main", "dialog"]) {
    const el = watched[which];
    if (el && el.isConnected) fitBox(el, which, state[which].key);
  }
});

/** Watch the boxes just fitted (a paint may have replaced their children). */
function watch(main, dialog) {
  watched.main = main;
  watched.dialog = dialog;
  grows.disconnect();
  for (const box of [main, dialog]) if (box) for (const child of box.children) grows.observe(child);
}

/** After a paint: fit the screen and an open dialog. ``key`` names what is on screen. */
export function fit(app, phase, key) {
  const size = `${innerWidth}x${innerHeight}`;
  const main = FIT_PHASES.has(phase) ? app.querySelector("main.hmain") : null;
  const dialog = app.querySelector(".overlay .dialog");
  fitBox(main, "main", `${key}|${size}`);
  fitBox(dialog, "dialog", `${dialog ? dialog.className : ""}|${size}`);
  watch(main, dialog);
  // Some layout lands a moment later (a new window size reaching the fonts, a chart drawn, a picture
  // loaded): look once more when things have settled, and only ever get denser then.
  // body[data-fitted] says it has (the browser tests wait for it).
  clearTimeout(settle);
  delete document.body.dataset.fitted;
  settle = setTimeout(() => {
    if (main && main.isConnected) fitBox(main, "main", state.main.key);
    if (dialog && dialog.isConnected) fitBox(dialog, "dialog", state.dialog.key);
    document.body.dataset.fitted = "";
  }, 300);
}

/**
 * Put the toast in the action bar's free middle (.ab-slot) when there is one wide enough; otherwise
 * it keeps to the bottom-right corner. Called after every paint and whenever a toast shows.
 */
export function placeToast(app, toast) {
  const slot = app.querySelector(".ab-slot");
  const r = slot ? slot.getBoundingClientRect() : null;
  const inSlot = r && r.width >= 200;
  toast.classList.toggle("in-slot", Boolean(inSlot));
  if (inSlot) {
    toast.style.setProperty("--slot-left", `${Math.round(r.left)}px`);
    toast.style.setProperty("--slot-width", `${Math.floor(r.width)}px`);
    toast.style.setProperty("--slot-mid", `${Math.round(innerHeight - (r.top + r.bottom) / 2)}px`);
  }
}
