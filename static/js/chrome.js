// What every screen shares: remembered values, the connection banner, toasts, the brand.
import { h } from "./dom.js";
import { statusText } from "./net.js";

export function saved(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}

export function save(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    /* private mode: nothing survives a reload, the game still works */
  }
}

/** Show connection trouble in words, but not for a blip: only when it lasts. */
export function statusBanner(el) {
  let timer = 0;
  return (status) => {
    clearTimeout(timer);
    el.textContent = statusText(status);
    el.classList.toggle("ok", status === "online");
    if (status === "online") {
      if (el.classList.contains("show")) timer = setTimeout(() => el.classList.remove("show"), 1200);
    } else timer = setTimeout(() => el.classList.add("show"), status === "connecting" ? 1500 : 600);
  };
}

/** toast(text, bad?) in the page's live region. */
export function toaster(el, ms = 3200) {
  let timer = 0;
  return (text, bad = false) => {
    el.textContent = text;
    el.classList.toggle("bad", bad);
    el.classList.add("show");
    clearTimeout(timer);
    timer = setTimeout(() => el.classList.remove("show"), ms);
  };
}

/** The brand from the page's template (one copy of the logo markup, in the HTML). */
export function brand(tag, cls) {
  const tpl = /** @type {HTMLTemplateElement | null} */ (document.getElementById("brand-tpl"));
  return h(tag, { class: cls }, tpl ? tpl.content.cloneNode(true) : "Curb Appeal");
}
