/**
 * Queue mode (issue #15, docs/queue.md), on demand: `npm run bench:queue`. Starts its own
 * redis-server (test/support/redis-server.ts) and measures, on synthetic phantoms in a temp folder:
 * - the queue's overhead per job against the local pool on the same cases: a submitter with one
 *   warm worker process on one thread against `extract --batch -j 1`, each as a user runs it (CLI
 *   start-up included), (queue - local) / cases (target <= 5 ms per job);
 * - throughput with 1 and 2 worker processes (one thread each) on the same cases;
 * - a simulated 10,000-case run of tiny synthetic cases (first-order features of an 8 x 8 x 4
 *   image) on 2 worker processes: submission time (hashing every file, adding the jobs), jobs per
 *   second end to end, and Redis memory per job (INFO memory before and after).
 * Every measurement uses a parameter file of its own (a comment line differs), so its jobs are new
 * (a job's id includes the parameter file's text) and are computed, not found done.
 * `node -e 0` is printed beside (this machine drifts). BENCH_QUEUE_CASES (default 200) and
 * BENCH_QUEUE_TINY (default 10000) change the sizes.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { generatePhantom } from "../src/image/phantom.js";
import { writeImageFile } from "../src/node/files.js";
import { haveRedisServer, RedisServer } from "../test/support/redis-server.js";

if (!haveRedisServer()) {
  console.log("bench: redis-server not found (apt-get install redis-server); nothing to measure");
  process.exit(1);
}
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const work = mkdtempSync(join(tmpdir(), "radscore-bench-queue-"));
const path = (name: string) => join(work, name);
const CASES = Number(process.env.BENCH_QUEUE_CASES ?? 200);
const TINY = Number(process.env.BENCH_QUEUE_TINY ?? 10_000);

/** Runs `radscore ARGS` to completion; seconds. */
function timedRun(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`radscore ${args.join(" ")} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

function nodeStart(): number {
  const times = Array.from({ length: 7 }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    return (performance.now() - t0) / 1000;
  }).sort((a, b) => a - b);
  return times[3]!;
}

/** Worker processes on one thread each; resolves once all are taking jobs. */
async function startWorkers(url: string, count: number): Promise<ChildProcess[]> {
  const workers = Array.from({ length: count }, () =>
    spawn(process.execPath, [cli, "worker", "--queue", url, "-j", "1"], {
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          let log = "";
          w.stderr!.on("data", (d) => {
            log += d.toString();
            if (log.includes("worker: taking jobs")) resolve();
          });
          w.on("exit", () => reject(new Error(`worker exited: ${log}`)));
        }),
    ),
  );
  return workers;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map((w) => {
      const exited = new Promise((r) => w.once("exit", r));
      w.kill("SIGTERM");
      return exited;
    }),
  );
}

let variant = 0;
/** A parameter file with its own text (new job ids), same settings. */
function paramsFile(settings: string): string {
  const file = path(`params-${++variant}.yaml`);
  writeFileSync(file, `# variant ${variant}\n${settings}`);
  return file;
}

const SETTINGS = "featureClass:\n  firstorder:\n  glcm:\n  glrlm:\n  shape:\n";

async function main(): Promise<void> {
  console.log(`node -e 0: ${nodeStart().toFixed(3)} s`);
  // Distinct phantoms (distinct jobs), 40 x 40 x 16 voxels.
  const rows = ["ID,Image,Mask"];
  for (let k = 1; k <= CASES; k++) {
    const { image, mask } = generatePhantom({
      seed: k,
      size: [40, 40, 16],
      spacing: [1, 1, 2],
      radiiMm: [8 + (k % 5), 8, 8],
    });
    await writeImageFile(path(`image${k}.nrrd`), image);
    await writeImageFile(path(`mask${k}.nrrd`), mask);
    rows.push(`c${k},image${k}.nrrd,mask${k}.nrrd`);
  }
  writeFileSync(path("cases.csv"), rows.join("\n"));
  const redis = await RedisServer.start();
  const url = redis.url;
  try {
    // Each configuration on the first half of the cases and on all of them: the difference is the
    // cost of CASES / 2 jobs without the fixed costs (start-up, connecting, the last poll).
    const half = Math.floor(CASES / 2);
    writeFileSync(path("half.csv"), rows.slice(0, half + 1).join("\n"));
    const localRun = (csv: string) =>
      timedRun([
        "extract",
        "--batch",
        path(csv),
        "-p",
        paramsFile(SETTINGS),
        "-j",
        "1",
        "-o",
        path("local.csv"),
      ]);
    const queueRun = async (csv: string, workers: number) => {
      const running = await startWorkers(url, workers);
      try {
        return timedRun([
          "extract",
          "--batch",
          path(csv),
          "-p",
          paramsFile(SETTINGS),
          "--queue",
          url,
          "-o",
          path("queue.csv"),
        ]);
      } finally {
        await stopWorkers(running);
      }
    };
    const local = { half: localRun("half.csv"), all: localRun("cases.csv") };
    const one = { half: await queueRun("half.csv", 1), all: await queueRun("cases.csv", 1) };
    const two = { half: await queueRun("half.csv", 2), all: await queueRun("cases.csv", 2) };
    const perJob = (t: { half: number; all: number }) => ((t.all - t.half) / (CASES - half)) * 1000;
    const line = (what: string, t: { half: number; all: number }) =>
      console.log(
        `  ${what.padEnd(34)} ${t.half.toFixed(3)} s / ${t.all.toFixed(3)} s; ${perJob(t).toFixed(2)} ms per case, ${(1000 / perJob(t)).toFixed(0)} cases/s; fixed ${(t.all - (perJob(t) * CASES) / 1000).toFixed(2)} s`,
      );
    console.log(
      `${half} / ${CASES} cases (40 x 40 x 16, firstorder + glcm + glrlm + shape), as a user runs them:`,
    );
    line("local extract --batch -j 1:", local);
    line("queue, 1 worker process (-j 1):", one);
    line("queue, 2 worker processes (-j 1):", two);
    console.log(
      `  queue overhead per job (1 worker against local, fixed costs apart): ${(perJob(one) - perJob(local)).toFixed(2)} ms (target <= 5 ms); end to end, all included: ${(((one.all - local.all) / CASES) * 1000).toFixed(2)} ms`,
    );

    // The simulated large run: TINY distinct tiny images (one voxel differs), one mask.
    const tiny = generatePhantom({
      seed: 1,
      size: [8, 8, 4],
      spacing: [1, 1, 1],
      radiiMm: [3, 3, 2],
    });
    await writeImageFile(path("tiny-mask.nrrd"), tiny.mask);
    const tinyRows = ["ID,Image,Mask"];
    for (let k = 0; k < TINY; k++) {
      const data = tiny.image.data.slice();
      data[0] = k;
      await writeImageFile(path(`tiny${k}.nrrd`), { ...tiny.image, data });
      tinyRows.push(`t${k},tiny${k}.nrrd,tiny-mask.nrrd`);
    }
    writeFileSync(path("tiny.csv"), tinyRows.join("\n"));
    const client = new Redis(redis.port, "127.0.0.1");
    await client.flushall();
    const usedMemory = async () =>
      Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1] ?? Number.NaN);
    const memoryBefore = await usedMemory();
    const tinyParams = paramsFile("featureClass:\n  firstorder:\n");
    const workers = await startWorkers(url, 2);
    let submit: number;
    let total: number;
    try {
      // Submitted detached, then the same run waited for (nothing added twice) and collected.
      const queued = [
        ...["extract", "--batch", path("tiny.csv"), "-p", tinyParams],
        ...["--queue", url, "--run", "tiny"],
      ];
      const t0 = performance.now();
      submit = timedRun([...queued, "--detach"]);
      timedRun([...queued, "-o", path("tiny-out.csv")]);
      total = (performance.now() - t0) / 1000;
    } finally {
      await stopWorkers(workers);
    }
    const memoryAfter = await usedMemory();
    client.disconnect();
    console.log(`${TINY} tiny cases (8 x 8 x 4, first order), 2 worker processes:`);
    console.log(
      `  submission (hash ${2 * TINY} file reads, add ${TINY} jobs): ${submit.toFixed(2)} s (${(TINY / submit).toFixed(0)} jobs/s)`,
    );
    console.log(
      `  end to end (submit, extract, write the CSV): ${total.toFixed(2)} s (${(TINY / total).toFixed(0)} jobs/s)`,
    );
    console.log(
      `  Redis memory: ${((memoryAfter - memoryBefore) / 2 ** 20).toFixed(1)} MB for ${TINY} finished jobs, ${((memoryAfter - memoryBefore) / TINY).toFixed(0)} bytes per job`,
    );
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
