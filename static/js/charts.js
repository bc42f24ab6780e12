// Line charts over rounds with uPlot (served from /static/vendor, imported only for the debrief).
import { h } from "./dom.js";

export const COLORS = ["#3b2fc9", "#d9480f", "#0b7a4b", "#c2185b", "#0e7490", "#a16207", "#7c3aed", "#334155"];
export const REF_STYLE = {
  "always-yes": { stroke: "#b3261e", dash: [10, 6] },
  "product-first": { stroke: "#15803d", dash: [3, 5] },
  balanced: { stroke: "#1d4ed8", dash: [14, 5, 3, 5] },
  random: { stroke: "#6b7280", dash: [2, 4] },
  "always-no": { stroke: "#8f5300", dash: [6, 3, 1, 3] },
  "always-defer": { stroke: "#7e22ce", dash: [1, 3] },
};

let lib = null;
const configs = new Map(); // key -> chart config, for placeholders waiting to be drawn
const drawn = new Map(); // placeholder element -> uPlot instance

function uPlot() {
  lib ||= import("../vendor/uPlot.esm.js").then((m) => m.default);
  return lib;
}

/** A placeholder the chart is drawn into once it is in the page (morph keeps its drawing). */
export function chart(cfg) {
  configs.set(cfg.key, cfg);
  queueMicrotask(drawPending);
  return h("div", {
    class: "chart",
    "data-keep": "",
    "data-key": cfg.key,
    "data-chart": cfg.key,
    role: "img",
    "aria-label": `${cfg.metric.label} by round. ${cfg.summary}`,
  });
}

async function drawPending() {
  const U = await uPlot();
  for (const [el, plot] of drawn) {
    if (!el.isConnected) {
      plot.destroy();
      drawn.delete(el);
    }
  }
  for (const el of document.querySelectorAll(/** @type {"div"} */ ("[data-chart]"))) {
    if (drawn.has(el)) continue;
    const cfg = configs.get(el.dataset.chart);
    if (!cfg) continue;
    el.textContent = "";
    drawn.set(el, new U(options(cfg, el), data(cfg), el));
    boxes.observe(el);
  }
}

// A chart drawn while hidden (another debrief section on the projector) takes its size when shown.
const boxes = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const plot = drawn.get(target);
    const cfg = configs.get(/** @type {HTMLElement} */ (target).dataset.chart);
    if (!plot || !cfg || !target.clientWidth) continue;
    const size = sizeOf(cfg, target);
    if (Math.abs(size.width - plot.width) > 2 || Math.abs(size.height - plot.height) > 2) requestAnimationFrame(() => plot.setSize(size));
  }
});

function sizeOf(cfg, el) {
  const width = Math.max(240, Math.floor(el.clientWidth || el.parentElement.clientWidth || 320));
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  // On the projector the page sizes the box to the screen (host.css), and the chart takes its height.
  const set = el.closest(".host-debrief") ? el.clientHeight : 0;
  const height = set >= 80 ? set : cfg.size === "narrow" ? 190 : Math.round(Math.min(13 * rem, width * 0.42));
  return { width, height };
}

function data(cfg) {
  const xs = Array.from({ length: cfg.played + 1 }, (_, i) => i);
  return [xs, ...cfg.series.map((s) => xs.map((i) => (i < s.values.length ? s.values[i] : null)))];
}

function options(cfg, el) {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const fs = cfg.size === "narrow" ? 12 : Math.round(rem * 0.72);
  const font = `600 ${fs}px system-ui, sans-serif`;
  const ink = "#3d4257";
  const grid = { stroke: "#e6e2d9", width: 1 };
  const max = Math.max(1, cfg.played);
  return {
    ...sizeOf(cfg, el),
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [0, max] } },
    axes: [
      {
        stroke: ink,
        font,
        grid,
        ticks: { stroke: "#cfcabe" },
        splits: () => Array.from({ length: max + 1 }, (_, i) => i),
        values: (u, vals) => vals.map((v) => (v === 0 ? "Start" : `R${v}`)),
      },
      {
        stroke: ink,
        font,
        grid,
        ticks: { stroke: "#cfcabe" },
        size: fs * 5,
        values: (u, vals) => vals.map((v) => cfg.metric.fmt(v)),
      },
    ],
    series: [
      {},
      ...cfg.series.map((s) => {
        const ref = s.ref ? REF_STYLE[s.ref] : null;
        const stroke = ref ? ref.stroke : s.color;
        return {
          label: s.label,
          stroke,
          width: ref ? 2 : 3.5,
          dash: ref ? ref.dash : undefined,
          points: { show: !ref, size: 7, fill: stroke, stroke },
        };
      }),
    ],
  };
}

let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const [el, plot] of drawn) {
      const cfg = configs.get(el.dataset.chart);
      if (cfg && el.isConnected) plot.setSize(sizeOf(cfg, el));
    }
  }, 150);
});
