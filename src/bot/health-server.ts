import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Ops } from "./ops.js";

/** `GET /healthz`: 200 when connected with fresh data, 503 otherwise; JSON either way. */
export async function startHealthServer(
  ops: Ops,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" || path !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not found; try GET /healthz" }));
      return;
    }
    const view = ops.health();
    res.writeHead(view.healthy ? 200 : 503, {
      "content-type": "application/json",
      "cache-control": "no-store",
    });
    res.end(JSON.stringify({ mode: ops.mode, ...view }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
