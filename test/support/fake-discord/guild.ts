/**
 * The fake's server: roles, channels with permission overwrites, and who holds which role.
 * Permissions are computed the way Discord's documentation describes it ("Permissions",
 * "Permission Hierarchy"): @everyone, then the member's roles, then the channel's overwrites
 * for @everyone, for the member's roles and for the member. Written apart from the bot's own
 * computation on purpose: a test that shares the code under test cannot fail.
 */

export const PERM = {
  administrator: 1n << 3n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  readMessageHistory: 1n << 16n,
  mentionEveryone: 1n << 17n,
  useApplicationCommands: 1n << 31n,
} as const;

/** What @everyone may do in the fake's server unless a test changes it. */
export const EVERYONE_PERMISSIONS =
  PERM.viewChannel |
  PERM.sendMessages |
  PERM.embedLinks |
  PERM.readMessageHistory |
  PERM.mentionEveryone |
  PERM.useApplicationCommands;

const ALL = (1n << 53n) - 1n;

export interface FakeRole {
  id: string;
  name: string;
  position: number;
  permissions: bigint;
  mentionable: boolean;
}

export interface Overwrite {
  id: string;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface FakeChannel {
  id: string;
  name: string;
  overwrites: Overwrite[];
}

export class FakeGuild {
  readonly roles = new Map<string, FakeRole>();
  readonly channels = new Map<string, FakeChannel>();
  /** Role ids by member id; the @everyone role is implied. */
  readonly memberRoles = new Map<string, string[]>();

  constructor(
    readonly id: string,
    readonly ownerId: string,
  ) {}

  addRole(role: FakeRole): void {
    this.roles.set(role.id, role);
  }

  addChannel(id: string, name: string): void {
    this.channels.set(id, { id, name, overwrites: [] });
  }

  /** The member's permissions in the channel, as a bitfield. */
  permissionsIn(channelId: string, userId: string, roles = this.memberRoles.get(userId) ?? []): bigint {
    if (userId === this.ownerId) return ALL;
    let base = this.roles.get(this.id)?.permissions ?? 0n;
    for (const r of roles) base |= this.roles.get(r)?.permissions ?? 0n;
    if (base & PERM.administrator) return ALL;
    const overwrites = this.channels.get(channelId)?.overwrites ?? [];
    const apply = (allow: bigint, deny: bigint) => {
      base = (base & ~deny) | allow;
    };
    const everyone = overwrites.find((o) => o.type === 0 && o.id === this.id);
    if (everyone) apply(everyone.allow, everyone.deny);
    let allow = 0n;
    let deny = 0n;
    for (const o of overwrites) {
      if (o.type === 0 && roles.includes(o.id)) {
        allow |= o.allow;
        deny |= o.deny;
      }
    }
    apply(allow, deny);
    const own = overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) apply(own.allow, own.deny);
    return base;
  }

  can(channelId: string, userId: string, perm: bigint): boolean {
    return (this.permissionsIn(channelId, userId) & perm) === perm;
  }
}
