// Keep the phone's screen awake during a round, where the browser allows it.
let lock = null;
let wanted = false;

export async function keepAwake(want) {
  wanted = want;
  if (!("wakeLock" in navigator)) return;
  try {
    if (want && !lock && document.visibilityState === "visible") {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => (lock = null));
    } else if (!want && lock) {
      const held = lock;
      lock = null;
      await held.release();
    }
  } catch {
    lock = null; // battery saver or no permission: the round still works
  }
}

// The browser drops the lock when the page is hidden; take it again on return.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && wanted) keepAwake(true);
});
