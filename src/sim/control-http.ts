/**
 * HTTP JSON control API for the simulator (loopback only):
 *   GET  /state
 *   POST /fault  {"type": ...}                 see faults.ts
 *   POST /order  {"conId","action","quantity","orderType","lmtPrice"?,"auxPrice"?,"clientId"? (0 = manual TWS order),
 *                 "tif"?,"account"?,"orderRef"?,"ocaGroup"?,"ocaType"?}
 *   POST /fill   {"orderId","clientId"?,"price"?,"quantity"?} | {"orderRef","price"?,"quantity"?}
 *   POST /correct-execution {"execId","price"?}
 *   POST /exec-time-format {"format": "zone"|"legacy"|"utc"}
 *   POST /market-data {"options"?: "live"|"delayed"|"none", "greeks"?: boolean}
 *   POST /price  {"symbol":"SPY","price"}
 *   POST /cancel {"orderId","clientId"?}
 *   POST /expire | /assign {"conId"}
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { z } from "zod";
import { OPTIONS_DATA } from "./context.js";
import { EXEC_TIME_FORMATS } from "./eastern.js";
import { faultSchema } from "./faults.js";
import type { IbSimulator } from "./server.js";

const marketDataSchema = z
  .object({ options: z.enum(OPTIONS_DATA).optional(), greeks: z.boolean().optional() })
  .refine((v) => v.options !== undefined || v.greeks !== undefined, "give options and/or greeks");

const fillSchema = z.union([
  z.object({
    orderId: z.number().int().positive(),
    clientId: z.number().int().optional(),
    price: z.number().positive().optional(),
    quantity: z.number().positive().optional(),
  }),
  z.object({
    orderRef: z.string().min(1),
    price: z.number().positive().optional(),
    quantity: z.number().positive().optional(),
  }),
]);
const orderSchema = z.object({
  clientId: z.number().int().min(0).optional(),
  conId: z.number().int().positive(),
  action: z.enum(["BUY", "SELL"]),
  quantity: z.number().positive(),
  orderType: z.enum(["LMT", "MKT", "STP", "STP LMT"]),
  lmtPrice: z.number().positive().optional(),
  auxPrice: z.number().positive().optional(),
  tif: z.string().min(1).optional(),
  account: z.string().optional(),
  orderRef: z.string().optional(),
  ocaGroup: z.string().optional(),
  ocaType: z.number().int().min(0).max(3).optional(),
});
const correctionSchema = z.object({
  execId: z.string().min(1),
  price: z.number().positive().optional(),
});
const execTimeFormatSchema = z.object({ format: z.enum(EXEC_TIME_FORMATS) });
const modifySchema = z.object({
  orderId: z.number().int().positive(),
  clientId: z.number().int().optional(),
  lmtPrice: z.number().positive().optional(),
  auxPrice: z.number().positive().optional(),
  quantity: z.number().int().positive().optional(),
});
const priceSchema = z.object({ symbol: z.string().min(1), price: z.number().positive() });
const conIdSchema = z.object({ conId: z.number().int().positive() });
const cancelSchema = z.object({
  orderId: z.number().int().positive(),
  clientId: z.number().int().optional(),
});

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlServer(
  sim: IbSimulator,
  opts: { port?: number; host?: string } = {},
): Promise<ControlServer> {
  const server = createServer((req, res) => {
    handle(sim, req)
      .then((body) => reply(res, 200, body))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 409;
        reply(res, status, { error: err instanceof Error ? err.message : String(err) });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(sim: IbSimulator, req: IncomingMessage): Promise<unknown> {
  const route = `${req.method} ${new URL(req.url ?? "/", "http://localhost").pathname}`;
  switch (route) {
    case "GET /state":
      return sim.state();
    case "POST /fault": {
      const fault = parse(
        faultSchema,
        await readJson(req),
        'e.g. {"type":"hang"} or {"type":"stall","what":["positions"]}',
      );
      sim.fault(fault);
      return { ok: true, fault };
    }
    case "POST /fill": {
      const { price, quantity, ...target } = parse(
        fillSchema,
        await readJson(req),
        'e.g. {"orderId":101} or {"orderRef":"tw:tp:seed-18","price":2.46}',
      );
      return { ok: true, execution: sim.fill(target, price, quantity) };
    }
    case "POST /order": {
      const order = parse(
        orderSchema,
        await readJson(req),
        'e.g. {"conId":700512345,"action":"BUY","quantity":1,"orderType":"LMT","lmtPrice":3}',
      );
      return { ok: true, order: sim.placeOrder(order) };
    }
    case "POST /correct-execution": {
      const { execId, price } = parse(
        correctionSchema,
        await readJson(req),
        'e.g. {"execId":"0000e0d5.67890abc.01.01","price":6.1}',
      );
      return { ok: true, execution: sim.correctExecution(execId, price) };
    }
    case "POST /market-data": {
      const change = parse(
        marketDataSchema,
        await readJson(req),
        'e.g. {"options":"delayed"} or {"options":"none","greeks":false}',
      );
      return { ok: true, marketData: sim.setMarketData(change) };
    }
    case "POST /exec-time-format": {
      const { format } = parse(execTimeFormatSchema, await readJson(req), 'e.g. {"format":"utc"}');
      sim.execTimeFormat = format;
      return { ok: true, format };
    }
    case "POST /modify": {
      const { orderId, clientId, ...change } = parse(
        modifySchema,
        await readJson(req),
        'e.g. {"orderId":1000000,"clientId":7,"lmtPrice":5.5} (a trader editing an order in TWS)',
      );
      return {
        ok: true,
        order: sim.modifyOrder({ orderId, ...(clientId === undefined ? {} : { clientId }) }, change),
      };
    }
    case "POST /price": {
      const { symbol, price } = parse(priceSchema, await readJson(req), 'e.g. {"symbol":"SPY","price":600}');
      sim.setPrice(symbol, price);
      return { ok: true, spot: sim.state().spot };
    }
    case "POST /expire":
    case "POST /assign": {
      const { conId } = parse(conIdSchema, await readJson(req), 'e.g. {"conId":700512345}');
      if (route === "POST /expire") sim.expire(conId);
      else sim.assign(conId);
      return { ok: true };
    }
    case "POST /cancel": {
      const { orderId, clientId } = parse(cancelSchema, await readJson(req), 'e.g. {"orderId":101}');
      return { ok: true, order: sim.cancel(orderId, clientId) };
    }
    default:
      throw new HttpError(
        404,
        `no route ${route}; try GET /state, POST /fault, /order, /fill, /correct-execution, /price, /cancel, /expire or /assign`,
      );
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown, example: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpError(400, `invalid body: ${z.prettifyError(result.error)} (${example})`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text || "null");
  } catch {
    throw new HttpError(400, "the body must be JSON");
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
