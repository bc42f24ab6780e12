// The facilitator's projector screens: lobby, round, round closed, reveal. Big type, no hover.
import { served } from "./served.js";
import { h, plural } from "./dom.js";
import { KIND, METRICS, MORE_METRICS, askerLine, badges, facts, trend, changeText, tellingLine } from "./cards.js";
import { causeButton, causesPanel, isOpen } from "./causes.js";
import { valueBoard } from "./value.js";
import { TIMERS } from "./host-start.js";
import { reasonsButton, reasonsPanel } from "./reasons.js";

const K = (key) => h("kbd", { "aria-hidden": "true" }, key);

function joinHost(links) {
  try {
    const u = new URL(links.join);
    return u.host;
  } catch {
    return location.host;
  }
}

export function joinBlock(v, links) {
  const closed = v.joining_open === false; // no QR to scan then: it would only lead to a refusal
  return h(
    "div",
    { class: closed ? "joinblock closed" : "joinblock" },
    h("p", { class: "jb-label" }, closed ? "Room code" : "Join on your phone · room code"),
    h("p", { class: "room-code", "aria-label": `room code ${v.code.split("").join(" ")}` }, v.code),
    closed
      ? h(
          "div",
          { class: "jb-closed", role: "status" },
          h("p", null, "Closed to new players"),
          h("p", { class: "jb-closed-how" }, "Players already in can reconnect. To let someone new in: Players (M)."),
        )
      : h(
          "div",
          { class: "jb-row" },
          h("img", { class: "qr", src: (links && links.qr) || served(`/qr/${v.code}.svg`), alt: `QR code to join room ${v.code}`, width: "220", height: "220" }),
          h(
            "div",
            { class: "join-words" },
            h("p", { class: "jw-step" }, "Scan the QR code with your camera,"),
            h("p", { class: "jw-step" }, "or open"),
            h("p", { class: "jw-url" }, joinHost(links || {})),
            h("p", { class: "jw-step" }, "and type the code."),
            links && links.word ? h("p", { class: "jw-step jw-word" }, "Asked for a word? ", h("strong", null, links.word)) : null,
          ),
        ),
  );
}

function teamTile(t, opts = {}) {
  const connected = t.members.filter((m) => m.connected).length;
  return h(
    "li",
    { class: `team-tile${t.bot ? " bot" : ""}`, "data-key": t.id },
    h(
      "p",
      { class: "tt-head" },
      h("span", { class: "tt-name", title: t.name }, t.name),
      t.bot
        ? h("span", { class: "badge core" }, "Bot")
        : h("span", { class: "tt-count" }, `${t.members.length}`, h("span", { class: "sr-only" }, " players")),
    ),
    t.bot
      ? h("p", { class: "tt-bot" }, `Plays “${t.bot}”`)
      : t.members.length
        ? h(
            "ul",
            { class: "chips" },
            t.members.map((m) =>
              h("li", { class: m.connected ? "chip" : "chip away", "data-key": m.id }, m.name, m.connected ? null : h("span", { class: "sr-only" }, " (away)")),
            ),
          )
        : h("p", { class: "tt-empty" }, "Waiting for players…"),
    opts.presence && !t.bot && t.members.length && connected < t.members.length
      ? h("p", { class: "tt-away" }, `${t.members.length - connected} away`)
      : null,
  );
}

/** The session's settings, beside the join code until the game starts. */
function lobbySettings(v) {
  return h(
    "form",
    { class: "lobby-settings", dataset: { action: "configure" } },
    h(
      "label",
      { class: "field inline" },
      h("span", null, "Timer"),
      h(
        "select",
        { class: "input", name: "round_seconds", "data-change": "configure" },
        TIMERS.map(([s, t]) => h("option", { value: String(s), selected: s === v.settings.round_seconds }, s ? t : "No timer")),
        TIMERS.some(([s]) => s === v.settings.round_seconds)
          ? null
          : h("option", { value: String(v.settings.round_seconds), selected: true }, v.settings.round_seconds % 60 ? plural(v.settings.round_seconds, "second") : plural(v.settings.round_seconds / 60, "minute")),
      ),
    ),
    h(
      "label",
      { class: "field inline" },
      h("span", null, "Seed"),
      h("input", { class: "input seed", name: "seed", type: "number", min: "0", value: String(v.settings.seed), "data-change": "configure" }),
    ),
    h(
      "label",
      { class: "field inline check" },
      h("input", { type: "checkbox", name: "close_when_locked", checked: v.settings.close_when_locked > 0, "data-change": "configure" }),
      h("span", null, "Close a round 5 s after every team locks"),
    ),
    h(
      "label",
      { class: "field inline check" },
      h("input", { type: "checkbox", name: "reveal_on_close", checked: v.settings.reveal_on_close, "data-change": "configure" }),
      h("span", null, "Reveal as soon as a round closes"),
    ),
    h(
      "label",
      { class: "field inline" },
      h("span", null, "Add a bot team"),
      h(
        "select",
        { class: "input", name: "bot", "data-change": "addBot" },
        h("option", { value: "" }, "Choose a strategy…"),
        ["balanced", "always-yes", "product-first", "random"].map((s) => h("option", { value: s }, s)),
      ),
    ),
  );
}

export function lobbyScreen(v, ui) {
  const people = v.teams.reduce((n, t) => n + t.members.length, 0);
  return h(
    "div",
    { class: "lobby-grid" },
    h(
      "section",
      { class: "lobby-join", "aria-label": "How to join" },
      h("h1", { class: "sr-only" }, "Lobby"),
      joinBlock(v, ui.links),
      lobbySettings(v),
    ),
    h(
      "section",
      { class: "lobby-teams", "aria-label": "Teams" },
      h(
        "div",
        { class: "lt-head" },
        h("h2", null, people ? `${plural(people, "player")} in ${plural(v.teams.filter((t) => !t.bot && t.members.length).length, "team")}` : "Waiting for players"),
        h(
          "p",
          { class: "hint-text" },
          v.settings.teams
            ? "Players can switch team on their phone until you start."
            : "Teams fill automatically, about 5 people each; they are evened out at the start.",
        ),
      ),
      // Many teams: compact tiles (the names on two lines at most), so twenty teams fit the screen.
      h("ul", { class: v.teams.length > 8 ? "team-grid many" : "team-grid" }, v.teams.map((t) => teamTile(t))),
    ),
  );
}

function hostCard(c) {
  if (c.kind === "event") {
    return h(
      "article",
      { class: "hcard news", "data-key": c.id },
      h("p", { class: "news-tag" }, "Market news"),
      h("h3", null, c.title),
      c.text ? h("p", { class: "hc-text", title: c.text }, c.text) : null,
    );
  }
  return h(
    "article",
    { class: `hcard ${c.kind}`, "data-key": c.id },
    badges(c),
    h("h3", null, c.title),
    askerLine(c) ? h("p", { class: "hc-asker", title: askerLine(c) }, askerLine(c)) : null,
    c.text ? h("p", { class: "hc-text", title: c.text }, c.text) : null, // a dense round clamps it: the whole text on hover, and on every phone
    facts(c, { compact: true }),
  );
}

function statusList(v, { closed = false } = {}) {
  if (v.teams.length > 8) return statusChips(v, closed);
  const sub = (t) => {
    if (t.locked) return closed ? "Locked in" : "Locked";
    const decided = `${t.decided} of ${t.cards} decided`;
    return closed ? `Taken as it stood · ${decided}` : decided;
  };
  // More than four teams: a line each (name, then how far the plan is), so eight fit beside the cards.
  const many = v.teams.length > 4;
  return h(
    "ul",
    { class: many ? "status-list many" : "status-list" },
    v.teams.map((t) => {
      const on = t.members.filter((m) => m.connected).length;
      return h(
        "li",
        { class: t.locked ? "st locked" : "st", "data-key": t.id },
        h("span", { class: "st-mark", "aria-hidden": "true" }, t.locked ? "✓" : ""),
        h(
          "span",
          { class: "st-body" },
          h("span", { class: "st-name", title: t.name }, t.name),
          h(
            "span",
            { class: many ? "st-sub sr-only" : "st-sub" },
            sub(t),
            t.bot ? " · bot" : ` · ${on}/${t.members.length} here`,
          ),
          many && !t.locked ? h("span", { class: "st-short", "aria-hidden": "true" }, `${t.decided}/${t.cards}`) : null,
        ),
      );
    }),
  );
}

/** Many teams: a chip each, locked ones filled, so forty teams fit beside the cards. */
function statusChips(v, closed) {
  return h(
    "ul",
    { class: "status-chips" },
    v.teams.map((t) =>
      h(
        "li",
        { class: t.locked ? "sc locked" : "sc", "data-key": t.id },
        h("span", { "aria-hidden": "true" }, t.locked ? "✓ " : ""),
        t.name,
        h("span", { class: "sr-only" }, t.locked ? " (locked)" : closed ? " (taken as it stood)" : ` (${t.decided} of ${t.cards} decided)`),
      ),
    ),
  );
}

export function counts(v) {
  const humans = v.teams.flatMap((t) => t.members);
  return {
    connected: humans.filter((m) => m.connected).length,
    away: humans.filter((m) => !m.connected).length,
    locked: v.teams.filter((t) => t.locked).length,
    teams: v.teams.length,
  };
}

export function roundScreen(v) {
  const news = v.cards.filter((c) => c.kind === "event");
  const cards = v.cards.filter((c) => c.kind !== "event");
  const n = counts(v);
  return h(
    "div",
    { class: "round-grid" },
    h(
      "section",
      { class: "round-main", "aria-label": "This round's cards" },
      h(
        "div",
        { class: "round-title" },
        h("h1", null, v.round.title),
        v.round.story ? h("p", { class: "story" }, v.round.story) : null,
      ),
      news.length ? h("div", { class: "news-row" }, news.map(hostCard)) : null,
      h("div", { class: `hcards n${Math.min(cards.length, 8)}` }, cards.map(hostCard)),
    ),
    h(
      "aside",
      { class: "round-side", "aria-label": "Teams" },
      clock(v),
      h("p", { class: "side-count" }, h("strong", null, `${n.locked} of ${n.teams}`), ` ${n.teams === 1 ? "team" : "teams"} locked`),
      v.timer.closing_at_ms != null
        ? h(
            "div",
            { class: "closing", role: "status" },
            h("p", null, "Everyone has locked: closing in ", h("strong", { "data-closing": "" }, ""), "."),
            h("button", { class: "btn small", type: "button", dataset: { action: "keepOpen" } }, "Keep it open ", h("kbd", null, "K")),
          )
        : null,
      statusList(v),
      h("p", { class: "presence" }, `${n.connected} connected`, n.away ? ` · ${n.away} away` : ""),
    ),
  );
}

function clock(v) {
  const t = v.timer;
  if (t.status === "off") return h("div", { class: "clock off" }, h("p", { class: "clock-label" }, "No timer"), h("p", { class: "clock-sub" }, "Close the round when the room is ready"));
  return h(
    "div",
    { class: `clock ${t.status}`, role: "timer", "aria-label": "time left in the round" },
    h("p", { class: "clock-label" }, t.status === "paused" ? "Paused" : "Time left"),
    h("p", { class: "clock-face", "data-clock": "" }, ""),
  );
}

export function closedScreen(v) {
  return h(
    "div",
    { class: "closed-wrap" },
    h("p", { class: "kicker" }, `Round ${v.round.number} of ${v.round.count}`),
    h("h1", { class: "mega" }, "Plans are in"),
    h("p", { class: "lead" }, "Ask each team: which card did you argue about most? Then reveal."),
    h("div", { class: "closed-teams" }, statusList(v, { closed: true })),
  );
}

/** The best value on a row, or null when every team has it (nothing to point at). */
function rank(teams, m) {
  const vals = teams.map((t) => Math.round(t.figures[m.key]));
  const best = m.better > 0 ? Math.max(...vals) : Math.min(...vals);
  return vals.every((v) => v === best) ? null : best;
}

const REVEAL_METRICS = [...METRICS, { ...MORE_METRICS[0], help: "in the bank" }]; // and cash: every figure a round's causes explain

/** The panel id of one team's figure on this reveal. */
const revealId = (v, t, m) => `rv|${v.round.index}|${t.id}|${m.key}`;
const whyId = (v, t) => `rv|${v.round.index}|${t.id}|why`;

/** One team's figure on one metric, with its change this round when the "before" is known; a
 * button that opens the figure's causes once the round is revealed. */
function figureCell(v, t, m, before, best, tag = "span") {
  const val = t.figures[m.key];
  const prev = (t.outcome && t.outcome.before) || before[t.id];
  const change = prev ? val - prev[m.key] : null;
  const tr = change === null ? "flat" : trend(change, m.better);
  const isBest = best !== null && Math.round(val) === best;
  const body = [
    h("span", { class: "rg-val" }, m.fmt(val)),
    change === null ? null : h("span", { class: `rg-chg ${tr}` }, changeText(m, change)),
    isBest ? h("span", { class: "sr-only" }, " (best)") : null,
  ];
  const traced = t.outcome && t.outcome.causes;
  return h(
    tag,
    { class: `rg-cell${isBest ? " best" : ""}`, role: tag === "span" ? "cell" : null, "data-key": t.id },
    traced ? causeButton(revealId(v, t, m), m.key, body, { cls: "rg-btn", label: `${t.name}, ${m.label}` }) : body,
  );
}

/** The open figure's causes, over the reveal (one at a time). */
function revealPanel(v, teams) {
  for (const t of teams) {
    if (isOpen(whyId(v, t))) return reasonsPanel(whyId(v, t), t, v.round.index);
    if (!t.outcome || !t.outcome.causes) continue;
    for (const m of REVEAL_METRICS) {
      const id = revealId(v, t, m);
      if (isOpen(id)) return causesPanel(id, m.key, { ...t.outcome, lines: t.lines }, { title: `${t.name}, round ${v.round.number}`, floating: true, story: true });
    }
  }
  return null;
}

const line = (t) => `“${t.headline || tellingLine(t.lines)}”`;

/** Up to five teams: side by side, a column each. */
function revealColumns(v, teams, before) {
  return h(
    "div",
    { class: `reveal-grid n${teams.length}`, role: "table", "aria-label": "Results by team" },
    h(
      "div",
      { class: "rg-row rg-headrow", role: "row" },
      h("span", { class: "rg-label", role: "columnheader" }, h("span", { class: "sr-only" }, "Metric")),
      teams.map((t) =>
        h("span", { class: "rg-team", role: "columnheader", "data-key": t.id, title: t.name }, t.name, t.bot ? h("span", { class: "badge core" }, "bot") : null, reasonsButton(whyId(v, t), t)),
      ),
    ),
    REVEAL_METRICS.map((m) => {
      const best = teams.length > 1 ? rank(teams, m) : null;
      return h(
        "div",
        { class: "rg-row", role: "row", "data-key": m.key },
        h("span", { class: "rg-label", role: "rowheader" }, m.label, m.help ? h("small", null, m.help) : null),
        teams.map((t) => figureCell(v, t, m, before, best)),
      );
    }),
    h(
      "div",
      { class: "rg-row rg-lines", role: "row" },
      h("span", { class: "rg-label", role: "rowheader" }, "What happened"),
      teams.map((t) => h("span", { class: "rg-cell rg-line", role: "cell", "data-key": t.id, title: line(t) }, line(t))),
    ),
  );
}

/** Six teams or more: a row each, so a big room still reads on one screen (and scrolls after). */
function revealRows(v, teams, before) {
  const best = Object.fromEntries(REVEAL_METRICS.map((m) => [m.key, rank(teams, m)]));
  return h(
    "table",
    { class: "reveal-table" },
    h("caption", { class: "sr-only" }, "Results by team"),
    h(
      "thead",
      null,
      h("tr", null, h("th", { scope: "col" }, "Team"), REVEAL_METRICS.map((m) => h("th", { scope: "col" }, m.label)), h("th", { scope: "col" }, "What happened")),
    ),
    h(
      "tbody",
      null,
      teams.map((t) =>
        h(
          "tr",
          { "data-key": t.id },
          h("th", { scope: "row", title: t.name }, h("span", { class: "rt-name" }, t.name, t.bot ? h("span", { class: "badge core" }, "bot") : null), reasonsButton(whyId(v, t), t)),
          REVEAL_METRICS.map((m) => figureCell(v, t, m, before, best[m.key], "td")),
          h("td", { class: "rg-line" }, h("span", { class: "rt-text", title: line(t) }, line(t))),
        ),
      ),
    ),
  );
}

export function revealScreen(v, ui) {
  if (v.final && ui.showFinal) return finalScreen(v);
  const teams = v.teams;
  const before = ui.before[v.round.index] || {};
  return h(
    "div",
    { class: "reveal" },
    h(
      "div",
      { class: "reveal-head" },
      h("div", null, h("p", { class: "kicker" }, `Round ${v.round.number} of ${v.round.count} · results`), h("h1", null, v.round.title)),
      v.final ? h("button", { type: "button", class: "btn primary no-print", dataset: { action: "finalResults" } }, "Final results: company value") : null,
    ),
    teams.length <= 5 ? revealColumns(v, teams, before) : revealRows(v, teams, before),
    h(
      "p",
      { class: "reveal-note" },
      teams.length > 1 ? [h("span", { class: "best-key", "aria-hidden": "true" }), "Outlined: the best figure on that row. "] : null,
      "Click any figure to see what moved it.",
    ),
    revealPanel(v, teams),
  );
}

export { K, KIND };

// -- final results: after the last reveal, every company ranked by what it is worth -----------------------------------
export function finalScreen(v) {
  const f = v.final;
  return h(
    "div",
    { class: "final" },
    h(
      "div",
      { class: "reveal-head" },
      h(
        "div",
        null,
        h("p", { class: "kicker" }, `Final results · after ${f.rounds_played} round${f.rounds_played === 1 ? "" : "s"}`),
        h("h1", null, "What each company is worth"),
      ),
      h("button", { type: "button", class: "btn no-print", dataset: { action: "finalResults" } }, "Back to the round's results"),
    ),
    h("p", { class: "final-note" }, f.value_note, " Click a value to see its parts."),
    valueBoard(f.teams, f.references),
  );
}
