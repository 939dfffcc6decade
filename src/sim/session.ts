/** Opening a session: the version handshake, then START_API with its client id checks. */
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import { decodeRequest } from "./decode.js";
import { easternStamp } from "./eastern.js";
import * as enc from "./encode.js";
import { ALL_FARMS, CONNECT_NOTICES, farmMessage, MESSAGES } from "./faults.js";
import { parseVersionRange } from "./framing.js";
import { orderMessages } from "./handle-orders.js";
import { OUT } from "./msg-ids.js";
import { MIN_CLIENT_VERSION } from "./versions.js";

/**
 * As a real gateway: the answer is the lower of the client's highest version and our own, and
 * every later message is encoded for it. Only a client whose lowest version is above ours (or
 * below the v100 protocol) is refused.
 */
export function onHandshake(ctx: SimContext, conn: Connection, versions: string): void {
  const range = parseVersionRange(versions);
  const version = range ? Math.min(range.max, ctx.serverVersion) : 0;
  if (!range || version < MIN_CLIENT_VERSION || range.min > version) {
    ctx.log.warn(
      { conn: conn.id, versions },
      `client offers ${versions}; this gateway speaks ${MIN_CLIENT_VERSION}..${ctx.serverVersion}: closing`,
    );
    conn.end();
    return;
  }
  conn.version = version;
  conn.phase = "await-start";
  conn.send(enc.serverHello(version, easternStamp(ctx.now())));
  ctx.log.debug({ conn: conn.id, versions, version }, "handshake");
}

/** Returns true when the connection became ready. */
export function onStartApi(
  ctx: SimContext,
  conn: Connection,
  fields: string[],
  opts: { downloadOpenOrders: boolean },
): boolean {
  const clientId = startApiClientId(fields);
  if (clientId === undefined) {
    ctx.log.warn({ conn: conn.id, fields }, "expected START_API; ignoring");
    return false;
  }
  conn.clientId = clientId;
  if (ctx.modes.clientIdInUse || ctx.connectionOf(clientId)) {
    ctx.log.warn({ conn: conn.id, clientId }, "client id already in use");
    conn.send(enc.errMsg(-1, 326, MESSAGES.clientIdInUse));
    conn.end();
    return false;
  }
  conn.phase = "ready";
  conn.send(enc.managedAccounts([...ctx.exchange.accounts]));
  conn.send(enc.nextValidId(ctx.exchange.nextOrderId(clientId)));
  if (ctx.modes.connectivityLost) conn.send(enc.errMsg(-1, 2110, MESSAGES.serverBroken));
  for (const farm of ALL_FARMS) {
    const info = farmMessage(farm, !ctx.modes.brokenFarms.includes(farm));
    conn.send(enc.errMsg(-1, info.code, info.message));
  }
  for (const notice of CONNECT_NOTICES) {
    if (!notice.farm || !ctx.modes.brokenFarms.includes(notice.farm))
      conn.send(enc.errMsg(-1, notice.code, notice.message));
  }
  if (opts.downloadOpenOrders) {
    for (const order of ctx.exchange.liveOrders(clientId)) conn.sendAll(orderMessages(order, "placed"));
  }
  ctx.log.info({ conn: conn.id, clientId }, "client connected");
  return true;
}

function startApiClientId(fields: string[]): number | undefined {
  if (Number(fields[0]) !== OUT.START_API) return undefined;
  try {
    const request = decodeRequest(fields);
    return request.type === "startApi" ? request.clientId : undefined;
  } catch {
    return undefined;
  }
}
