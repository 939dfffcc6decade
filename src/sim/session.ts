/** Opening a session: the version handshake, then START_API with its client id checks. */
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import { decodeRequest } from "./decode.js";
import { easternStamp } from "./eastern.js";
import * as enc from "./encode.js";
import { ALL_FARMS, farmMessage, MESSAGES } from "./faults.js";
import { parseVersionRange } from "./framing.js";
import { orderMessages } from "./handle-orders.js";
import { OUT } from "./msg-ids.js";

export function onHandshake(ctx: SimContext, conn: Connection, versions: string): void {
  const range = parseVersionRange(versions);
  if (!range || range.max < enc.SERVER_VERSION || range.min > enc.SERVER_VERSION) {
    ctx.log.warn(
      { conn: conn.id, versions },
      `client cannot speak server version ${enc.SERVER_VERSION}; closing`,
    );
    conn.end();
    return;
  }
  conn.phase = "await-start";
  conn.send(enc.serverHello(easternStamp(ctx.now())));
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
