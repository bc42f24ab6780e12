// The facilitator's start page: pick a scenario, set teams, timer and seed, create the session.
import { served } from "./served.js";
import { h, plural } from "./dom.js";

/** Who each shipped scenario suits; a scenario without a note still shows its own story. */
const AUDIENCE = {
  "saas-startup": "Balanced · a good first game for any product or sales group",
  "fierce-market": "Where selling wins · for sales-heavy rooms and sceptics",
  "persona-drift": "Buyers vs users · for teams selling to one persona and building for another",
};

export const TIMERS = [
  [0, "No timer (you close each round)"],
  [120, "2 minutes"],
  [180, "3 minutes"],
  [240, "4 minutes"],
  [300, "5 minutes"],
  [420, "7 minutes"],
  [600, "10 minutes"],
];

export function randomSeed() {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] % 9000) + 1000;
}

function recentSessions() {
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith("curb:hostmeta:")) {
        const meta = JSON.parse(localStorage.getItem(key) || "{}");
        if (meta.code) out.push(meta);
      }
    }
  } catch {
    /* storage unavailable */
  }
  return out.sort((a, b) => (b.at || 0) - (a.at || 0)).slice(0, 4);
}

const ORDER = ["saas-startup", "fierce-market", "persona-drift"];
const order = (s) => (ORDER.includes(s.name) ? ORDER.indexOf(s.name) : ORDER.length);

function field(name, label, control, help) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: `f-${name}` }, label),
    control,
    h("small", { id: `d-${name}` }, help),
  );
}

export const OWN = "__own"; // the start page's choice "your own scenario file"
export const MAX_OWN_BYTES = 56 * 1024; // the server's limit (game/uploads.py)

/** The choice of a facilitator's own scenario file: what it is once checked, or how to get one. */
function ownChoice(st, chosen) {
  const own = st.own;
  return h(
    "label",
    { class: `scenario own${chosen === OWN ? " on" : ""}`, "data-key": OWN },
    h("input", {
      type: "radio",
      name: "scenario",
      value: OWN,
      checked: chosen === OWN,
      "data-change": "pick",
      "aria-labelledby": "sc-t-own",
      "aria-describedby": "sc-s-own",
    }),
    h(
      "span",
      { class: "sc-body" },
      h("span", { class: "sc-title", id: "sc-t-own" }, own ? own.title : "Your own scenario file"),
      h(
        "span",
        { class: "sc-story", id: "sc-s-own" },
        own ? own.story : "A YAML file written with the scenario guide (docs/scenarios.md). It is checked before you start.",
      ),
      own ? h("span", { class: "sc-meta" }, `${plural(own.rounds, "round")} · ${st.ownFile}`) : null,
    ),
  );
}

/** Picking the file, and what the check found: ready, or every problem with its line. */
function ownFile(st) {
  const problems = st.ownProblems || [];
  return h(
    "div",
    { class: "own-file" },
    h(
      "p",
      { class: "hint-text" },
      "New to this? ",
      h("a", { href: served("/guide/scenarios"), target: "_blank", rel: "noopener" }, "Read the guide"),
      " or start from an example: ",
      (st.scenarios || []).map((s, i) => [i ? ", " : "", h("a", { href: served(`/scenarios/${encodeURIComponent(s.name)}.yaml`), download: `${s.name}.yaml` }, `${s.name}.yaml`)]),
      ".",
    ),
    h("label", { for: "f-own" }, "Scenario file (.yaml)"),
    h("input", { class: "input", id: "f-own", type: "file", accept: ".yaml,.yml", "data-change": "ownFile", "aria-describedby": "d-own" }),
    h(
      "p",
      { id: "d-own", class: st.own ? "own-ok" : "hint-text", role: "status" },
      st.ownChecking ? "Checking the file…" : st.own ? `Ready: “${st.own.title}”, ${plural(st.own.rounds, "round")}.` : "Nothing is sent anywhere but this server.",
    ),
    st.ownError
      ? h(
          "div",
          { class: "problems", role: "alert" },
          h("p", { class: "error" }, st.ownError),
          problems.length
            ? h(
                "ol",
                null,
                problems.map((p) =>
                  h("li", null, h("span", { class: "p-line" }, p.line ? `line ${p.line}` : "file"), p.where ? h("code", null, p.where) : null, ` ${p.message}`),
                ),
              )
            : null,
        )
      : null,
  );
}

export function startScreen(st) {
  const list = [...(st.scenarios || [])].sort((a, b) => order(a) - order(b));
  const chosen = st.scenario || (list.find((s) => s.name === "saas-startup") || list[0] || {}).name;
  const recent = recentSessions();
  return h(
    "div",
    { class: "start" },
    h(
      "div",
      { class: "start-intro" },
      h("h1", null, "Run a workshop"),
      h(
        "p",
        { class: "lead" },
        "Pick a story and how the room plays. Players join on their phones: no app, no accounts.",
      ),
    ),
    h(
      "form",
      { class: "start-form", dataset: { action: "create" } },
      h(
        "fieldset",
        { class: "scenarios" },
        h("legend", null, "1. Scenario"),
        list.length === 0
          ? h("p", { class: "hint-text" }, st.loadError || "Loading scenarios…")
          : list.map((s) =>
              h(
                "label",
                { class: `scenario${s.name === chosen ? " on" : ""}`, "data-key": s.name },
                h("input", {
                  type: "radio",
                  name: "scenario",
                  value: s.name,
                  checked: s.name === chosen,
                  "data-change": "pick",
                  "aria-labelledby": `sc-t-${s.name}`,
                  "aria-describedby": `sc-a-${s.name} sc-s-${s.name}`,
                }),
                h(
                  "span",
                  { class: "sc-body" },
                  h("span", { class: "sc-title", id: `sc-t-${s.name}` }, s.title),
                  AUDIENCE[s.name] ? h("span", { class: "sc-aud", id: `sc-a-${s.name}` }, AUDIENCE[s.name]) : null,
                  h("span", { class: "sc-story", id: `sc-s-${s.name}` }, s.story),
                  h("span", { class: "sc-meta" }, plural(s.rounds, "round")),
                ),
              ),
            ),
        list.length && st.uploads !== false ? ownChoice(st, chosen) : null,
        chosen === OWN ? ownFile(st) : null,
      ),
      h(
        "fieldset",
        { class: "settings" },
        h("legend", null, "2. Settings"),
        field(
          "teams",
          "Teams",
          h(
            "select",
            { class: "input", id: "f-teams", name: "teams", "aria-describedby": "d-teams" },
            h("option", { value: "0", selected: true }, "Automatic (about 5 per team)"),
            [2, 3, 4, 5, 6, 7, 8, 10, 12].map((n) => h("option", { value: String(n) }, `${n} teams`)),
          ),
          "Players can switch team in the lobby; you can move them too.",
        ),
        field(
          "round_seconds",
          "Round timer",
          h(
            "select",
            { class: "input", id: "f-round_seconds", name: "round_seconds", "aria-describedby": "d-round_seconds" },
            TIMERS.map(([v, t]) => h("option", { value: String(v), selected: v === 300 }, t)),
          ),
          "You can pause, add a minute or close a round early.",
        ),
        field(
          "seed",
          "Seed",
          h("input", {
            class: "input",
            id: "f-seed",
            name: "seed",
            type: "number",
            min: "0",
            max: "2147483647",
            inputmode: "numeric",
            value: String(st.seed),
            "aria-describedby": "d-seed",
          }),
          "The same seed and the same decisions always give the same game.",
        ),
        st.error ? h("p", { class: "error", role: "alert" }, st.error) : null,
        h(
          "button",
          { class: "btn primary big wide", type: "submit", disabled: st.busy || !list.length || (chosen === OWN && !st.own) },
          st.busy ? "Creating…" : "Create the session",
        ),
      ),
    ),
    recent.length
      ? h(
          "section",
          { class: "recent" },
          h("h2", null, "Your recent sessions"),
          h(
            "ul",
            null,
            recent.map((r) =>
              h(
                "li",
                { "data-key": r.code },
                h("a", { class: "btn small", href: served(`/host/${r.code}`) }, `Open ${r.code}`),
                h("span", null, ` ${r.title || ""} · ${new Date(r.at).toLocaleString()}`),
              ),
            ),
          ),
        )
      : null,
  );
}
