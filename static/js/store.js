// The latest view from the server, and the compact deltas that update it. Nothing here decides
// an outcome: it only keeps what the server said, newest revision wins.

export function createStore() {
  let view = null;
  // The server's clock, anchored to our monotonic clock when a timer arrived: the countdown
  // never trusts the phone's wall clock (which may be minutes off, or jump).
  let anchor = { server: Date.now(), local: performance.now() };
  const subs = new Set();
  const notify = () => subs.forEach((fn) => fn(view));

  function learnClock(timer) {
    if (timer && typeof timer.server_now_ms === "number") anchor = { server: timer.server_now_ms, local: performance.now() };
  }

  return {
    get view() {
      return view;
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    /** A full view: taken unless it is older than what we show (for the same room). */
    set(next) {
      if (!next) return;
      if (view && next.code === view.code && next.view === view.view && next.rev < view.rev) return;
      learnClock(next.timer);
      view = next;
      notify();
    },
    clear() {
      view = null;
      notify();
    },
    /** A delta with a rev: applied with fn(view) when it is newer than the view. */
    patch(rev, fn) {
      if (!view || (typeof rev === "number" && rev < view.rev)) return false;
      fn(view);
      if (typeof rev === "number") view.rev = rev;
      notify();
      return true;
    },
    learnClock,
    /** The server's now: its last word plus the time our monotonic clock says has passed since. */
    serverNow() {
      return anchor.server + (performance.now() - anchor.local);
    },
  };
}

/** Milliseconds left on a timer view, by the server's clock; null when there is no clock. */
export function remainingMs(timer, serverNow) {
  if (!timer) return null;
  if (timer.status === "running" && typeof timer.ends_at_ms === "number") {
    return Math.max(0, timer.ends_at_ms - serverNow);
  }
  if (timer.status === "paused") return timer.remaining_ms;
  return null;
}

export function clockText(ms) {
  if (ms === null || ms === undefined) return "";
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return `${m}:${String(sec).padStart(2, "0")}`;
}
