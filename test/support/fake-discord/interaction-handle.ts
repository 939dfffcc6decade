import type { FakeDiscord } from "./index.js";
import {
  type Answer,
  EPHEMERAL,
  type RecordedRequest,
  type SentMessage,
  type StoredMessage,
} from "./types.js";

/** One user action in flight: the bot's requests for it, and what the user ends up seeing. */
export class InteractionHandle {
  readonly id: string;
  readonly token: string;

  constructor(
    private readonly fake: FakeDiscord,
    payload: { id: string; token: string },
    private readonly appId: string,
    /** The clicked message, for a button. */
    private readonly clicked: StoredMessage | null,
    private readonly afterSeq: number,
    private readonly send: () => void,
  ) {
    this.id = payload.id;
    this.token = payload.token;
  }

  /** Delivers the same INTERACTION_CREATE again, as Discord occasionally does. */
  redeliver(): void {
    this.send();
  }

  /** Every request the bot has made for this interaction so far. */
  requests(): RecordedRequest[] {
    return this.fake.requests.filter((r) => r.seq > this.afterSeq && this.mine(r));
  }

  /** The first callback: type 4 reply, 5 deferred reply, 6 deferred update, 7 update. */
  callback(): Promise<RecordedRequest> {
    const path = `/interactions/${this.id}/${this.token}/callback`;
    return this.fake.waitForRequest(
      (r) => r.method === "POST" && r.path === path,
      `callback of ${this.id}`,
      this.afterSeq,
    );
  }

  /** A follow-up message sent with this interaction's token. */
  followUp(afterSeq = this.afterSeq): Promise<RecordedRequest> {
    return this.fake.waitForRequest((r) => this.isFollowUp(r), `follow-up of ${this.id}`, afterSeq);
  }

  /**
   * What the user sees: the immediate reply or update, or after a defer the edit of the
   * original (the deferred reply, or the clicked message) or a follow-up, whichever comes first.
   */
  async answer(): Promise<Answer> {
    const callback = await this.callback();
    if (callback.status >= 300) throw new Error(`the bot's callback failed with ${callback.status}`);
    const { type = 0, data = {} } = (callback.body ?? {}) as { type?: number; data?: SentMessage };
    if (type === 4 || type === 7) return toAnswer(type, data, type === 4 && isEphemeral(data));
    const next = await this.fake.waitForRequest(
      (r) => r.status < 300 && (this.isOriginalEdit(r) || this.isFollowUp(r)),
      `the answer to ${this.id} after its defer`,
      callback.seq,
    );
    const body = (next.body ?? {}) as SentMessage;
    // What the user sees is the stored message: a follow-up that filled a deferred reply keeps
    // the reply's visibility, whatever flags the follow-up asked for.
    const shown = next.response as StoredMessage | undefined;
    const ephemeral = shown ? isEphemeral(shown) : type === 5 && isEphemeral(data);
    return toAnswer(type, body, ephemeral);
  }

  private mine(r: RecordedRequest): boolean {
    return r.path.includes(this.token) || this.isOriginalEdit(r);
  }

  private isFollowUp(r: RecordedRequest): boolean {
    return r.method === "POST" && r.path === `/webhooks/${this.appId}/${this.token}`;
  }

  private isOriginalEdit(r: RecordedRequest): boolean {
    if (r.method !== "PATCH") return false;
    if (r.path === `/webhooks/${this.appId}/${this.token}/messages/@original`) return true;
    return (
      this.clicked !== null && r.path === `/channels/${this.clicked.channel_id}/messages/${this.clicked.id}`
    );
  }
}

function isEphemeral(m: SentMessage): boolean {
  return ((m.flags ?? 0) & EPHEMERAL) !== 0;
}

function toAnswer(callbackType: number, m: SentMessage, ephemeral: boolean): Answer {
  return {
    callbackType,
    ephemeral,
    content: m.content ?? "",
    embeds: m.embeds ?? [],
    components: m.components ?? [],
  };
}
