/**
 * A private redis-server for a test: on a free 127.0.0.1 port, in a temporary folder, with the
 * append-only file on (so that a restart keeps every job, as docs/queue.md advises). `restart()`
 * stops it cleanly and starts it again on the same port and folder; `stop()` ends it and removes
 * the folder. Tests call `redisServerOrSkip()`: without redis-server, CI (CI=true) fails and
 * elsewhere the test is skipped with a loud message.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = process.env.RADSCORE_REDIS_SERVER ?? "redis-server";

/** Whether redis-server can be run here. */
export function haveRedisServer(): boolean {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  return probe.status === 0;
}

/**
 * Why a queue test cannot run (undefined: it can). In CI a missing redis-server throws: .ci/run
 * installs it, so its absence there is a broken setup, not a skip.
 */
export function redisSkipReason(): string | undefined {
  if (haveRedisServer()) return undefined;
  const message = `redis-server not found (${REDIS_SERVER}): queue tests need it (apt-get install redis-server)`;
  if (process.env.CI === "true") throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n\n`);
  return message;
}

/** A free TCP port on 127.0.0.1 (the kernel's choice, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a Redis server answers PING at `port`. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private log = "";

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** redis://127.0.0.1:PORT/0 */
  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  static async start(): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), "radscore-redis-"));
    const server = new RedisServer(await freePort(), dir);
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--save",
      "",
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
      "--maxmemory-policy",
      "noeviction",
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout!.on("data", (d) => (this.log += d.toString()));
    child.stderr!.on("data", (d) => (this.log += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!(await pings(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`redis-server did not start on port ${this.port}:\n${this.log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server cleanly (SIGTERM: it flushes the append-only file) and waits for its exit. */
  private async halt(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server and starts it again on the same port with the same data folder. */
  async restart(downMs = 0): Promise<void> {
    await this.halt();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  /** Stops the server and removes its folder. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
