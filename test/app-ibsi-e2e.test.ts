/**
 * The web app's IBSI features panel (Viewer tab) end to end, in Debian's chromium driven by
 * playwright-core: a case folder of a generated NRRD image and mask opened through the Data tab,
 * the ready digital-phantom parameter file run on a worker while the page shows "running…", its
 * table, and its "Download CSV" byte for byte equal to `radscore extract IMAGE MASK -p
 * ibsi/digital-phantom.yaml --standard ibsi -f csv` run as a process on the same files; then the
 * user's own YAML files: a setting the parser rejects and a label the mask lacks give messages
 * that name them, and the panel still runs afterwards.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generatePhantom } from "../src/image/phantom.js";
import { parseCsv } from "../src/io/csv.js";
import { writeImageFile } from "../src/node/files.js";
import { downloaded } from "./support/app-compare.js";
import {
  type AppSession,
  chromiumPath,
  missingBrowser,
  openApp,
  openFolder,
  repoRoot,
} from "./support/browser.js";

const browserPath = chromiumPath();
const work = mkdtempSync(join(tmpdir(), "radscore-app-ibsi-"));
const folder = join(work, "ibsi-case");
const cli = join(repoRoot, "dist", "cli", "main.cjs");

/** Runs the panel with the chosen parameter file and waits until it is done or failed. */
async function runPanel(app: AppSession): Promise<string> {
  await app.page.click('[data-action="ibsi-run"]');
  await app.page.waitForFunction(() =>
    ["done", "error"].includes(
      document.querySelector<HTMLElement>('[data-role="ibsi"]')?.dataset.state ?? "",
    ),
  );
  return app.page.evaluate(
    () => document.querySelector<HTMLElement>('[data-role="ibsi"]')!.dataset.state!,
  );
}

/** Picks one of the user's own YAML files with the panel's file input and waits until it is chosen. */
async function chooseOwnConfig(app: AppSession, name: string, text: string): Promise<void> {
  const path = join(work, name);
  writeFileSync(path, text);
  await app.page.setInputFiles('[data-role="ibsi-config-file"]', path);
  await app.page.waitForFunction(
    (value) =>
      document.querySelector<HTMLSelectElement>('[data-role="ibsi-config"]')?.value === value,
    `own:${name}`,
  );
}

describe("web app IBSI features panel (chromium)", {
  skip: browserPath ? false : missingBrowser("web app IBSI panel e2e"),
}, () => {
  let app: AppSession;

  before(async () => {
    // The phantom of test/cli-ibsi.test.ts: a small ellipsoid ROI in a noisy 20 x 20 x 6 image.
    const { image, mask } = generatePhantom({
      seed: 3,
      size: [20, 20, 6],
      spacing: [1, 1, 2],
      radiiMm: [5, 5, 4],
    });
    mkdirSync(folder, { recursive: true });
    await writeImageFile(join(folder, "P1_image.nrrd"), image);
    await writeImageFile(join(folder, "P1_mask.nrrd"), mask);
    // A one-voxel ROI: many features are undefined (an empty CSV cell, a reason in the table).
    const oneVoxel = new Uint8Array(mask.data.length);
    oneVoxel[10 + 20 * (10 + 20 * 3)] = 1;
    await writeImageFile(join(folder, "P2_mask.nrrd"), { ...mask, data: oneVoxel });
    writeFileSync(
      join(folder, "manifest.csv"),
      "id,set,pcr,age,image,mask\nP1,training,1,50,P1_image.nrrd,P1_mask.nrrd\nP2,training,0,60,P1_image.nrrd,P2_mask.nrrd\n",
    );
    writeFileSync(
      join(folder, "study.yaml"),
      "cohort:\n  manifest: manifest.csv\n  role: { column: set }\n  outcome: { column: pcr }\n  clinical:\n    age: { type: continuous }\n  sequences:\n    CT: { image: image, mask: mask }\n",
    );
    app = await openApp(browserPath!);
    await openFolder(app, folder, "ibsi-case");
    await app.page.click('[data-tab="viewer"]');
  });

  after(async () => {
    await app?.close();
  });

  /** Opens `patient`'s CT in the viewer and waits until it is shown (not the previous case). */
  async function openCase(patient: string): Promise<void> {
    await app.page.selectOption('[data-role="case"]', `${patient}\tCT`);
    await app.page.waitForFunction(
      (title) =>
        document.querySelector<HTMLElement>('[data-role="viewer"]')?.dataset.state === "ready" &&
        document.querySelector(".rv-info h2")?.textContent === title,
      `${patient} CT`,
    );
  }

  /**
   * Runs ibsi/digital-phantom.yaml on `patient` in the panel and checks its CSV against the CLI's
   * on the same files, byte for byte, and its table against the CSV; returns the CSV's rows.
   */
  async function sameAsCli(patient: string, maskFile: string): Promise<string[][]> {
    const page = app.page;
    const cliRun = spawnSync(
      process.execPath,
      [
        cli,
        "extract",
        join(folder, "P1_image.nrrd"),
        join(folder, maskFile),
        "-p",
        join(repoRoot, "ibsi", "digital-phantom.yaml"),
        "--standard",
        "ibsi",
        "-f",
        "csv",
      ],
      { encoding: "buffer" },
    );
    assert.equal(cliRun.status, 0, String(cliRun.stderr));
    const expected = cliRun.stdout;

    await openCase(patient);
    await page.selectOption('[data-role="ibsi-config"]', "digital-phantom.yaml");
    await page.click('[data-action="ibsi-run"]');
    // The worker keeps the page responsive: the panel says it is running until the result comes.
    await page.waitForFunction(() =>
      ["running", "done"].includes(
        document.querySelector<HTMLElement>('[data-role="ibsi"]')?.dataset.state ?? "",
      ),
    );
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('[data-role="ibsi"]')?.dataset.state === "done",
      null,
      { timeout: 60_000 },
    );
    const file = await downloaded(app, '[data-action="ibsi-download"]', work);
    assert.equal(file.name, `${patient}_CT_ibsi_digital-phantom.csv`);
    assert.ok(
      readFileSync(file.path).equals(expected),
      `${patient}: the app's CSV differs from the CLI's`,
    );

    // The table shows every row of the CSV: tag, aggregation code and value (blank: undefined).
    const rows = parseCsv(expected.toString("utf8")).rows;
    assert.ok(rows.length > 100, `${rows.length} rows`);
    const shown = await page.$$eval('[data-role="ibsi-table"] tbody tr', (trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll("td"), (td) => td.firstChild?.textContent ?? ""),
      ),
    );
    assert.deepEqual(
      shown.map((r) => [r[0], r[1]]),
      rows.map((r) => [r[0], r[1]]),
    );
    for (let i = 0; i < rows.length; i++) {
      const where = `${patient}: ${rows[i]![0]} ${rows[i]![1]}`;
      if (rows[i]![2] === "") assert.equal(shown[i]![2], "", where);
      else assert.equal(Number(shown[i]![2]), Number(rows[i]![2]), where);
    }
    return rows;
  }

  test("the digital-phantom parameter file: table and CSV equal to the CLI's, byte for byte", {
    timeout: 120_000,
  }, async () => {
    const rows = await sameAsCli("P1", "P1_mask.nrrd");
    assert.ok(rows.every((r) => r[2] !== ""));
    // A one-voxel ROI: undefined features are blank cells in the CSV and carry their reason.
    const oneVoxel = await sameAsCli("P2", "P2_mask.nrrd");
    assert.ok(oneVoxel.some((r) => r[2] === ""));
    const reasons = await app.page
      .locator('[data-role="ibsi-table"] tr.ibsi-undefined')
      .allTextContents();
    assert.equal(reasons.length, oneVoxel.filter((r) => r[2] === "").length);
    assert.ok(
      reasons.every((t) => t.includes("undefined for this ROI: ")),
      reasons[0],
    );
    assert.deepEqual(app.errors, []);
  });

  test("the user's own YAML: a rejected setting and a label the mask lacks are messages", {
    timeout: 120_000,
  }, async () => {
    const page = app.page;
    await openCase("P1");
    const message = () => page.locator('[data-role="ibsi-error"]').textContent();

    await chooseOwnConfig(
      app,
      "bad-method.yaml",
      "standard: ibsi\ndiscretisation:\n  method: FBQ\n",
    );
    assert.equal(await runPanel(app), "error");
    assert.match(
      (await message()) ?? "",
      /bad-method\.yaml: discretisation\.method: must be one of/,
    );
    assert.equal(await page.locator('[data-role="ibsi-result"]').isVisible(), false);

    await chooseOwnConfig(
      app,
      "label-2.yaml",
      "standard: ibsi\nlabel: 2\nfamilies: [intensity_statistics]\n",
    );
    assert.equal(await runPanel(app), "error");
    assert.match((await message()) ?? "", /the mask has no ROI voxel \(label 2\)/);

    // Still alive: the same worker runs the next file.
    await chooseOwnConfig(
      app,
      "label-1.yaml",
      "standard: ibsi\nlabel: 1\nfamilies: [intensity_statistics]\n",
    );
    assert.equal(await runPanel(app), "done");
    assert.equal(await page.locator('[data-role="ibsi-error"]').isVisible(), false);
    assert.ok((await page.locator('[data-role="ibsi-table"] tbody tr').count()) > 10);
    assert.deepEqual(app.errors, []);
  });
});
