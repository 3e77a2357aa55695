/**
 * The Redis server of a queue (issue #15): its URL (redis://[user:password@]host[:port][/db], or
 * rediss:// for TLS), the connection options every queue client uses, and a check at start that the
 * server answers, so that a wrong URL or a stopped server is one clear error at once instead of
 * ioredis' endless reconnect loop.
 */
import type { RedisOptions } from "ioredis";
import { Redis } from "ioredis";

/** A parsed queue URL (the password is kept out of every message: see `shown`). */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The URL as messages show it, the password replaced by ***. */
  shown: string;
}

/**
 * `--queue URL`. The password may also come from RADSCORE_REDIS_PASSWORD (it then stays out of the
 * process list and shell history). A bad URL is an error naming what is wrong.
 */
export function parseRedisUrl(text: string, env = process.env): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `--queue must be a Redis URL, redis://HOST[:PORT][/DB] or rediss:// (TLS), got '${text}'`,
    );
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new Error(
      `--queue must be a redis:// or rediss:// URL, got '${url.protocol}' in '${maskPassword(url)}'`,
    );
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw new Error(`--queue URL '${maskPassword(url)}' names no host`);
  const port = url.port === "" ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isSafeInteger(db))
    throw new Error(
      `--queue URL '${maskPassword(url)}': the path must be a database number (/0, /1, ...), got '${url.pathname}'`,
    );
  if (url.search !== "" || url.hash !== "")
    throw new Error(`--queue URL '${maskPassword(url)}': no query or fragment expected`);
  const username = decodeURIComponent(url.username);
  const password =
    url.password !== "" ? decodeURIComponent(url.password) : env.RADSCORE_REDIS_PASSWORD;
  return {
    host,
    port,
    db,
    tls: url.protocol === "rediss:",
    ...(username !== "" ? { username } : {}),
    ...(password !== undefined && password !== "" ? { password } : {}),
    shown: maskPassword(url),
  };
}

function maskPassword(url: URL): string {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}

/**
 * How long a client keeps reconnecting after losing a server it had reached (a Redis restart, a
 * network blip): RADSCORE_QUEUE_RECONNECT_S seconds, default 300; then it gives up.
 */
export function reconnectLimitMs(env = process.env): number {
  const text = env.RADSCORE_QUEUE_RECONNECT_S;
  const seconds = text === undefined || text === "" ? 300 : Number(text);
  if (!(seconds >= 0))
    throw new Error(`RADSCORE_QUEUE_RECONNECT_S must be a number of seconds, got '${text}'`);
  return seconds * 1000;
}

/**
 * ioredis options for the queue's clients (BullMQ opens several). Commands wait while the client
 * reconnects (maxRetriesPerRequest null, as BullMQ's workers require), with back-off up to 2 s,
 * for at most `reconnectLimitMs`; then `onGiveUp` is called once and the client stops.
 */
export function connectionOptions(
  target: RedisTarget,
  onGiveUp: (message: string) => void,
  limitMs = reconnectLimitMs(),
): RedisOptions {
  let downSince: number | null = null;
  let gaveUp = false;
  return {
    ...baseOptions(target),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => {
      const now = Date.now();
      if (times === 1 || downSince === null) downSince = now;
      if (now - downSince > limitMs) {
        if (!gaveUp) {
          gaveUp = true;
          onGiveUp(
            `lost the connection to Redis at ${target.shown} and could not reconnect for ${Math.round(limitMs / 1000)} s (RADSCORE_QUEUE_RECONNECT_S)`,
          );
        }
        return null;
      }
      return Math.min(100 * 2 ** Math.min(times, 5), 2000);
    },
  };
}

function baseOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    connectTimeout: 5000,
  };
}

/**
 * Connects once, without retries, and checks that the server answers and is recent enough for
 * BullMQ (Redis 5 or later); a failure is an error naming the URL and the reason.
 */
export async function checkRedis(target: RedisTarget): Promise<void> {
  const client = new Redis({
    ...baseOptions(target),
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // ioredis reports the cause (ECONNREFUSED, ENOTFOUND, a TLS error) as an 'error' event and
  // rejects connect() with a bare "Connection is closed": the cause is the message.
  let cause: string | null = null;
  client.on("error", (err: Error) => {
    cause ??= err.message;
  });
  try {
    await client.connect();
    const info = await client.info("server");
    const version = /redis_version:(\d+)/.exec(info)?.[1];
    if (version !== undefined && Number(version) < 5)
      throw new Error(`Redis ${version} is too old: the queue needs Redis 5 or later`);
  } catch (err) {
    const reason = cause ?? ((err as Error).message || String(err));
    throw new Error(`cannot use Redis at ${target.shown}: ${reason}`);
  } finally {
    client.disconnect();
  }
}
