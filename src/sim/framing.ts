/**
 * TWS API v100+ framing: every message is a 4-byte big-endian length followed by
 * NUL-terminated fields. The client opens with "API\0" + length + "v100..193",
 * whose length bytes may contain 0x00, so the handshake is read by length, never
 * split on NUL.
 */

export type Scalar = string | number | boolean | undefined | null;
/**
 * Fields that exist only from (`since`) or before (`until`) a server version: IB's decoder reads
 * them only at those versions, so a gateway that negotiated another version leaves them out.
 */
export interface Versioned {
  since?: number;
  until?: number;
  fields: readonly Scalar[];
}
export type Field = Scalar | Versioned;

/** Fields the client reads only at server version `min` or later (MIN_SERVER_VER.* in EDecoder). */
export const since = (min: number, ...fields: Scalar[]): Versioned => ({ since: min, fields });
/** Fields the client reads only below server version `max` (e.g. faProfile before 177). */
export const until = (max: number, ...fields: Scalar[]): Versioned => ({ until: max, fields });

/** The fields a client at `version` reads, versioned groups resolved. */
export function fieldsAt(fields: readonly Field[], version: number): Scalar[] {
  const out: Scalar[] = [];
  for (const f of fields) {
    if (f !== null && typeof f === "object") {
      if ((f.since === undefined || version >= f.since) && (f.until === undefined || version < f.until)) {
        out.push(...f.fields);
      }
    } else out.push(f);
  }
  return out;
}

export const MAX_FRAME_LENGTH = 0xffffff;
const API_PREFIX = Buffer.from("API\0", "latin1");

/** One frame at `version` (default: the newest, every versioned field included). */
export function encodeFields(fields: readonly Field[], version = Number.MAX_SAFE_INTEGER): Buffer {
  const text = fieldsAt(fields, version).map(fieldText).join("\0") + "\0";
  const body = Buffer.from(text, "utf8");
  const frame = Buffer.alloc(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

function fieldText(value: Scalar): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}

export type Frame = { kind: "handshake"; versions: string } | { kind: "message"; fields: string[] };

export class FramingError extends Error {}

/** Splits a byte stream from a client into the handshake and then messages. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private handshakeDone = false;

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.handshakeDone ? this.nextMessage() : this.nextHandshake();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private nextHandshake(): Frame | undefined {
    const prefixSeen = this.buffer.subarray(0, Math.min(4, this.buffer.length));
    if (!API_PREFIX.subarray(0, prefixSeen.length).equals(prefixSeen)) {
      throw new FramingError("handshake does not start with API\\0");
    }
    if (this.buffer.length < 8) return undefined;
    const length = this.buffer.readUInt32BE(4);
    if (length > MAX_FRAME_LENGTH) throw new FramingError(`handshake length ${length} too large`);
    if (this.buffer.length < 8 + length) return undefined;
    const versions = this.buffer.subarray(8, 8 + length).toString("utf8");
    this.buffer = this.buffer.subarray(8 + length);
    this.handshakeDone = true;
    return { kind: "handshake", versions };
  }

  private nextMessage(): Frame | undefined {
    if (this.buffer.length < 4) return undefined;
    const length = this.buffer.readUInt32BE(0);
    if (length > MAX_FRAME_LENGTH)
      throw new FramingError(`frame length ${length} exceeds ${MAX_FRAME_LENGTH}`);
    if (this.buffer.length < 4 + length) return undefined;
    const text = this.buffer.subarray(4, 4 + length).toString("utf8");
    this.buffer = this.buffer.subarray(4 + length);
    const fields = text.split("\0");
    if (fields.length > 1 && fields[fields.length - 1] === "") fields.pop();
    return { kind: "message", fields };
  }
}

/** Parses "v100..193" (or "v176") into the range of server versions the client accepts. */
export function parseVersionRange(text: string): { min: number; max: number } | undefined {
  const match = /^v(\d+)(?:\.\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return min <= max ? { min, max } : undefined;
}

/** The client side of the handshake, for tests and tools that speak raw frames. */
export function encodeHandshake(versions = "v100..193"): Buffer {
  const body = Buffer.from(versions, "utf8");
  const head = Buffer.alloc(8);
  API_PREFIX.copy(head, 0);
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}
