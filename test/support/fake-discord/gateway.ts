import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import type { FakeGuild } from "./guild.js";
import { type FakeIds, guildCreate, ready } from "./payloads.js";

/** GuildPresences, GuildMembers, MessageContent: need switching on in the Developer Portal. */
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of the session, so a resume can replay what the client missed. */
  sent: Dispatch[];
}

export interface GatewayOptions {
  ids: FakeIds;
  guild: FakeGuild;
  /** Privileged intents the application may use. */
  privilegedIntents: number;
  token: string;
  url: () => string;
  heartbeatMs: number;
}

/**
 * The gateway side of the fake: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat acks,
 * RESUME with replay. Events: "identify", "resume", "ready" (after READY and GUILD_CREATE),
 * "resumed", "heartbeat", "closed" (close code).
 */
export class FakeGateway extends EventEmitter {
  private readonly wss = new WebSocketServer({ noServer: true });
  private live: WebSocket | null = null;
  private session: Session | null = null;
  /** When set, IDENTIFY is answered by closing with this code (4004 = bad token). */
  identifyCloseCode: number | null = null;
  identifies = 0;
  resumes = 0;

  constructor(private readonly opts: GatewayOptions) {
    super();
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** True while a socket has identified or resumed and can receive dispatches. */
  get connected(): boolean {
    return this.live?.readyState === WebSocket.OPEN;
  }

  /** Sends a dispatch now, or on the client's resume if it is between connections. */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error(`fake gateway: no session to dispatch ${t} to; start the bot first`);
    const payload: Dispatch = { op: 0, t, s: ++session.seq, d };
    session.sent.push(payload);
    if (this.connected) this.live?.send(JSON.stringify(payload));
  }

  /** Op 7: Discord asks the client to reconnect and resume. */
  requestReconnect(): void {
    this.send(this.requireLive(), { op: 7, d: null });
  }

  /** Drops the TCP connection without a close frame, like a network failure. */
  drop(): void {
    this.requireLive().terminate();
  }

  close(code: number, reason = ""): void {
    this.requireLive().close(code, reason);
  }

  async shutdown(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private requireLive(): WebSocket {
    if (!this.live || !this.connected) throw new Error("fake gateway: no connected client");
    return this.live;
  }

  private accept(ws: WebSocket): void {
    ws.on("message", (raw) => this.onMessage(ws, raw));
    ws.on("error", () => {});
    ws.on("close", (code) => {
      if (this.live === ws) this.live = null;
      this.emit("closed", code);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.opts.heartbeatMs } });
  }

  private onMessage(ws: WebSocket, raw: RawData): void {
    const msg = JSON.parse(raw.toString()) as { op: number; d: Record<string, unknown> | null };
    switch (msg.op) {
      case 1:
        this.send(ws, { op: 11 });
        this.emit("heartbeat");
        return;
      case 2:
        this.identify(ws, msg.d ?? {});
        return;
      case 6:
        this.resume(ws, msg.d ?? {});
        return;
    }
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    this.identifies++;
    this.emit("identify", d);
    const intents = Number(d.intents ?? 0);
    const disallowed = intents & PRIVILEGED_INTENTS & ~this.opts.privilegedIntents;
    const refusal = d.token !== this.opts.token ? 4004 : disallowed ? 4014 : this.identifyCloseCode;
    if (refusal !== null) {
      const reasons: Record<number, string> = {
        4004: "Authentication failed.",
        4014: "Disallowed intent(s).",
      };
      ws.close(refusal, reasons[refusal] ?? "Refused by the fake.");
      return;
    }
    this.session = { id: randomBytes(16).toString("hex"), seq: 0, sent: [] };
    this.live = ws;
    this.dispatch("READY", ready(this.opts.ids, this.session.id, this.opts.url()));
    this.dispatch("GUILD_CREATE", guildCreate(this.opts.ids, this.opts.guild));
    this.emit("ready");
  }

  private resume(ws: WebSocket, d: Record<string, unknown>): void {
    this.resumes++;
    this.emit("resume", d);
    const session = this.session;
    if (!session || d.session_id !== session.id || d.token !== this.opts.token) {
      // Invalid session, not resumable: the client identifies again.
      this.send(ws, { op: 9, d: false });
      return;
    }
    this.live = ws;
    const from = Number(d.seq ?? 0);
    for (const payload of session.sent) if (payload.s > from) ws.send(JSON.stringify(payload));
    this.dispatch("RESUMED", {});
    this.emit("resumed");
  }

  private send(ws: WebSocket, payload: Record<string, unknown>): void {
    ws.send(JSON.stringify({ s: null, t: null, ...payload }));
  }
}
