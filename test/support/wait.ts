/**
 * Waits until `check` returns a truthy value, polling on the event loop. The limit only
 * turns a hang into a readable failure; no test asserts how long anything took.
 */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  what: string,
  limitMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending I/O callbacks and promise continuations run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
