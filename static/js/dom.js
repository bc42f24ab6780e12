// DOM helpers: build elements with h() (text is always text, never HTML), patch a live tree
// with morph() so re-rendering keeps focus, scroll and CSS transitions, and small formatters.

/** h("button", {class: "big", dataset: {action: "lock"}}, "Lock") -> an element. */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : v;
      else if (k === "dataset") {
        for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = dv;
      } else if (k === "style") el.style.cssText = v; // CSSOM, which a strict style-src allows
      else if (k === "value") {
        el.value = v;
        el.setAttribute("value", v);
      } else if (k === "checked" || k === "selected") {
        el[k] = true;
        el.setAttribute(k, "");
      } else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  add(el, kids);
  return el;
}

function add(el, kids) {
  for (const kid of kids) {
    if (kid === null || kid === undefined || kid === false || kid === "") continue;
    if (Array.isArray(kid)) add(el, kid);
    else if (kid instanceof Node) el.appendChild(kid);
    else el.appendChild(document.createTextNode(String(kid)));
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element (for small icons and meters). */
export function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const kid of kids.flat()) if (kid) el.appendChild(kid instanceof Node ? kid : document.createTextNode(kid));
  return el;
}

// -- morph: make `from` look like `to`, reusing nodes --------------------------------------------

function keyOf(n) {
  return n.nodeType === 1 ? n.getAttribute("data-key") : null;
}

function same(a, b) {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType !== 1) return true;
  return a.nodeName === b.nodeName && keyOf(a) === keyOf(b);
}

function syncAttrs(from, to) {
  for (const { name } of [...from.attributes]) {
    if (to.hasAttribute(name) || name === "data-dirty") continue;
    if (name === "open" && from.nodeName === "DETAILS") continue; // the person opened it
    from.removeAttribute(name);
  }
  for (const { name, value } of [...to.attributes]) {
    if (from.getAttribute(name) === value) continue;
    if (name === "style") from.style.cssText = to.style.cssText;
    else from.setAttribute(name, value);
  }
}

function syncForm(from, to) {
  const tag = from.nodeName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
    // Never overwrite what a person is typing.
    if (document.activeElement !== from && from.dataset.dirty !== "1") {
      if (from.type === "checkbox" || from.type === "radio") from.checked = to.checked;
      else if (from.value !== to.value) from.value = to.value;
    }
  }
}

/** Patch `from` (live) to match `to` (fresh). Elements marked data-keep keep their children. */
export function morph(from, to) {
  if (from.nodeType !== 1) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
    return;
  }
  syncAttrs(from, to);
  syncForm(from, to);
  if (from.hasAttribute("data-keep")) return;
  morphChildren(from, to);
}

function morphChildren(from, to) {
  const fresh = [...to.childNodes];
  const keyed = new Map();
  for (const n of from.childNodes) {
    const k = keyOf(n);
    if (k) keyed.set(k, n);
  }
  let i = 0;
  for (const n of fresh) {
    let cur = from.childNodes[i] || null;
    const k = keyOf(n);
    if (k && keyed.has(k)) {
      const match = keyed.get(k);
      keyed.delete(k);
      if (match !== cur) from.insertBefore(match, cur);
      cur = match;
    }
    if (!cur) from.appendChild(n);
    else if (same(cur, n)) morph(cur, n);
    else if (keyOf(cur)) from.insertBefore(n, cur);
    else from.replaceChild(n, cur);
    i++;
  }
  while (from.childNodes.length > i) from.removeChild(from.lastChild);
}

/** Render `tree` into `root` (patching what is there). */
export function render(root, tree) {
  const wrap = root.cloneNode(false);
  add(wrap, [tree]);
  morphChildren(root, wrap);
}

// -- events: one delegated listener per root, controls carry data-action ---------------------------

/** Call handlers[action](el, event) for clicks on [data-action] and submits of form[data-action]. */
export function delegate(root, handlers) {
  root.addEventListener("click", (ev) => {
    const el = ev.target.closest("[data-action]");
    if (!el || !root.contains(el) || el.tagName === "FORM") return;
    if (el.disabled || el.getAttribute("aria-disabled") === "true") return;
    const fn = handlers[el.dataset.action];
    if (fn) {
      ev.preventDefault();
      fn(el, ev);
    }
  });
  root.addEventListener("submit", (ev) => {
    const form = ev.target.closest("form[data-action]");
    if (!form) return;
    ev.preventDefault();
    const fn = handlers[form.dataset.action];
    if (fn) fn(form, ev);
  });
  root.addEventListener("change", (ev) => {
    if (ev.target.matches("input, select, textarea")) ev.target.dataset.dirty = "1";
    const el = ev.target.closest("[data-change]");
    if (!el) return;
    const fn = handlers[el.dataset.change];
    if (fn) fn(el, ev);
  });
  root.addEventListener("input", (ev) => {
    if (ev.target.matches("input, textarea")) ev.target.dataset.dirty = "1";
  });
}

// -- formatting ---------------------------------------------------------------------------------------

/** $k figures as people say them: $90k, $1.2M. */
export function money(k) {
  const v = Number(k) || 0;
  const sign = v < 0 ? "−" : "";
  const a = Math.abs(v);
  if (a >= 1000) return `${sign}$${(a / 1000).toFixed(a >= 10000 ? 0 : 1)}M`;
  return `${sign}$${Math.round(a)}k`;
}

export function num(v, digits = 0) {
  const n = Number(v) || 0;
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A signed change, rounded for reading: "+12", "−3", "±0". */
export function delta(v, fmt = (x) => num(x)) {
  const n = Number(v) || 0;
  if (Math.abs(n) < 0.5) return "±0";
  return (n > 0 ? "+" : "−") + fmt(Math.abs(n));
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Upper-case first letter. */
export function cap(t) {
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}
