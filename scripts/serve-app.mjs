// `npm run app`: serves dist/app/ on 127.0.0.1 (loopback only: the data stays on this machine) and
// prints the URL. A plain static server: the app needs no special headers. Options: --port N
// (default 8177; 0 = any free port), --dir DIR (default dist/app).
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 && args[k + 1] !== undefined ? args[k + 1] : fallback;
};
const root = resolve(option("--dir", "dist/app"));
const port = Number(option("--port", "8177"));
if (!existsSync(join(root, "index.html"))) {
  console.error(`no app in ${root}: run 'npm run build:app' first`);
  process.exit(1);
}
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  if (
    !(file === root || file.startsWith(root + sep)) ||
    !existsSync(file) ||
    !statSync(file).isFile()
  ) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  createReadStream(file).pipe(res);
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`radscore app: http://127.0.0.1:${address.port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
