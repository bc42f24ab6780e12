// The socket wrapper: acknowledged emits as promises with a timeout, commands with client-chosen
// ids (a re-sent command applies once), reconnection with a resync, and a connection status a
// person understands. See docs/protocol.md for every event.
import { served } from "./served.js";
import { io } from "../vendor/socket.io.esm.min.js";

const ACK_TIMEOUT_MS = 8000;

export class NetError extends Error {
  constructor(code, message, problems = []) {
    super(message);
    this.code = code;
    this.problems = problems; // a scenario file's mistakes, each {line, where, message}
  }
}

let counter = 0;
const prefix = (() => {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(36).padStart(2, "0")).join("").slice(0, 10);
})();

/** A command id no other tab or phone will pick: [A-Za-z0-9_.:~-]{1,64}. */
export function commandId() {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/**
 * connect({onStatus, onConnect, on: {event: fn}}) -> Net
 *  onStatus(status): "connecting" | "online" | "reconnecting" | "offline"
 *  onConnect({resync}): called on every (re)connection, to attach/resume and get a fresh view
 *    (``resync``: the socket was already up, so live updates may have been missed)
 * @param {{onStatus?: (status: string) => void, onConnect?: (how?: {resync?: boolean}) => void, on?: Object<string, (...args: any[]) => void>}} [options]
 */
export function connect({ onStatus = () => {}, onConnect = () => {}, on = {} } = {}) {
  const socket = io({ path: served("/socket.io"), transports: ["websocket", "polling"], reconnectionDelayMax: 4000, timeout: 8000 });
  const net = new Net(socket, onStatus);
  for (const [event, fn] of Object.entries(on)) socket.on(event, fn);
  socket.on("connect", () => {
    net.setStatus("online");
    onConnect();
  });
  socket.on("disconnect", (reason) => {
    // The server let us go on purpose (removed): do not pretend we are reconnecting.
    net.setStatus(reason === "io server disconnect" ? "offline" : "reconnecting");
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 1500);
  });
  socket.on("connect_error", () => net.setStatus(net.everOnline ? "reconnecting" : "connecting"));
  window.addEventListener("offline", () => net.setStatus("offline"));
  window.addEventListener("online", () => {
    if (!socket.connected) socket.connect();
  });
  // A phone that slept may hold a dead socket, or a live one that missed broadcasts: resync.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    if (socket.connected) onConnect({ resync: true });
    else socket.connect();
  });
  return net;
}

class Net {
  constructor(socket, onStatus) {
    this.socket = socket;
    this.status = "connecting";
    this.everOnline = false;
    this.onStatus = onStatus;
    onStatus(this.status);
  }

  setStatus(status) {
    if (status === "online") this.everOnline = true;
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  get connected() {
    return this.socket.connected;
  }

  /** emit with an acknowledgement: resolves with the ack's data, rejects with NetError. */
  request(event, payload = {}, timeout = ACK_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      this.socket.timeout(timeout).emit(event, payload, (err, ack) => {
        if (err) reject(new NetError("timeout", "The server did not answer. Check your connection."));
        else if (!ack || ack.ok !== true) {
          const e = (ack && ack.error) || {};
          reject(new NetError(e.code || "error", e.message || "Something went wrong.", e.problems || []));
        } else resolve(ack);
      });
    });
  }

  /**
   * Send a session command {type, ...fields}. If the answer is lost, wait for the connection and
   * send the same id again: the server applies a command id once.
   */
  async command(type, fields = {}, attempts = 3) {
    const payload = { id: commandId(), type, ...fields };
    let last;
    for (let i = 0; i < attempts; i++) {
      if (!this.socket.connected) await this.whenConnected(10000);
      try {
        return await this.request("command", payload);
      } catch (err) {
        last = err;
        if (err.code !== "timeout") throw err;
      }
    }
    throw last;
  }

  whenConnected(timeout) {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.socket.off("connect", done);
        resolve();
      };
      const timer = setTimeout(done, timeout);
      this.socket.on("connect", done);
    });
  }
}

/** A small status banner a person understands; pass it Net statuses. */
export function statusText(status) {
  return (
    {
      connecting: "Connecting…",
      online: "Connected",
      reconnecting: "Reconnecting…",
      offline: "No network — retrying…",
    }[status] || ""
  );
}
