/**
 * The app's local store (IndexedDB, database "radscore-workspace"): works in the page and in
 * workers alike. Stores: "workspace" (the workspace record: mapping, settings, results), "masks"
 * (drawn masks by case and reader), "files" (opened files, so a reload keeps them), "features"
 * (extracted features by case, parameters and version: finished cases survive a cancel or a
 * reload). Nothing here ever leaves the machine.
 */
const DB_NAME = "radscore-workspace";
const DB_VERSION = 1;
export const STORES = ["workspace", "masks", "files", "features"] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | null = null;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

/** The database (opened once per page or worker). */
export function openStore(): Promise<IDBDatabase> {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === "undefined") {
        reject(new Error("this browser has no IndexedDB: the workspace cannot be kept"));
        return;
      }
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        for (const name of STORES)
          if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error("cannot open IndexedDB"));
      req.onblocked = () =>
        reject(new Error("the workspace is open in another tab being upgraded"));
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

export async function getItem<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await openStore();
  return request(db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
}

export async function putItem(store: StoreName, key: string, value: unknown): Promise<void> {
  const db = await openStore();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).put(value, key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB write failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB write aborted (disk full?)"));
  });
}

export async function deleteItem(store: StoreName, key: string): Promise<void> {
  const db = await openStore();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB delete failed"));
  });
}

/** Every key of a store. */
export async function keysOf(store: StoreName): Promise<string[]> {
  const db = await openStore();
  return (await request(db.transaction(store).objectStore(store).getAllKeys())).map(String);
}

/** Deletes everything the app stored ("clear workspace"). */
export async function clearAll(): Promise<void> {
  const db = await openStore();
  const tx = db.transaction([...STORES], "readwrite");
  for (const s of STORES) tx.objectStore(s).clear();
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB clear failed"));
  });
}
