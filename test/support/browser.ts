/**
 * End-to-end support: the built web app (dist/app) served by scripts/serve-app.mjs on a free
 * loopback port, and Debian's chromium driven by playwright-core (no browser download). Without
 * chromium the e2e tests skip loudly (.ci/run installs it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const repoRoot = join(import.meta.dirname, "..", "..", "..");
export const appDir = join(repoRoot, "dist", "app");

/** The chromium executable (RADSCORE_CHROMIUM, else Debian's), or null. */
export function chromiumPath(): string | null {
  const candidates = [
    process.env.RADSCORE_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

export function missingBrowser(what: string): string {
  return `SKIPPED ${what}: no chromium found (install Debian's chromium, or set RADSCORE_CHROMIUM)`;
}

export interface AppSession {
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page (and its workers) requested. */
  requests: string[];
  /** Page errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

export async function startServer(): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(
    process.execPath,
    [join(repoRoot, "scripts", "serve-app.mjs"), "--port", "0", "--dir", appDir],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    server.stdout!.on("data", (d: Buffer) => {
      text += String(d);
      const m = text.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    server.on("exit", (code) => reject(new Error(`app server exited (${code})`)));
  });
  return { url, server };
}

/** The app in a fresh browser profile; downloads allowed. */
export async function openApp(executablePath: string): Promise<AppSession> {
  const { url, server } = await startServer();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // As the machine notes say: no background networking (this machine has no network).
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return {
    url,
    browser,
    context,
    page,
    requests,
    errors,
    async close() {
      await browser.close();
      server.kill();
    },
  };
}

/**
 * Opens `folder` in a freshly loaded app through the Data tab's directory input, and waits until the
 * workspace names it (`shown`: a text the source summary then holds).
 */
export async function openFolder(app: AppSession, folder: string, shown: string): Promise<void> {
  const page = app.page;
  await page.goto(`${app.url}index.html`);
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  await page.click('[data-tab="data"]');
  await page.setInputFiles('[data-role="folder-input"]', folder);
  await page.waitForFunction(
    (text) => document.querySelector('[data-role="source"]')?.textContent?.includes(text),
    shown,
  );
}

/** Waits until the study run in the page finishes; throws with its message unless it is `done`. */
export async function waitForDone(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => ["done", "error"].includes(document.body.dataset.state ?? ""),
    null,
    { timeout },
  );
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== "done") {
    const error = await page.evaluate(() => document.body.dataset.error ?? "");
    throw new Error(`the study in the page ended '${state}': ${error}`);
  }
}

export { mkdtempSync, tmpdir };
