/** Real @stoqey/ib clients against the simulator, with event capture and cleanup. */
import { EventEmitter } from "node:events";
import { type Socket, connect as tcpConnect } from "node:net";
import { ConnectionState, EventName, IBApi, IBApiNext } from "@stoqey/ib";
import { afterEach, expect } from "vitest";
import { encodeFields, encodeHandshake, type Field } from "../../src/sim/framing.js";
import { IbSimulator, type SimulatorOptions } from "../../src/sim/index.js";

/** A Friday, 10:00 ET: Thanksgiving (20261126) and the early close (20261127) are within 30 days. */
export const TEST_NOW = new Date("2026-11-20T15:00:00Z");

export interface Recorded {
  name: string;
  args: unknown[];
}

export interface IbError {
  message: string;
  code: number;
  reqId: number;
}

/** A waitable log of events: every wait looks at what already happened too, so nothing races. */
export class EventLog<T> {
  readonly items: T[] = [];
  private readonly emitter = new EventEmitter();

  push(item: T): void {
    this.items.push(item);
    this.emitter.emit("item", item);
  }

  /** Resolves with the first item (already recorded or future) matching `predicate`. */
  waitFor(predicate: (item: T) => boolean, label: string, timeoutMs = 15_000): Promise<T> {
    const found = this.items.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.emitter.off("item", onItem);
        reject(new Error(`timed out waiting for ${label}`));
      }, timeoutMs);
      const onItem = (item: T) => {
        if (!predicate(item)) return;
        clearTimeout(timer);
        this.emitter.off("item", onItem);
        resolve(item);
      };
      this.emitter.on("item", onItem);
    });
  }

  filter(predicate: (item: T) => boolean): T[] {
    return this.items.filter(predicate);
  }
}

/** A method signature, so predicates may type their parameters ((id: number, c: Contract) => ...). */
type ArgsPredicate = { check(...args: unknown[]): boolean }["check"];

export interface TestClient {
  ib: IBApi;
  clientId: number;
  /** Every event the client emitted, in order. */
  events: EventLog<Recorded>;
  errors: EventLog<IbError>;
  /** Messages with id -1: IB's system codes (1100, 2104, 326, ...). */
  infos: EventLog<{ message: string; code: number }>;
  /** Resolves with the args of the first `name` event whose args satisfy `predicate`. */
  next(name: EventName, predicate?: ArgsPredicate, label?: string): Promise<unknown[]>;
  all(name: EventName): unknown[][];
  disconnect(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
const unexpectedDecodeErrors: IbError[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  const found = unexpectedDecodeErrors.splice(0);
  expect(found, "the client's decoder reported errors (code 505)").toEqual([]);
});

/** Registers something to close after the current test (run in reverse order). */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Starts a simulator that is closed after the test. */
export async function startSim(opts: SimulatorOptions = {}): Promise<IbSimulator> {
  const sim = await IbSimulator.start({ now: () => TEST_NOW, ...opts });
  cleanups.push(() => sim.close());
  return sim;
}

/** Connects an IBApi and waits for nextValidId. Any decode error (505) fails the test unless allowed. */
export async function connectIbApi(
  sim: IbSimulator,
  clientId: number,
  opts: { allowDecodeErrors?: boolean; waitForNextValidId?: boolean } = {},
): Promise<TestClient> {
  const ib = new IBApi({ host: "127.0.0.1", port: sim.port });
  const client = recordClient(ib, clientId, opts.allowDecodeErrors ?? false);
  cleanups.push(() => client.disconnect());
  ib.connect(clientId);
  if (opts.waitForNextValidId ?? true) await client.next(EventName.nextValidId);
  return client;
}

function recordClient(ib: IBApi, clientId: number, allowDecodeErrors: boolean): TestClient {
  const events = new EventLog<Recorded>();
  const errors = new EventLog<IbError>();
  const infos = new EventLog<{ message: string; code: number }>();
  ib.on(EventName.all, (name: string, args: unknown[]) => events.push({ name, args }));
  ib.on(EventName.error, (err: Error, code: number, reqId: number) => {
    const e = { message: err.message, code, reqId };
    errors.push(e);
    if (code === 505 && !allowDecodeErrors) unexpectedDecodeErrors.push(e);
  });
  ib.on(EventName.info, (message: string, code: number) => infos.push({ message, code }));
  const client: TestClient = {
    ib,
    clientId,
    events,
    errors,
    infos,
    async next(name, predicate = () => true, label) {
      const found = await events.waitFor(
        (e) => e.name === name && predicate(...e.args),
        label ?? `${name} event`,
      );
      return found.args;
    },
    all: (name) => events.filter((e) => e.name === name).map((e) => e.args),
    async disconnect() {
      if (!ib.isConnected) return;
      const closed = client.next(EventName.disconnected);
      ib.disconnect();
      await closed;
    },
  };
  return client;
}

/** Connects an IBApiNext with a fixed client id; 505s from its inner IBApi fail the test. */
export async function connectIbApiNext(sim: IbSimulator, clientId: number): Promise<IBApiNext> {
  const next = new IBApiNext({ host: "127.0.0.1", port: sim.port, reconnectInterval: 0 });
  const inner = (next as unknown as { api: IBApi }).api;
  inner.on(EventName.error, (err: Error, code: number, reqId: number) => {
    if (code === 505) unexpectedDecodeErrors.push({ message: err.message, code, reqId });
  });
  const ready = new Promise<void>((resolve) => inner.once(EventName.nextValidId, () => resolve()));
  cleanups.push(async () => {
    const state = await currentState(next);
    if (state !== ConnectionState.Disconnected) {
      const down = new Promise<void>((resolve) => inner.once(EventName.disconnected, () => resolve()));
      next.disconnect();
      await down;
    }
  });
  next.connect(clientId);
  await ready;
  return next;
}

function currentState(next: IBApiNext): Promise<ConnectionState> {
  return new Promise((resolve) => {
    const sub = next.connectionState.subscribe((s) => {
      resolve(s);
      queueMicrotask(() => sub.unsubscribe());
    });
  });
}

/** A raw TCP client speaking frames, for what the library would never send. */
export interface RawClient {
  socket: Socket;
  frames: EventLog<string[]>;
  send(fields: Field[]): void;
  closed: Promise<void>;
}

export async function connectRaw(sim: IbSimulator, opts: { handshake?: Buffer } = {}): Promise<RawClient> {
  const socket = tcpConnect({ host: "127.0.0.1", port: sim.port });
  const frames = new EventLog<string[]>();
  let buffer = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
      const length = buffer.readUInt32BE(0);
      const fields = buffer
        .subarray(4, 4 + length)
        .toString("utf8")
        .split("\0");
      fields.pop();
      buffer = buffer.subarray(4 + length);
      frames.push(fields);
    }
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => {});
  cleanups.push(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.write(opts.handshake ?? encodeHandshake());
  return { socket, frames, send: (fields) => socket.write(encodeFields(fields)), closed };
}

/** Resolves when the simulator emits `event` with an argument satisfying `predicate` (already past events do not count). */
export function simEvent<T>(
  sim: IbSimulator,
  event: "connection" | "disconnect" | "request" | "held" | "silenced" | "order" | "execution" | "position",
  predicate: (arg: T) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sim.off(event, listener);
      reject(new Error(`timed out waiting for simulator event ${event}`));
    }, timeoutMs);
    const listener = (arg: unknown) => {
      if (!predicate(arg as T)) return;
      clearTimeout(timer);
      sim.off(event, listener);
      resolve(arg as T);
    };
    sim.on(event, listener);
  });
}

interface Subscribable<T> {
  subscribe(observer: { next: (value: T) => void; error: (err: unknown) => void }): { unsubscribe(): void };
}

/** The first value of an observable that satisfies `predicate` (the project does not depend on rxjs itself). */
export function firstValue<T>(
  source: Subscribable<T>,
  predicate: (value: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const sub = source.subscribe({
      next: (value) => {
        if (done || !predicate(value)) return;
        done = true;
        queueMicrotask(() => sub.unsubscribe());
        resolve(value);
      },
      error: reject,
    });
  });
}
