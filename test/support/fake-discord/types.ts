import type { IncomingHttpHeaders } from "node:http";

export interface SentEmbed {
  title?: string;
  description?: string;
  color?: number;
  author?: { name: string };
  footer?: { text: string };
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  timestamp?: string;
}

export interface SentComponent {
  type: number;
  custom_id?: string;
  label?: string;
  style?: number;
  disabled?: boolean;
  components?: SentComponent[];
}

/** The message-shaped part of a request body (channel post, reply, edit, follow-up). */
export interface SentMessage {
  content?: string;
  embeds?: SentEmbed[];
  components?: SentComponent[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
  nonce?: string | number;
  enforce_nonce?: boolean;
}

/** A message as the fake stores it and the API returns it. */
export interface StoredMessage extends SentMessage {
  id: string;
  channel_id: string;
  author: { id: string; bot?: boolean };
  content: string;
  embeds: SentEmbed[];
  components: SentComponent[];
  [key: string]: unknown;
}

export interface RecordedRequest {
  seq: number;
  /** performance.now() when the whole request had arrived (the bench times against it). */
  at: number;
  method: string;
  /** Below `/api/v10`, percent-decoded (`@original`). */
  path: string;
  /** As it arrived (`%40original`). */
  rawPath: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
  response: unknown;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the user sees once the bot has answered an interaction. */
export interface Answer {
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update. */
  callbackType: number;
  ephemeral: boolean;
  content: string;
  embeds: SentEmbed[];
  components: SentComponent[];
}

export const EPHEMERAL = 64;
