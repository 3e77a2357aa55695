/**
 * The web app end to end, in a real browser (Debian's chromium driven by playwright-core),
 * served from dist/app by scripts/serve-app.mjs as a user would: the `?demo=1&seed=N` contract
 * against `radscore demo --seed N` run as a process (features.csv, features-reader2.csv and the
 * numbers of Tables 3 and 4 identical), no main-thread task over 200 ms during the run, every
 * request to the app's own origin, a reload keeping the workspace, a polygon drawn with the mouse
 * giving the expected saved mask, and a broken file giving a message instead of a dead page.
 * With RADSCORE_SCREENSHOTS=1 the run also writes the README's screenshots (docs/screenshots).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { writeDemoDicomCohort } from "../src/cli/demo.js";
import { parseParams } from "../src/extract/params.js";
import { extractVoxelMaps } from "../src/extract/voxel.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { readImageFile } from "../src/node/files.js";
import { generateDemoImages } from "../src/study/demo-cohort.js";
import {
  demoParamsYaml,
  demoStudyConfig,
  planDemoCohort,
  toYaml,
} from "../src/study/demo-study.js";
import { assertClose, assertSameTable, closeNumbers, downloaded } from "./support/app-compare.js";
import {
  type AppSession,
  chromiumPath,
  missingBrowser,
  openApp,
  openFolder,
  repoRoot,
  waitForDone,
} from "./support/browser.js";

const SEED = 7;
const browserPath = chromiumPath();
const work = mkdtempSync(join(tmpdir(), "radscore-app-e2e-"));
const screenshots =
  process.env.RADSCORE_SCREENSHOTS === "1"
    ? join(repoRoot, "docs", "screenshots")
    : join(work, "screenshots");
mkdirSync(screenshots, { recursive: true });

/**
 * Where the axial canvas draws voxel (u, v): clientX = left + ox + u sx, clientY = top + oy + v sy
 * (the viewer's data-* hooks), and the slice it shows.
 */
async function axialGeometry(page: AppSession["page"]) {
  return page.locator('canvas[data-plane="axial"]').evaluate((c) => {
    const r = c.getBoundingClientRect();
    const d = (c as HTMLCanvasElement).dataset;
    return {
      left: r.left,
      top: r.top,
      slice: Number(d.slice),
      sx: Number(d.scaleX),
      sy: Number(d.scaleY),
      ox: Number(d.originX),
      oy: Number(d.originY),
    };
  });
}

describe("web app (chromium)", {
  skip: browserPath ? false : missingBrowser("web app e2e"),
}, () => {
  let app: AppSession;
  before(async () => {
    app = await openApp(browserPath!);
    // Main-thread long tasks and the times the page's state changed (see app/src/main.ts).
    await app.page.addInitScript(() => {
      const w = window as unknown as {
        __longTasks: { start: number; duration: number }[];
        __states: { state: string; at: number }[];
      };
      w.__longTasks = [];
      w.__states = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
      document.addEventListener("DOMContentLoaded", () => {
        new MutationObserver(() =>
          w.__states.push({ state: document.body.dataset.state ?? "", at: performance.now() }),
        ).observe(document.body, { attributes: true, attributeFilter: ["data-state"] });
      });
    });
  });
  after(async () => {
    await app?.close();
  });

  test(`?demo=1&seed=${SEED} runs the whole study and equals radscore demo --seed ${SEED}`, {
    timeout: 600_000,
  }, async () => {
    const cliOut = join(work, "cli-demo");
    const cli = spawnSync(
      process.execPath,
      [join(repoRoot, "dist", "cli", "main.cjs"), "demo", "--out", cliOut, "--seed", String(SEED)],
      {
        encoding: "utf8",
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const page = app.page;
    await page.goto(`${app.url}index.html?demo=1&seed=${SEED}`);
    await waitForDone(page, 300_000);

    // The report is in the page, with Table 3 (AUC values as the CLI's result.json).
    const reportText = (await page.locator('[data-role="report"]').textContent()) ?? "";
    assert.match(reportText, /Table 3/);
    const cliResult = JSON.parse(readFileSync(join(cliOut, "result.json"), "utf8"));
    for (const row of cliResult.table3 as { auc: number }[])
      assert.ok(reportText.includes(row.auc.toFixed(3)), `AUC ${row.auc.toFixed(3)} shown`);
    await page.screenshot({ path: join(screenshots, "report.png") });

    // Downloads equal the CLI's files: the same names, patients and columns, and the same numbers
    // up to the last bits, because Chromium's V8 and Node 20's compute Math.log / pow / exp with
    // different libm code (last-bit differences in about 1 in 10 results, measured).
    for (const name of ["features.csv", "features-reader2.csv", "predictions.csv"]) {
      const file = await downloaded(app, `[data-download="${name}"]`, work);
      assert.equal(file.name, name);
      assertSameTable(
        readFileSync(file.path, "utf8"),
        readFileSync(join(cliOut, name), "utf8"),
        name,
      );
    }
    const result = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="result.json"]', work)).path, "utf8"),
    );
    assertClose(result.table3, cliResult.table3, "table3");
    assertClose(result.table4, cliResult.table4, "table4");
    assertClose(result.selectedFeatures, cliResult.selectedFeatures, "selectedFeatures");
    const model = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="model.json"]', work)).path, "utf8"),
    );
    const cliModel = JSON.parse(readFileSync(join(cliOut, "model.json"), "utf8"));
    assertClose(model.features, cliModel.features, "model.features");
    assertClose(model.radscore, cliModel.radscore, "model.radscore");
    assertClose(model.nomogram, cliModel.nomogram, "model.nomogram");

    // Responsive during the run: no main-thread task over 200 ms between start and finish.
    const { tasks, states } = await page.evaluate(() => {
      const w = window as unknown as {
        __longTasks: { start: number; duration: number }[];
        __states: { state: string; at: number }[];
      };
      return { tasks: w.__longTasks, states: w.__states };
    });
    const started = states.find((s) => s.state === "running")?.at;
    const finished = states.find((s) => s.state === "done")?.at;
    assert.ok(started !== undefined && finished !== undefined, JSON.stringify(states));
    const during = tasks.filter((t) => t.start >= started && t.start < finished);
    const longest = Math.max(0, ...during.map((t) => t.duration));
    assert.ok(longest <= 200, `longest main-thread task during the run: ${longest.toFixed(0)} ms`);

    // Nothing left the app's origin.
    const foreign = app.requests.filter(
      (u) => !u.startsWith(app.url) && !u.startsWith("blob:") && !u.startsWith("data:"),
    );
    assert.deepEqual(foreign, []);
    assert.deepEqual(app.errors, []);
  });

  test("a reload keeps the workspace (source, settings and results)", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    await page.goto(`${app.url}index.html`);
    await page.waitForFunction(() => document.body.dataset.state === "ready");
    assert.match((await page.locator('[data-role="report"]').textContent()) ?? "", /Table 3/);
    await page.click('[data-tab="data"]');
    assert.match(
      (await page.locator('[data-role="source"]').textContent()) ?? "",
      new RegExp(`seed ${SEED}\\b`),
    );
    await page.click('[data-tab="study"]');
    await page.waitForSelector('[data-role="validation"][data-state="ready"]');
    await page.screenshot({ path: join(screenshots, "study.png") });
  });

  test("the nomogram calculator gives predictions.csv's probability for a test patient", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    await page.click('[data-tab="nomogram"]');
    await page.click('[data-action="use-study-model"]');
    const cliOut = join(work, "cli-demo");
    const model = JSON.parse(readFileSync(join(cliOut, "model.json"), "utf8")) as {
      radscoreName: string;
      nomogram: { predictors: { name: string; type: string }[] };
    };
    const csv = (file: string) => {
      const [header, ...rows] = readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(","));
      return rows.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
    };
    const manifest = csv(join(cliOut, "cohort", "manifest.csv")).find((r) => r.id === "P069")!;
    const predicted = csv(join(cliOut, "predictions.csv")).find((r) => r.ID === "P069")!;
    for (const p of model.nomogram.predictors) {
      const value = p.name === model.radscoreName ? predicted.radscore! : manifest[p.name]!;
      const field = page.locator(`[data-field="${p.name}"]`);
      if (p.type === "factor") await field.locator("select").selectOption(value);
      else await field.locator('input[inputmode="decimal"]').fill(value);
    }
    const probability = Number(
      await page.locator('[data-role="probability"]').getAttribute("data-value"),
    );
    assert.ok(
      closeNumbers(probability, Number(predicted.p_nomogram)),
      `${probability} vs ${predicted.p_nomogram}`,
    );
    await page.screenshot({ path: join(screenshots, "nomogram.png") });
    // The Rad-score from the patient's images and masks instead, extracted in the page with the
    // model's parameters.
    await page.check('input[name="nomo-radmode"][value="images"]');
    for (const sequence of ["T2", "DWI", "DCE2"]) {
      for (const kind of ["image", "mask"]) {
        await page.setInputFiles(
          `input[data-sequence="${sequence}"][data-kind="${kind}"]`,
          join(cliOut, "cohort", "images", `P069_${sequence}_${kind}.nrrd`),
        );
      }
    }
    await page.click('[data-action="extract-features"]');
    await page.waitForSelector('[data-role="radscore"][data-value]', { timeout: 60_000 });
    const radscore = Number(
      await page.locator('[data-role="radscore"]').getAttribute("data-value"),
    );
    assert.ok(
      closeNumbers(radscore, Number(predicted.radscore)),
      `Rad-score ${radscore} vs ${predicted.radscore}`,
    );
    const fromImages = Number(
      await page.locator('[data-role="probability"]').getAttribute("data-value"),
    );
    assert.ok(
      closeNumbers(fromImages, Number(predicted.p_nomogram)),
      `${fromImages} vs ${predicted.p_nomogram}`,
    );
  });

  test("a polygon drawn with the mouse gives the expected saved mask", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    await page.click('[data-tab="viewer"]');
    // P069 is a test patient: no second reader, so reader 2's mask starts empty.
    await page.selectOption('[data-role="case"]', "P069\tT2");
    await page.waitForSelector('[data-role="viewer"][data-state="ready"]');
    await page.selectOption('[data-role="reader"]', "2");
    await page.click('[data-tool="polygon"]');
    const geometry = await axialGeometry(page);
    const at = (u: number, v: number) => ({
      x: geometry.left + geometry.ox + u * geometry.sx,
      y: geometry.top + geometry.oy + v * geometry.sy,
    });
    // Vertices on voxel corners: the voxels whose centres are inside are x 20..29, y 24..31.
    const vertices: [number, number][] = [
      [19.5, 23.5],
      [29.5, 23.5],
      [29.5, 31.5],
      [19.5, 31.5],
    ];
    for (const [u, v] of vertices) {
      const p = at(u, v);
      await page.mouse.click(p.x, p.y);
    }
    const first = at(19.5, 23.5);
    await page.mouse.dblclick(first.x, first.y);
    await page.keyboard.press("Enter");
    await page.screenshot({ path: join(screenshots, "viewer.png") });
    const saved = await downloaded(app, '[data-action="save-nrrd"]', work);
    const mask = await readImageFile(saved.path);
    assert.deepEqual([...mask.size], [56, 56, 14]);
    const expected = new Set<number>();
    for (let y = 24; y <= 31; y++)
      for (let x = 20; x <= 29; x++) expected.add(x + 56 * (y + 56 * geometry.slice));
    const got = new Set<number>();
    mask.data.forEach((value, k) => {
      if (value !== 0) got.add(k);
    });
    assert.equal(
      got.size,
      expected.size,
      `80 voxels expected on slice ${geometry.slice}, got ${got.size}`,
    );
    for (const k of expected) assert.ok(got.has(k), `voxel ${k} in the saved mask`);
  });

  test("a voxel-based feature map shown over the image holds the library's values", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    await page.click('[data-tab="viewer"]');
    await page.selectOption('[data-role="case"]', "P001\tT2");
    await page.waitForSelector('[data-role="viewer"][data-state="ready"]');
    await page.selectOption('[data-role="reader"]', "1");
    await page.selectOption('[data-role="map-feature"]', "firstorder_Mean");
    await page.selectOption('[data-role="map-radius"]', "1");
    await page.click('[data-action="compute-map"]');
    await page.waitForSelector('[data-role="viewer"][data-map-state="ready"]', { timeout: 60_000 });
    // The expected map: the library on the generator's image and mask with the demo's parameters.
    const planned = planDemoCohort(SEED, ["P001"])[0]!;
    const images = generateDemoImages(planned.patient, "T2", {
      secondReader: planned.secondReader,
    });
    const params = parseParams(demoParamsYaml(), FEATURE_CATALOGUE);
    params.imageTypes = [{ name: "Original", settings: {} }];
    params.featureClasses = [{ name: "firstorder", features: ["Mean"] }];
    params.voxelSettings = { kernelRadius: 1 };
    const [expected] = extractVoxelMaps(images.image, images.mask, params);
    // The legend names the feature and spans a range inside the map's values (initValue 0 outside
    // the ROI included): its 1st-99th percentiles.
    const legend = page.locator('[data-role="map-legend"]');
    assert.equal(await legend.isVisible(), true);
    assert.equal(await legend.getAttribute("data-feature"), "firstorder_Mean");
    const legendLo = Number(await legend.getAttribute("data-min"));
    const legendHi = Number(await legend.getAttribute("data-max"));
    let mapMin = 0;
    let mapMax = 0;
    for (const v of expected!.map.data) {
      if (v < mapMin) mapMin = v;
      if (v > mapMax) mapMax = v;
    }
    assert.ok(
      mapMin <= legendLo && legendLo < legendHi && legendHi <= mapMax,
      `legend ${legendLo}-${legendHi}, map values ${mapMin}-${mapMax}`,
    );
    // An ROI voxel on the displayed axial slice (the T2 ROI is its largest slice only).
    await page.click('[data-action="largest-slice"]');
    const g = await axialGeometry(page);
    const [nx, ny] = images.image.size;
    let voxel = -1;
    for (let k = nx * ny * g.slice; k < nx * ny * (g.slice + 1) && voxel < 0; k++)
      if (images.mask.data[k] !== 0) voxel = k;
    assert.ok(voxel >= 0, `an ROI voxel on slice ${g.slice}`);
    const x = voxel % nx;
    const y = Math.floor(voxel / nx) % ny;
    await page.mouse.move(g.left + g.ox + x * g.sx, g.top + g.oy + y * g.sy);
    const shown = Number(await page.locator('[data-role="status"]').getAttribute("data-map-value"));
    const { lower } = expected!.bounds;
    const [mx, my] = expected!.map.size;
    const want =
      expected!.map.data[x - lower[0] + mx * (y - lower[1] + my * (g.slice - lower[2]))]!;
    assert.ok(
      closeNumbers(shown, want),
      `map value at (${x}, ${y}, ${g.slice}): ${shown} vs ${want}`,
    );
    await page.screenshot({ path: join(screenshots, "feature-map.png") });
  });

  test("a cohort folder of NRRD files (the CLI demo's own) runs in the page and equals the CLI", {
    timeout: 600_000,
  }, async () => {
    const page = app.page;
    const cliOut = join(work, "cli-demo");
    // The folder radscore demo wrote: study.yaml, params.yaml and cohort/ (manifest and NRRDs).
    await openFolder(app, cliOut, "cohort/manifest.csv");
    await page.click('[data-tab="study"]');
    await page.click('[data-action="run"]');
    await waitForDone(page, 300_000);
    const features = await downloaded(app, '[data-download="features.csv"]', work);
    assertSameTable(
      readFileSync(features.path, "utf8"),
      readFileSync(join(cliOut, "features.csv"), "utf8"),
      "features.csv",
    );
    const result = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="result.json"]', work)).path, "utf8"),
    );
    const cliResult = JSON.parse(readFileSync(join(cliOut, "result.json"), "utf8"));
    assertClose(result.table3, cliResult.table3, "table3");
    assertClose(result.table4, cliResult.table4, "table4");
  });

  test("a study from a feature table (no images) equals radscore study on the same table", {
    timeout: 180_000,
  }, async () => {
    const page = app.page;
    const cliOut = join(work, "cli-demo");
    const folder = join(work, "table-study");
    mkdirSync(folder, { recursive: true });
    for (const name of ["features.csv", "features-reader2.csv"])
      writeFileSync(join(folder, name), readFileSync(join(cliOut, name)));
    writeFileSync(
      join(folder, "manifest.csv"),
      readFileSync(join(cliOut, "cohort", "manifest.csv")),
    );
    // The demo's study.yaml with the feature tables in place of the images.
    const config = demoStudyConfig() as { cohort: Record<string, unknown> };
    const { sequences: _images, ...cohort } = config.cohort;
    const tableConfig = {
      ...config,
      cohort: { ...cohort, manifest: "manifest.csv" },
      features: {
        table: "features.csv",
        reader2Table: "features-reader2.csv",
        sequences: ["T2", "DWI", "DCE2"],
      },
    };
    writeFileSync(join(folder, "study.yaml"), toYaml(tableConfig));
    const cli = spawnSync(
      process.execPath,
      [
        join(repoRoot, "dist", "cli", "main.cjs"),
        "study",
        join(folder, "study.yaml"),
        "--out",
        join(work, "table-cli"),
      ],
      { encoding: "utf8" },
    );
    assert.equal(cli.status, 0, cli.stderr);
    await openFolder(app, folder, "table-study");
    await page.click('[data-tab="study"]');
    await page.click('[data-action="run"]');
    await waitForDone(page, 120_000);
    const result = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="result.json"]', work)).path, "utf8"),
    );
    const cliResult = JSON.parse(readFileSync(join(work, "table-cli", "result.json"), "utf8"));
    assertClose(result.table3, cliResult.table3, "table3");
    assertClose(result.table4, cliResult.table4, "table4");
    assertClose(result.selectedFeatures, cliResult.selectedFeatures, "selectedFeatures");
  });

  test("a DICOM cohort (series folders, SEG masks, phase and b-value selectors) opens in the viewer", {
    timeout: 180_000,
  }, async () => {
    const page = app.page;
    const folder = join(work, "dicom-cohort");
    // Two patients of the demo cohort as the scanners export them (cohort-dicom/, study-dicom.yaml).
    await writeDemoDicomCohort(folder, SEED, () => {}, { patients: ["P001", "P069"] });
    await openFolder(app, folder, "dicom-cohort");
    await page.click('[data-tab="viewer"]');
    const patient = planDemoCohort(SEED, ["P001"])[0]!;
    for (const sequence of ["DCE2", "DWI"] as const) {
      await page.selectOption('[data-role="case"]', `P001\t${sequence}`);
      await page.selectOption('[data-role="reader"]', "1");
      await page.waitForSelector('[data-role="viewer"][data-state="ready"]');
      const text = (await page.locator('[data-role="viewer"]').textContent()) ?? "";
      // The generator's own image and mask (not read back from DICOM) give the expected figures.
      const images = generateDemoImages(patient.patient, sequence, {
        secondReader: patient.secondReader,
      });
      const expectedVoxels = images.mask.data.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
      assert.ok(
        text.includes(`${images.image.size.join(" × ")} voxels`),
        `${sequence} size ${images.image.size.join(" × ")} in: ${text}`,
      );
      const shown = text.match(/Reader 1[^0-9]*?(\d+) voxels/);
      assert.equal(Number(shown?.[1]), expectedVoxels, `${sequence} reader 1 SEG voxels`);
    }
    assert.deepEqual(app.errors, []);
  });

  test("the study form and a broken file: a message, not a dead page", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    const folder = join(work, "broken-cohort");
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, "manifest.csv"),
      "id,set,pcr,age,image,mask\nP1,training,1,50,P1_image.nrrd,P1_mask.nrrd\nP2,training,0,55,P1_image.nrrd,P1_mask.nrrd\nP3,test,1,60,P1_image.nrrd,P1_mask.nrrd\nP4,test,0,65,P1_image.nrrd,P1_mask.nrrd\n",
    );
    writeFileSync(
      join(folder, "P1_image.nrrd"),
      "NRRD0004\ntype: short\ndimension: 3\nsizes: 10 10\n\n",
    );
    writeFileSync(join(folder, "P1_mask.nrrd"), "not an image at all");
    writeFileSync(
      join(folder, "study.yaml"),
      "cohort:\n  manifest: manifest.csv\n  role: { column: set }\n  outcome: { column: pcr }\n  clinical:\n    age: { type: continuous }\n  sequences:\n    T2: { image: image, mask: mask }\n",
    );
    await openFolder(app, folder, "broken-cohort");
    await page.click('[data-tab="study"]');
    await page.click('[data-action="run"]');
    await page.waitForFunction(() => document.body.dataset.state === "error");
    const message = (await page.locator('[data-role="error"]').textContent()) ?? "";
    assert.match(message, /P1_image\.nrrd/);
    // Still alive: the tabs respond.
    await page.click('[data-tab="data"]');
    assert.equal(await page.locator('[data-panel="data"]').isVisible(), true);
  });
  test("cancel stops the run at once; the next run resumes with the finished images", {
    timeout: 600_000,
  }, async () => {
    const page = app.page;
    // A seed no earlier test ran, so that nothing is in the feature store yet.
    await page.goto(`${app.url}index.html?demo=1&seed=3`);
    await page.waitForFunction(
      () => {
        const m = document
          .querySelector('[data-role="progress-text"]')
          ?.textContent?.match(/extraction: (\d+) \//);
        return m !== null && m !== undefined && Number(m[1]) >= 30;
      },
      null,
      { timeout: 300_000 },
    );
    await page.click('[data-action="cancel"]');
    await page.waitForFunction(() => document.body.dataset.state === "cancelled");
    assert.match(
      (await page.locator('[data-role="progress-text"]').textContent()) ?? "",
      /cancelled/,
    );
    await page.click('[data-action="run"]');
    // Jobs are handed out in order, so the first ones answered are the finished ones.
    await page.waitForFunction(
      () => {
        const m = document
          .querySelector('[data-role="progress-text"]')
          ?.textContent?.match(/extraction: (\d+) \//);
        return m !== null && m !== undefined && Number(m[1]) >= 45;
      },
      null,
      { timeout: 300_000 },
    );
    const text = (await page.locator('[data-role="progress-text"]').textContent()) ?? "";
    const resumed = Number(text.match(/\((\d+) from earlier runs\)/)?.[1]);
    assert.ok(resumed >= 30, `resumed with ${resumed} images from the cancelled run: ${text}`);
    await waitForDone(page, 300_000);
  });
  test("clear workspace deletes everything the app kept", { timeout: 60_000 }, async () => {
    const page = app.page;
    await page.goto(`${app.url}index.html`);
    await page.waitForFunction(() => document.body.dataset.state === "ready");
    await page.click('[data-tab="data"]');
    page.once("dialog", (dialog) => void dialog.accept());
    await Promise.all([page.waitForEvent("load"), page.click('[data-action="clear-workspace"]')]);
    await page.waitForFunction(() => document.body.dataset.state === "ready");
    assert.equal(await page.locator('[data-role="source"]').count(), 0);
    assert.equal(await page.locator('[data-role="report"]').count(), 0);
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open("radscore-workspace");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const req = db.transaction(store).objectStore(store).count();
          req.onsuccess = () => resolve(req.result);
        });
      return [
        await count("workspace"),
        await count("files"),
        await count("features"),
        await count("masks"),
      ];
    });
    assert.deepEqual(stored, [0, 0, 0, 0]);
  });
});
