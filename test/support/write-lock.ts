import { Worker } from "node:worker_threads";

/**
 * Another connection takes SQLite's write lock for `ms`, on its own thread: the bot's writes
 * wait (busy_timeout) instead of failing.
 */
export function holdWriteLock(path: string, ms: number): { locked: Promise<void>; done: Promise<void> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require("better-sqlite3");
     const db = new Database(workerData.path);
     db.exec("BEGIN IMMEDIATE");
     parentPort.postMessage("locked");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec("COMMIT");
     db.close();`,
    { eval: true, workerData: { path, ms } },
  );
  const locked = new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  const done = new Promise<void>((resolve, reject) => {
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lock worker exited ${code}`))));
  });
  return { locked, done };
}
