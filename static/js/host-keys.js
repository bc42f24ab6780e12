// The facilitator's keyboard: the common actions without the mouse (press ? on the screen for the list).
import { turnPager } from "./pager.js";

// ← → (and a presentation clicker's Page Up / Page Down) step through what is shown a part at a time.
const TURN = { ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1 };

export function installKeys({ ui, store, actions, primary, closeDialog }) {
  document.addEventListener("keydown", (ev) => onKey(ev, { ui, store, actions, primary, closeDialog }));
}

const SECTIONS = ["value", "trace", "whatif", "charts", "signals", "liabilities", "strategies", "discuss", "cards"];

function onKey(ev, { ui, store, actions, primary, closeDialog }) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === "Escape" && ui.dialog) {
    ev.preventDefault();
    return closeDialog();
  }
  const t = ev.target;
  const typing = t.closest && t.closest("input, textarea, select, [contenteditable]");
  if (typing) return;
  const v = store.view;
  if (ui.dialog === "confirm" && ev.key === "Enter") {
    ev.preventDefault();
    return actions.yes();
  }
  if (TURN[ev.key]) {
    const scope = ui.dialog ? document.querySelector(".overlay .dialog") : document.querySelector(".db-sec.on") || document.getElementById("main");
    if (turnPager(scope, TURN[ev.key])) ev.preventDefault();
    return;
  }
  if (ui.dialog && ev.key !== "?") return;
  if (!v) return;
  const onButton = t.closest && t.closest("button, a, summary");
  const k = ev.key;
  if (k === " " && !onButton) {
    ev.preventDefault();
    return primary(null, ev);
  }
  const map = {
    p: () => v.phase === "round_open" && v.timer.status === "running" && actions.pause(),
    r: () => v.phase === "round_open" && v.timer.status === "paused" && actions.resume(),
    "+": () => v.phase === "round_open" && actions.extend(),
    e: () => v.phase === "round_open" && actions.extend(),
    k: () => v.phase === "round_open" && v.timer.closing_at_ms != null && actions.keepOpen(),
    m: () => v.phase !== "debrief" && actions.people(),
    j: () => actions.join(),
    f: () => actions.fullscreen(),
    ...Object.fromEntries(
      SECTIONS.map((id, i) => [
        String(i + 1),
        () => {
          const sec = v.phase === "debrief" && document.getElementById(`sec-${id}`);
          if (!sec) return;
          history.replaceState(null, "", `#sec-${id}`); // the address names the section, as a click does
          window.dispatchEvent(new HashChangeEvent("hashchange")); // which shows it (host.js)
        },
      ]),
    ),
    "?": () => (ui.dialog === "help" ? closeDialog() : actions.help()),
  };
  const fn = map[k.toLowerCase()] || map[k];
  if (fn) {
    ev.preventDefault();
    fn();
  }
}
