/**
 * Queue mode (issue #15, docs/queue.md): the built CLI as child processes (workers, submitters)
 * against a private redis-server per test (test/support/redis-server.ts) on synthetic phantoms in a
 * temp folder. The reference is a local `extract --batch` of the same batch: the queue's CSV must
 * equal it byte for byte (same columns, rows, number formatting), also after a worker is killed
 * mid-batch or Redis restarts mid-run; a case submitted again is not computed again (the workers'
 * own counts, printed on exit); a failing case is reported with its ID and reason as locally; a
 * wrong or unreachable Redis is an error at once. Generous timeouts; no timing assertions.
 */
import assert from "node:assert/strict";
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Queue } from "bullmq";
import { generatePhantom } from "../src/image/phantom.js";
import { writeImageFile } from "../src/node/files.js";
import { parseRedisUrl } from "../src/node/queue/connection.js";
import { jobIdentity } from "../src/node/queue/identity.js";
import { decodeValue, encodeValue, KEY_PREFIX, queueName } from "../src/node/queue/keys.js";
import { isTransientError } from "../src/node/queue/worker.js";
import { RedisServer, redisSkipReason } from "./support/redis-server.js";

const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-queue-"));
const path = (name: string) => join(dir, name);
const read = (name: string) => readFileSync(path(name), "utf8");

function run(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 240_000 });
}

/** A child `radscore` process whose output is collected, and its exit. */
interface Child {
  process: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
}

const children: Child[] = [];

function start(...args: string[]): Child {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d.toString()));
  child.stderr!.on("data", (d) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const handle = { process: child, stderr: () => err, stdout: () => out, exit };
  children.push(handle);
  return handle;
}

/** A worker on one thread with a short lock period (a killed worker's jobs return in ~1 s). */
const startWorker = (url: string) =>
  start("worker", "--queue", url, "-j", "1", "--lock-ms", "1000");

/** Stops a worker as an operator would (SIGTERM) and returns how many cases it extracted. */
async function stopWorker(worker: Child): Promise<number> {
  // Once it is taking jobs (its signal handlers are in place then).
  await until("the worker to start", () => worker.stderr().includes("worker: taking jobs"));
  worker.process.kill("SIGTERM");
  // A worker that does not stop fails the test with its log (instead of hanging it).
  const timer = setTimeout(() => worker.process.kill("SIGKILL"), 120_000);
  const code = await worker.exit;
  clearTimeout(timer);
  assert.equal(code, 0, worker.stderr());
  const m = /worker: extracted (\d+) case\(s\)/.exec(worker.stderr());
  assert.ok(m, worker.stderr());
  return Number(m[1]);
}

/** Waits until `ready` is true (polling); fails after a generous time. */
async function until(what: string, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Jobs of this version's queue at `url` by state (zero counts while Redis is away). */
async function jobCounts(url: string): Promise<{ completed: number; active: number }> {
  const target = parseRedisUrl(url);
  const queue = new Queue(queueName(), {
    connection: { host: target.host, port: target.port, maxRetriesPerRequest: 1 },
    prefix: KEY_PREFIX,
  });
  queue.on("error", () => {});
  try {
    const counts = await queue.getJobCounts("completed", "active");
    return { completed: counts.completed ?? 0, active: counts.active ?? 0 };
  } catch {
    return { completed: 0, active: 0 };
  } finally {
    await queue.close().catch(() => {});
  }
}

/** Six different phantoms; batches list them (some twice) with IDs, one needing CSV quotes. */
const PHANTOMS = [1, 2, 3, 4, 5, 6];
const GOOD_ROWS = Array.from({ length: 10 }, (_, k) => {
  const p = PHANTOMS[k % PHANTOMS.length]!;
  return `${k === 9 ? '"c,10"' : `c${k + 1}`},image${p}.nrrd,mask${p}.nrrd`;
});

const skip = redisSkipReason();

before(async () => {
  for (const seed of PHANTOMS) {
    const { image, mask } = generatePhantom({
      seed,
      size: [32, 32, 12],
      spacing: [1, 1, 2],
      radiiMm: [4 + (seed % 4), 6, 6],
    });
    await writeImageFile(path(`image${seed}.nrrd`), image);
    await writeImageFile(path(`mask${seed}.nrrd`), mask);
    if (seed === 1)
      await writeImageFile(path("empty.nrrd"), { ...mask, data: new Uint8Array(mask.data.length) });
  }
  writeFileSync(path("good.csv"), ["ID,Image,Mask", ...GOOD_ROWS].join("\n"));
  // Four slower cases for the worker-kill test.
  for (const seed of [7, 8, 9, 10]) {
    const { image, mask } = generatePhantom({
      seed,
      size: [112, 112, 40],
      spacing: [1, 1, 1],
      radiiMm: [30 + seed, 30, 16],
    });
    await writeImageFile(path(`image${seed}.nrrd`), image);
    await writeImageFile(path(`mask${seed}.nrrd`), mask);
  }
  writeFileSync(
    path("slow.csv"),
    ["ID,Image,Mask", ...[7, 8, 9, 10].map((k) => `s${k},image${k}.nrrd,mask${k}.nrrd`)].join("\n"),
  );
  writeFileSync(
    path("slow.yaml"),
    "imageType:\n  Original: {}\n  LoG: {sigma: [1.0, 2.0, 3.0]}\n  Wavelet: {}\n" +
      "featureClass:\n  firstorder:\n  glcm:\n  glszm:\n",
  );
  // A case with an empty mask and one with a missing image among the good ones.
  writeFileSync(
    path("mixed.csv"),
    [
      "ID,Image,Mask",
      ...GOOD_ROWS.slice(0, 4),
      "bad,image1.nrrd,empty.nrrd",
      ...GOOD_ROWS.slice(6, 9),
      "missing,nothere.nrrd,mask1.nrrd",
    ].join("\n"),
  );
  writeFileSync(path("params.yaml"), "featureClass:\n  firstorder:\n  glcm:\n  shape:\n");
  const slowLocal = run(
    "extract",
    "--batch",
    path("slow.csv"),
    "-p",
    path("slow.yaml"),
    "-j",
    "1",
    "-o",
    path("slow-local.csv"),
  );
  assert.equal(slowLocal.status, 0, slowLocal.stderr);
  for (const batch of ["good", "mixed"]) {
    const local = run(
      "extract",
      "--batch",
      path(`${batch}.csv`),
      "-j",
      "1",
      "-o",
      path(`${batch}-local.csv`),
    );
    assert.ok(local.status === (batch === "good" ? 0 : 1), local.stderr);
    writeFileSync(path(`${batch}-local.stderr`), local.stderr);
  }
});

after(async () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("job identity, result encoding and error classes (no Redis)", () => {
  const base = { imageSha256: "a".repeat(64), maskSha256: "b".repeat(64), paramsSha256: null };
  const id = jobIdentity({ ...base, label: undefined });
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(jobIdentity({ ...base, label: undefined }), id);
  assert.notEqual(jobIdentity({ ...base, label: 1 }), id);
  assert.notEqual(jobIdentity({ ...base, label: undefined, paramsSha256: "c" }), id);
  assert.notEqual(jobIdentity({ ...base, label: undefined, version: "9.9.9" }), id);
  assert.notEqual(jobIdentity({ ...base, maskSha256: "a".repeat(64), label: undefined }), id);
  for (const v of [0.1 + 0.2, -3, 1e-300, Number.NaN, Infinity, -Infinity])
    assert.ok(Object.is(decodeValue(JSON.parse(JSON.stringify(encodeValue(v)))), v));
  assert.ok(isTransientError(Object.assign(new Error("read failed"), { code: "EIO" })));
  assert.ok(isTransientError(new Error("EMFILE: too many open files")));
  assert.ok(!isTransientError(new Error("/x.nrrd: file not found")));
  assert.ok(!isTransientError(new Error("label 2 not present in mask")));
  assert.throws(() => parseRedisUrl("http://x"), /redis:\/\/ or rediss:\/\//);
  assert.throws(() => parseRedisUrl("redis://h/x"), /database number/);
  const tls = parseRedisUrl("rediss://user:s%40cret@h.example:6380/2");
  assert.deepEqual(
    [tls.tls, tls.host, tls.port, tls.db, tls.username, tls.password],
    [true, "h.example", 6380, 2, "user", "s@cret"],
  );
  assert.ok(!tls.shown.includes("cret"), tls.shown);
  assert.equal(parseRedisUrl("redis://h", { RADSCORE_REDIS_PASSWORD: "pw" }).password, "pw");
});

test("a wrong URL or an unreachable Redis is an error at once", async () => {
  const closed = await RedisServerPort();
  for (const url of [
    `redis://127.0.0.1:${closed}`,
    "http://127.0.0.1:6379",
    "redis://127.0.0.1:1/x",
  ]) {
    const r = run("extract", "--batch", path("good.csv"), "--queue", url, "-o", path("never.csv"));
    assert.notEqual(r.status, 0, r.stderr);
    assert.equal(r.error, undefined, "the command must end by itself");
    assert.match(
      r.stderr,
      /^radscore: .*(cannot use Redis at|redis:\/\/ or rediss:\/\/|database number)/m,
    );
  }
  const unreachable = run(
    "extract",
    "--batch",
    path("good.csv"),
    "--queue",
    `redis://127.0.0.1:${closed}`,
  );
  assert.match(
    unreachable.stderr,
    new RegExp(`cannot use Redis at redis://127\\.0\\.0\\.1:${closed}.*ECONNREFUSED`),
  );
  const worker = run("worker", "--queue", `redis://127.0.0.1:${closed}`);
  assert.notEqual(worker.status, 0);
  assert.match(worker.stderr, /cannot use Redis at/);
});

/** A port nothing listens on (taken from the kernel, then released). */
async function RedisServerPort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 1));
    });
  });
}

describe("with a redis-server", { skip }, () => {
  test("two workers and a submitter equal the local batch; a duplicate run computes nothing; failed cases reported", {
    timeout: 600_000,
  }, async () => {
    const redis = await RedisServer.start();
    try {
      const url = redis.url;
      // Submitted before any worker: collect names what is missing.
      const detached = run(
        "extract",
        "--batch",
        path("mixed.csv"),
        "--queue",
        url,
        "--run",
        "mixed",
        "--detach",
      );
      assert.equal(detached.status, 0, detached.stderr);
      assert.match(detached.stderr, /run mixed: 9 case\(s\), 5 job\(s\)/);
      const early = run(
        "queue",
        "collect",
        "--queue",
        url,
        "--run",
        "mixed",
        "-o",
        path("early.csv"),
      );
      assert.notEqual(early.status, 0);
      assert.match(
        early.stderr,
        /run mixed is not finished: 8 of 9 case\(s\) still waiting or running \(c1, c2, c3, c4, bad, c7, c8, c9\)/,
      );
      const status = run("queue", "status", "--queue", url, "--run", "mixed");
      assert.equal(status.status, 0, status.stderr);
      assert.match(status.stdout, /run mixed \(9 case\(s\).*0 done, 1 failed, 8 waiting, 0 active/);

      const workers = [startWorker(url), startWorker(url)];
      const mixed = start(
        "extract",
        "--batch",
        path("mixed.csv"),
        "--queue",
        url,
        "--run",
        "mixed",
        "-o",
        path("mixed-queue.csv"),
      );
      assert.equal(await mixed.exit, 1, mixed.stderr());
      assert.equal(read("mixed-queue.csv"), read("mixed-local.csv"));
      // The failed cases with their IDs and the local run's reasons.
      const localFailures = read("mixed-local.stderr")
        .split("\n")
        .filter((l) => l.startsWith("  failed "));
      assert.equal(localFailures.length, 2);
      for (const line of localFailures) assert.ok(mixed.stderr().includes(line), mixed.stderr());
      assert.match(
        mixed.stderr(),
        /extracted 7 of 9 case\(s\) on the queue \(run mixed\); 2 failed/,
      );

      // The good batch: six distinct cases, four of them the mixed batch's (phantoms 1-4).
      const good = start(
        "extract",
        "--batch",
        path("good.csv"),
        "--queue",
        url,
        "-o",
        path("good-queue.csv"),
      );
      assert.equal(await good.exit, 0, good.stderr());
      assert.equal(read("good-queue.csv"), read("good-local.csv"));
      assert.match(good.stderr(), /6 job\(s\) .*\(2 added, 4 already done/);
      // The same batch again: nothing to compute.
      const again = start(
        "extract",
        "--batch",
        path("good.csv"),
        "--queue",
        url,
        "-o",
        path("good-again.csv"),
      );
      assert.equal(await again.exit, 0, again.stderr());
      assert.match(again.stderr(), /\(0 added, 6 already done, 0 already queued\)/);
      assert.equal(read("good-again.csv"), read("good-local.csv"));
      // Later collection of the finished run; status.
      const collected = run(
        "queue",
        "collect",
        "--queue",
        url,
        "--run",
        "mixed",
        "-o",
        path("collected.csv"),
      );
      assert.equal(collected.status, 1, collected.stderr);
      assert.equal(read("collected.csv"), read("mixed-local.csv"));
      const done = run("queue", "status", "--queue", url);
      assert.match(done.stdout, /2 worker\(s\)\n {2}jobs: 6 done, 1 failed, 0 waiting, 0 active/);
      assert.match(done.stdout, /runs: good-[0-9a-f]{8}, mixed/);

      // Every distinct good case extracted once, over both workers (the bad one once more: the
      // second submission of `mixed` retried it).
      const extracted = (await stopWorker(workers[0]!)) + (await stopWorker(workers[1]!));
      assert.equal(extracted, 6);
    } finally {
      await redis.stop();
    }
  });

  /** Submits the slow batch (about a second per case) to the queue at `url`, writing `output`. */
  const submitSlowBatch = (url: string, output: string) =>
    start(
      "extract",
      "--batch",
      path("slow.csv"),
      "-p",
      path("slow.yaml"),
      "--queue",
      url,
      "-o",
      path(output),
    );

  test("a worker killed mid-batch loses no case: another takes its jobs", {
    timeout: 600_000,
  }, async () => {
    const redis = await RedisServer.start();
    try {
      const url = redis.url;
      const doomed = startWorker(url);
      // Larger phantoms with filtered images (about a second each), so that the kill lands mid-case.
      const submitter = submitSlowBatch(url, "killed.csv");
      // Killed while it extracts a case (a job active: locked by this worker, being processed).
      await until("a case in progress", async () => (await jobCounts(url)).active >= 1);
      doomed.process.kill("SIGKILL");
      await doomed.exit;
      const rescuer = startWorker(url);
      assert.equal(await submitter.exit, 0, submitter.stderr());
      assert.equal(read("killed.csv"), read("slow-local.csv"));
      // The case in progress at least was recovered and extracted by the second worker.
      assert.ok((await stopWorker(rescuer)) >= 1);
    } finally {
      await redis.stop();
    }
  });

  test("Redis restarted mid-run (append-only file): the run completes with every row", {
    timeout: 600_000,
  }, async () => {
    const redis = await RedisServer.start();
    try {
      const url = redis.url;
      const worker = startWorker(url);
      const submitter = submitSlowBatch(url, "restart.csv");
      await until("a case in progress", async () => (await jobCounts(url)).active >= 1);
      await redis.restart(500);
      assert.equal(await submitter.exit, 0, submitter.stderr());
      assert.equal(read("restart.csv"), read("slow-local.csv"));
      await stopWorker(worker);
    } finally {
      await redis.stop();
    }
  });
});
