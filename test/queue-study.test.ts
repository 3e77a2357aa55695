/**
 * `extraction.queue: redis://...` in study.yaml (issue #15): the study's image / mask pairs are
 * extracted by a queue worker (a `radscore worker` process against a private redis-server) and the
 * study's features.csv equals that of the same study extracted locally, value for value; a second
 * run computes nothing on the worker (every pair is a finished job). A queue URL that is not a
 * Redis URL is a study.yaml error naming the key.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { parseStudyConfig } from "../src/study/config.js";
import { writeDemoDwiStudy } from "./support/demo-dwi-study.js";
import { RedisServer, redisSkipReason } from "./support/redis-server.js";

const cli = join(import.meta.dirname, "..", "cli", "main.cjs");

const studyYaml = (extraction: string) =>
  [
    "cohort:",
    "  manifest: manifest.csv",
    "  centre: centre",
    "  role: { byCentre: { training: ['1'], test: ['2'] } }",
    "  outcome: { column: mp, millerPayne: true }",
    "  sequences: { DWI: { image: DWI_image, mask: DWI_mask, params: params.yaml } }",
    "  clinical: { ki67_high: { type: binary, labels: [low, high] } }",
    `extraction: ${extraction}`,
    "selection: { fClassif: { p: 0.99 }, lasso: { folds: 3 } }",
    "clinical: { model: [ki67_high] }",
    "evaluation: { bootstrap: 5 }",
    "outputs: { report: false }",
    "",
  ].join("\n");

test("extraction.queue must be a Redis URL", () => {
  assert.throws(
    () => parseStudyConfig(studyYaml("{ queue: 'http://host:6379' }")),
    /extraction\.queue.*Redis URL/,
  );
});

test("a study extracted on the queue equals the local study", {
  skip: redisSkipReason(),
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-queue-study-"));
  const redis = await RedisServer.start();
  const worker = spawn(process.execPath, [cli, "worker", "--queue", redis.url, "-j", "1"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  worker.stderr!.on("data", (d) => (log += d.toString()));
  const exited = new Promise<number | null>((r) => worker.on("exit", (code) => r(code)));
  try {
    const patients = await writeDemoDwiStudy(dir, ["ki67_high"]);
    const runStudy = async (name: string, extraction: string) => {
      writeFileSync(join(dir, `${name}.yaml`), studyYaml(extraction));
      await runStudyFromConfig(join(dir, `${name}.yaml`), {
        out: join(dir, name),
        log: () => {},
        progress: false,
      });
      return readFileSync(join(dir, name, "features.csv"), "utf8");
    };
    const local = await runStudy("local", "{ cache: false, jobs: 1 }");
    const queued = await runStudy("queued", `{ cache: false, queue: '${redis.url}' }`);
    assert.equal(queued, local);
    const again = await runStudy("again", `{ cache: false, queue: '${redis.url}' }`);
    assert.equal(again, local);
    worker.kill("SIGTERM");
    assert.equal(await exited, 0, log);
    // Every pair once: the second run found them all done.
    assert.match(log, new RegExp(`worker: extracted ${patients.length} case\\(s\\), 0 failed`));
  } finally {
    worker.kill("SIGKILL");
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
