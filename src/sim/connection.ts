/** One client socket: its handshake state, client id, subscriptions and counters. */
import type { Socket } from "node:net";
import { encodeFields, type Field, type Frame, FrameReader } from "./framing.js";
import type { SimContract } from "./types.js";
import { SERVER_VERSION } from "./versions.js";

export type ConnectionPhase = "handshake" | "await-start" | "ready" | "closed";

export class Connection {
  phase: ConnectionPhase = "handshake";
  clientId?: number;
  /** The server version negotiated in the handshake: every message is encoded for it. */
  version = SERVER_VERSION;
  /** reqMarketDataType: 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
  marketDataType = 1;
  /** Accepted during the `silent` fault: never answered, like the gateway's direct port. */
  silent = false;
  positionsSubscribed = false;
  /** The account whose updates (reqAccountUpdates) this client receives, if any. */
  accountUpdates?: string;
  readonly streams = new Map<number, SimContract>();
  /** Frames that arrived while the gateway was hung, processed on `clear`. */
  readonly held: Frame[] = [];
  framesIn = 0;
  framesOut = 0;
  readonly reader = new FrameReader();

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly mayWrite: () => boolean,
  ) {}

  get remote(): string {
    return `${this.socket.remoteAddress ?? "?"}:${this.socket.remotePort ?? "?"}`;
  }

  get ready(): boolean {
    return this.phase === "ready" && !this.silent;
  }

  /** Writes one message; dropped while the gateway is hung or once the socket is gone. */
  send(fields: readonly Field[]): void {
    if (this.silent || !this.mayWrite() || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(encodeFields(fields, this.version));
    this.framesOut++;
  }

  sendAll(messages: readonly (readonly Field[])[]): void {
    for (const m of messages) this.send(m);
  }

  /** Flushes what was written, then closes (TWS closes this way after error 326). */
  end(): void {
    this.phase = "closed";
    this.socket.end();
  }

  info() {
    return {
      id: this.id,
      clientId: this.clientId ?? null,
      phase: this.phase,
      remote: this.remote,
      silent: this.silent,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      heldFrames: this.held.length,
      positionsSubscribed: this.positionsSubscribed,
      accountUpdates: this.accountUpdates ?? null,
      marketDataReqIds: [...this.streams.keys()],
    };
  }
}

export type ConnectionInfo = ReturnType<Connection["info"]>;
