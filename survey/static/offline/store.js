// What the device keeps between pages, reloads and syncs, in IndexedDB:
// - "outbox": finished interviews, each sealed to the study key (seal.js) before it is written, with
//   its client-made UUID and the paradata the upload sends (languages, device class, start and end);
// - "drafts": the interview in progress, encrypted with AES-256-GCM under a key whose bytes live only
//   in this tab's sessionStorage (imported as a non-extractable CryptoKey). A reload within the
//   session resumes; once the session ends the draft is unreadable and is thrown away.
const DATABASE = "wetterau-offline";
const DRAFT_KEY = "wetterau-offline-draft-key";
const CURRENT = "current";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function request(operation) {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result);
    operation.onerror = () => reject(operation.error);
  });
}

let opened = null;

export function open() {
  if (!opened) {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore("outbox", { keyPath: "id" });
      opening.result.createObjectStore("drafts", { keyPath: "id" });
    };
    opened = request(opening);
  }
  return opened;
}

async function run(store, mode, action) {
  const database = await open();
  const transaction = database.transaction(store, mode);
  const completed = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
  const result = await request(action(transaction.objectStore(store)));
  await completed;
  return result;
}

export const outbox = {
  add: (record) => run("outbox", "readwrite", (store) => store.put(record)),
  all: () => run("outbox", "readonly", (store) => store.getAll()),
  remove: (id) => run("outbox", "readwrite", (store) => store.delete(id)),
};

function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

async function draftKey(create) {
  let raw = sessionStorage.getItem(DRAFT_KEY);
  if (!raw) {
    if (!create) return null;
    raw = toBase64(crypto.getRandomValues(new Uint8Array(32)));
    sessionStorage.setItem(DRAFT_KEY, raw);
  }
  return crypto.subtle.importKey("raw", fromBase64(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function saveDraft(state) {
  const key = await draftKey(true);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(`wetterau-offline draft\u0000${state.id}`) },
    key,
    encoder.encode(JSON.stringify(state)),
  );
  await run("drafts", "readwrite", (store) => store.put({ id: CURRENT, interview: state.id, iv, data }));
}

// The draft of this session, or null (none, or sealed under a key of an ended session: dropped).
export async function openDraft() {
  const stored = await run("drafts", "readonly", (store) => store.get(CURRENT));
  if (!stored) return null;
  const key = await draftKey(false);
  try {
    if (!key) throw new Error("the session that made this draft has ended");
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: stored.iv,
        additionalData: encoder.encode(`wetterau-offline draft\u0000${stored.interview}`),
      },
      key,
      stored.data,
    );
    return JSON.parse(decoder.decode(plain));
  } catch {
    await dropDraft();
    return null;
  }
}

export function dropDraft() {
  return run("drafts", "readwrite", (store) => store.delete(CURRENT));
}

// Everything this device keeps for offline interviews: caches, the database, the draft key and the
// service worker. app.js calls it only when nothing is waiting that is neither uploaded nor saved.
export async function wipe() {
  sessionStorage.removeItem(DRAFT_KEY);
  for (const name of await caches.keys()) await caches.delete(name);
  if (opened) (await opened).close();
  opened = null;
  await request(indexedDB.deleteDatabase(DATABASE));
  const registrations = navigator.serviceWorker ? await navigator.serviceWorker.getRegistrations() : [];
  for (const registration of registrations) await registration.unregister();
}
