// Offline interviews on an interviewer's device: prepare (cache what the pages need), run interviews
// with the server's skip logic and validation (flow.js), seal each finished one to the study key
// (seal.js) before it is stored (store.js), upload the outbox once online, save it as a file, and
// clear the device on sign-out only when nothing is left unsent and unsaved.
import { prepare as prepareLogic, readPage, savePage, visibleQuestions, walk } from "./flow.js";
import { summaryWithMembers } from "./members.js";
import { answerDisplay } from "./pipes.js";
import { answerable } from "./questions.js";
import { readPublicKey, sealResponse, toBase64 } from "./seal.js";
import { h, direction, fieldsOf, plainSpan, questionPage, textSpan, ui } from "./render.js";
import { findPage, pageAnswers, pipeSources, removeMember } from "./rosters.js";
import { dropDraft, openDraft, outbox, saveDraft, wipe } from "./store.js";

const root = document.getElementById("app");
const urls = { ...root.dataset };
const PREPARED = new URL("prepared.json", new URL(urls.home, location.href)).href;
const BATCH = 20;
const FILE_FORMAT = "wetterau-survey-outbox";

let device = null; // what /offline/device answered (online and signed in), else null
let signedOut = false;
let state = null; // the interview in progress
let note = null; // [kind, text] shown once on the home screen

// --- what the device keeps ------------------------------------------------------------------------

async function cachedJson(url) {
  const found = await caches.match(url);
  return found ? found.json() : null;
}

async function preparedSet() {
  return (await cachedJson(PREPARED)) || { questionnaires: [], languages: [], interviewerLanguage: "" };
}

const loaded = new Map();

async function questionnaire(entry) {
  if (!loaded.has(entry.id)) {
    const data = await cachedJson(entry.url);
    loaded.set(entry.id, { ...data, flow: prepareLogic(data.logic) });
  }
  return loaded.get(entry.id);
}

async function studyKey() {
  return readPublicKey(await cachedJson(new URL(urls.key, location.href).href));
}

async function checkDevice() {
  device = null;
  signedOut = false;
  if (!navigator.onLine) return;
  try {
    const answer = await fetch(urls.device, { redirect: "manual", cache: "no-store" });
    if (answer.type === "opaqueredirect" || answer.status === 401 || answer.status === 403) signedOut = true;
    else if (answer.ok) device = await answer.json();
  } catch {
    device = null; // no connection after all
  }
}

// --- page frame -----------------------------------------------------------------------------------

function context(data, lang, interviewerLanguage, pageLanguage) {
  return {
    lang,
    ui: pageLanguage,
    interviewerLanguage,
    texts: data.texts,
    calendars: data.calendars,
    directions: data.directions,
    display: data.display,
    defaultLanguage: data.logic.default_language,
  };
}

function frame(lang, dir, title, service, ...content) {
  document.documentElement.lang = lang;
  document.documentElement.dir = dir;
  document.title = title;
  const bar = document.querySelector(".bar .service");
  if (bar) bar.textContent = service;
  root.replaceChildren(...content.flat(Infinity).filter(Boolean));
  // A new screen without a page load: move the focus to its start, as a page load does.
  const main = document.getElementById("main");
  main.setAttribute("tabindex", "-1");
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

// --- home -----------------------------------------------------------------------------------------

async function home() {
  state = null;
  await checkDevice();
  const prepared = await preparedSet();
  const waiting = await outbox.all();
  const unsaved = waiting.filter((record) => !record.saved);
  if (signedOut && !unsaved.length) {
    await wipe();
    location.assign(urls.login);
    return;
  }
  const first = prepared.questionnaires[0];
  const data = first ? await questionnaire(first) : null;
  const lang = prepared.interviewerLanguage || document.documentElement.lang;
  const texts = data ? data.texts : null;
  const t = (msgid, params) => (texts ? ui({ texts, ui: texts[lang] ? lang : data.logic.default_language }, msgid, params) : msgid);
  const heading = t("Offline interviews");
  const parts = [h("h1", {}, heading)];
  if (signedOut && !note) {
    note = ["error", t("Some interviews are neither sent nor saved as a file. Send them or save the outbox first.")];
  }
  if (note) parts.push(h("div", { class: note[0] === "error" ? "error-summary" : "panel", role: "status" }, h("p", {}, note[1])));
  note = null;
  parts.push(
    h("p", { id: "waiting" }, t("Waiting to be sent: %(count)s", { count: waiting.length })),
    waiting.length && !signedOut
      ? h("p", {}, h("button", { class: "button", type: "button", id: "sync", onclick: () => synchronise() }, t("Send now")))
      : null,
    waiting.length
      ? h("p", {}, h("button", { class: "button secondary", type: "button", id: "save-file", onclick: () => saveFile() }, t("Save the outbox as a file")))
      : null,
  );
  if (prepared.questionnaires.length) parts.push(h("p", { id: "ready" }, t("This device is ready for offline interviews.")), await startForm(prepared));
  if (device) parts.push(prepareForm(prepared, t));
  parts.push(h("p", {}, h("button", { class: "button secondary", type: "button", id: "clear", onclick: () => signOut() }, t("Sign out and clear this device"))));
  frame(lang, data ? direction(context(data, lang, lang, lang), lang) : document.documentElement.dir, heading, heading, parts);
  root.dataset.prepared = prepared.prepared || "";
  const draft = await openDraft();
  if (draft) resume(draft);
}

function titleOf(entry, lang) {
  return entry.title[lang] || Object.values(entry.title)[0] || entry.id;
}

async function startForm(prepared) {
  const first = await questionnaire(prepared.questionnaires[0]);
  const lang = prepared.interviewerLanguage;
  const ctx = context(first, lang, lang, lang);
  const languages = [...new Set(prepared.questionnaires.flatMap((entry) => entry.languages))].filter((tag) => prepared.languages.includes(tag));
  const onSubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const entry = prepared.questionnaires.find((item) => item.id === form.get("questionnaire"));
    const data = await questionnaire(entry);
    const respondent = String(form.get("language"));
    if (!data.display.languages.includes(respondent)) return;
    state = {
      id: crypto.randomUUID(),
      questionnaire: entry.id,
      lang: respondent,
      interviewerLanguage: String(form.get("interviewer_language")),
      started: new Date().toISOString(),
      answers: {},
      seconds: {},
      lastWrite: Date.now(),
      completed: [],
      current: null,
      handedOver: null,
      handback: null,
    };
    const { route } = walk(data.flow, {});
    state.current = route.firstOpen([])?.id || "review";
    await show();
  };
  return h("form", { method: "post", novalidate: true, autocomplete: "off", onsubmit: onSubmit },
    h("h2", {}, ui(ctx, "Start an interview")),
    h("div", { class: "group" }, h("label", { class: "label", for: "questionnaire" }, ui(ctx, "Questionnaire")),
      h("select", { class: "select", id: "questionnaire", name: "questionnaire" },
        prepared.questionnaires.map((entry) => h("option", { value: entry.id }, titleOf(entry, lang))))),
    h("div", { class: "group" }, h("label", { class: "label", for: "language" }, ui(ctx, "The respondent's language")),
      h("select", { class: "select", id: "language", name: "language" },
        languages.map((tag) => h("option", { value: tag, lang: tag }, first.autonyms[tag] || tag)))),
    h("div", { class: "group" }, h("label", { class: "label", for: "interviewer_language" }, ui(ctx, "Your language")),
      h("select", { class: "select", id: "interviewer_language", name: "interviewer_language" },
        Object.keys(first.texts).map((tag) => h("option", { value: tag, lang: tag, selected: tag === lang }, first.autonyms[tag] || tag)))),
    h("button", { class: "button", type: "submit" }, ui(ctx, "Start the interview")));
}

function prepareForm(prepared, t) {
  const onSubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    await prepareDevice(form.getAll("questionnaire"), form.getAll("language"));
  };
  const languages = [...new Set(device.questionnaires.flatMap((entry) => entry.languages))];
  return h("form", { method: "post", novalidate: true, onsubmit: onSubmit, id: "prepare" },
    h("h2", {}, t("Prepare this device for offline")),
    h("div", { class: "group" }, h("fieldset", {}, h("legend", { class: "legend" }, t("Questionnaire")),
      h("div", { class: "checkboxes" }, device.questionnaires.map((entry, index) =>
        h("div", { class: "checkbox" },
          h("input", { type: "checkbox", id: `prepare-q-${index}`, name: "questionnaire", value: entry.id,
            disabled: Boolean(entry.refused), checked: !entry.refused && (prepared.questionnaires.some((item) => item.id === entry.id) || !prepared.questionnaires.length) }),
          h("label", { for: `prepare-q-${index}` }, titleOf(entry, document.documentElement.lang),
            entry.refused ? h("span", { class: "hint" }, ` (${entry.refused})`) : null)))))),
    h("div", { class: "group" }, h("fieldset", {}, h("legend", { class: "legend" }, t("The respondent's language")),
      h("div", { class: "checkboxes" }, languages.map((tag, index) =>
        h("div", { class: "checkbox" },
          h("input", { type: "checkbox", id: `prepare-l-${index}`, name: "language", value: tag,
            checked: prepared.languages.includes(tag) || !prepared.languages.length }),
          h("label", { for: `prepare-l-${index}`, lang: tag }, device.autonyms[tag] || tag)))))),
    h("button", { class: "button", type: "submit", id: "prepare-button" }, t("Prepare this device for offline")));
}

async function prepareDevice(ids, languages) {
  const chosen = device.questionnaires.filter((entry) => ids.includes(entry.id) && !entry.refused);
  // A new cache each time, the old ones dropped only once it is complete: a connection that drops
  // while preparing leaves the previous preparation working, and a new version never mixes with an old.
  const name = `${device.cache}-${Date.now()}`;
  const cache = await caches.open(name);
  await cache.addAll([...device.files, ...chosen.map((entry) => entry.url)]);
  // Recorded questions, in the chosen languages only.
  const audio = [];
  for (const entry of chosen) {
    const data = await (await cache.match(entry.url)).json();
    for (const shown of Object.values(data.display.questions)) {
      for (const [lang, url] of Object.entries(shown.audio || {})) if (languages.includes(lang)) audio.push(url);
    }
  }
  await cache.addAll(audio);
  const prepared = {
    questionnaires: chosen,
    languages,
    interviewerLanguage: document.documentElement.lang,
    prepared: new Date().toISOString(),
  };
  await cache.put(PREPARED, new Response(JSON.stringify(prepared), { headers: { "Content-Type": "application/json" } }));
  for (const other of await caches.keys()) if (other !== name) await caches.delete(other);
  loaded.clear();
  await home();
}

// --- an interview ---------------------------------------------------------------------------------

async function current() {
  const prepared = await preparedSet();
  const entry = prepared.questionnaires.find((item) => item.id === state.questionnaire);
  return questionnaire(entry);
}

async function resume(draft) {
  state = draft;
  await show();
}

async function keep() {
  await saveDraft(state);
}

async function show(located = [], posted = null) {
  const data = await current();
  await keep();
  if (state.handback) return handback(data);
  if (state.current === "review") return review(data);
  const page = findPage(data.flow, state.current);
  const { effective, route } = walk(data.flow, state.answers);
  if (!page || !route.reachable(state.completed, page.id)) { // as the server: on to where the interview stands
    state.current = route.firstOpen(state.completed)?.id || "review";
    return show();
  }
  const questions = visibleQuestions(data.flow, page, effective);
  const handedOver = state.handedOver === page.id;
  if (!handedOver && questions.some((question) => data.display.handover.includes(question.id))) return handover(data, page);
  const pageLanguage = handedOver ? state.lang : state.interviewerLanguage;
  const ctx = context(data, state.lang, state.interviewerLanguage, pageLanguage);
  const seen = pageAnswers(page, state.answers); // a member's page: that member's answers
  const fields = posted || Object.assign({}, ...questions.map((question) => fieldsOf(question, seen[question.id], data.display.questions[question.id])));
  const title = textSpan(ctx, data.display.title).textContent;
  const [previous] = route.neighbours(page.id);
  const back = previous && !handedOver
    ? h("a", { class: "back", href: "#back", onclick: (event) => { event.preventDefault(); state.current = previous.id; state.returnTo = null; show(); } }, ui(ctx, "Back"))
    : null;
  // As the server's page: the stored answers (a member's page: that member's first) and computed values piped in.
  const content = questionPage({ ...ctx, pipes: pipeSources(data.flow, seen) }, {
    page, questions, located, fields, handedOver,
    progress: route.progress(page.id),
    onSubmit: (event) => { event.preventDefault(); submitPage(data, page, event.target, pageLanguage); },
  });
  frame(pageLanguage, direction(ctx, pageLanguage), (located.length ? `${ui(ctx, "Error:")} ` : "") + title,
    handedOver ? title : ui(ctx, "Interview"), back, content);
  if (located.length) document.querySelector(".error-summary")?.focus();
}

function posted(form) {
  const found = {};
  for (const [name, value] of new FormData(form)) (found[name] ||= []).push(String(value));
  return found;
}

async function submitPage(data, page, form, pageLanguage) {
  const fields = posted(form);
  const catalog = data.messages[pageLanguage] || data.messages[data.logic.default_language];
  // Texts quoted in a message (a matrix row) are the respondent's; the message is in the page's language.
  const { errors, answers } = readPage(data.flow, page, state.answers, fields, { lang: state.lang, catalog });
  if (errors.length) return show(errors, fields);
  const saved = savePage(data.flow, state, page, answers);
  // Changed from the review (respond/pages.py `return_to`): back to the review, unless the change
  // opened a page not yet answered (then on to it, as the server).
  if (state.returnTo === "review") {
    state.returnTo = null;
    if (!walk(data.flow, saved.answers).route.firstOpen(saved.completed)) saved.next = "review";
  }
  // As the server (respond/services.py): the time since the last saved page, or the start, counts
  // for the page saved now; a reload keeps lastWrite in the encrypted draft.
  const now = Date.now();
  state.seconds ||= {};
  state.seconds[page.id] = (state.seconds[page.id] || 0) + Math.max(0, Math.round((now - (state.lastWrite || now)) / 1000));
  state.lastWrite = now;
  state.answers = saved.answers;
  state.completed = saved.completed;
  state.current = saved.next;
  if (state.handedOver === page.id) {
    state.handedOver = null;
    state.handback = saved.next;
  }
  return show();
}

function handover(data, page) {
  const il = state.interviewerLanguage;
  const ctx = context(data, state.lang, il, il);
  const respondent = { ...ctx, ui: state.lang };
  const title = ui(ctx, "Hand the device to the respondent");
  frame(il, direction(ctx, il), title, ui(ctx, "Interview"),
    h("div", { class: "panel handover", lang: il, dir: direction(ctx, il) }, h("h1", {}, title),
      h("p", {}, ui(ctx, "The next questions are personal. The respondent answers them alone. Your view stays hidden until the device is handed back."))),
    h("form", { class: "to-respondent", method: "post", novalidate: true, lang: state.lang, dir: direction(ctx, state.lang),
      onsubmit: (event) => { event.preventDefault(); state.handedOver = page.id; show(); } },
    h("button", { class: "button", type: "submit" }, ui(respondent, "I have the device: continue"))));
}

function handback(data) {
  const ctx = context(data, state.lang, state.interviewerLanguage, state.lang);
  const interviewer = { ...ctx, ui: state.interviewerLanguage };
  const title = ui(ctx, "Thank you. Please hand the device back to the interviewer.");
  frame(state.lang, direction(ctx, state.lang), title, textSpan(ctx, data.display.title).textContent,
    h("div", { class: "panel", lang: state.lang, dir: direction(ctx, state.lang) }, h("h1", {}, title)),
    h("p", { class: "to-interviewer", lang: state.interviewerLanguage, dir: direction(ctx, state.interviewerLanguage) },
      h("a", { class: "button", href: "#continue", onclick: (event) => { event.preventDefault(); state.handback = null; show(); } },
        ui(interviewer, "I am the interviewer: continue"))));
}

// What the server's review shows for an answer: the question's display() (pipes.js).
function answerText(ctx, question, answer) {
  return answerDisplay(question, answer, ctx.lang, { texts: ctx.texts[ctx.ui], defaultLanguage: ctx.defaultLanguage, display: ctx.display });
}

function review(data) {
  const il = state.interviewerLanguage;
  const ctx = context(data, state.lang, il, il);
  const { effective, route } = walk(data.flow, state.answers);
  const title = ui(ctx, "Check your answers");
  const rows = (page) => {
    const seen = pageAnswers(page, effective); // a member's page: that member's answers
    const pipes = pipeSources(data.flow, seen);
    return visibleQuestions(data.flow, page, effective).filter(answerable).map((question) => {
      const text = plainSpan({ ...ctx, lang: state.lang, pipes }, data.display.questions[question.id].text);
      return h("div", { class: "summary-row" }, h("dt", {}, text),
        h("dd", { dir: "auto" }, seen[question.id] !== undefined
          ? h("bdi", {}, answerText({ ...ctx, lang: state.lang }, question, seen[question.id]))
          : h("span", { class: "muted" }, ui(ctx, "No answer"))),
        h("dd", { class: "change" }, h("a", { href: "#change", onclick: (event) => { event.preventDefault(); state.current = page.id; state.returnTo = "review"; show(); } },
          ui(ctx, "Change"), h("span", { class: "sr" }, ` ${text.textContent}`))));
    });
  };
  const goTo = (page) => { state.current = page.id; show(); };
  const summary = summaryWithMembers({ ...ctx, lang: state.lang }, data.flow, route.pages, effective, {
    rows,
    display: (question, answer) => answerText({ ...ctx, lang: state.lang }, question, answer),
    remove: (roster, number) => removeFromReview(data, roster, number),
    add: goTo,
  });
  frame(il, direction(ctx, il), title, ui(ctx, "Interview"),
    h("h1", {}, title), summary,
    h("form", { method: "post", novalidate: true, onsubmit: (event) => { event.preventDefault(); finish(data); } },
      h("button", { class: "button", type: "submit", id: "send" }, ui(ctx, "Send answers"))));
}

// The review's "Remove" button (respond/pages.py `remove_member`): later members move up one place,
// then on to the first open page, or the review again.
function removeFromReview(data, roster, number) {
  const answers = removeMember(state.answers, roster, number);
  if (answers === null) return show();
  state.answers = answers;
  state.current = walk(data.flow, state.answers).route.firstOpen(state.completed)?.id || "review";
  return show();
}

function deviceClass() {
  const width = Math.min(screen.width, screen.height);
  return width < 600 ? "mobile" : width < 1024 ? "tablet" : "desktop";
}

async function finish(data) {
  const { effective, route } = walk(data.flow, state.answers);
  const response = state.id.replaceAll("-", "");
  const record = {
    questionnaire: data.logic.id,
    version: data.logic.version,
    wave: data.logic.wave,
    response,
    pseudonym: null,
    answers: effective,
    page_seconds: state.seconds || {},
    pages: route.pages.map((page) => page.id),
  };
  const sealed = await sealResponse(record, await studyKey());
  // Only the sealed record reaches IndexedDB; the plain one is dropped with this function's scope.
  await outbox.add({
    id: state.id,
    questionnaire: data.logic.id,
    version: data.logic.version,
    sealed: toBase64(sealed),
    languages: [...new Set([state.lang, state.interviewerLanguage])].filter((tag) => data.display.languages.includes(tag)),
    device_class: deviceClass(),
    started: state.started,
    ended: new Date().toISOString(),
    saved: false,
  });
  await dropDraft();
  const ctx = context(data, state.lang, state.interviewerLanguage, state.interviewerLanguage);
  note = ["done", ui(ctx, "The interview is sealed on this device and will be sent with the next sync.")];
  state = null;
  await home();
}

// --- outbox ---------------------------------------------------------------------------------------

function upload(record) {
  const { saved, ...sent } = record;
  return sent;
}

async function homeText(msgid, params) {
  const prepared = await preparedSet();
  if (!prepared.questionnaires.length) return msgid;
  const data = await questionnaire(prepared.questionnaires[0]);
  const lang = prepared.interviewerLanguage;
  return ui({ texts: data.texts, ui: data.texts[lang] ? lang : data.logic.default_language }, msgid, params);
}

export async function synchronise() {
  await checkDevice();
  if (!device) {
    note = ["error", await homeText("No connection: the interviews stay sealed on this device.")];
    return home();
  }
  const records = await outbox.all();
  let sent = 0;
  const refused = [];
  for (let start = 0; start < records.length; start += BATCH) {
    const batch = records.slice(start, start + BATCH);
    let answer;
    try {
      answer = await fetch(urls.records, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": device.csrf },
        body: JSON.stringify({ records: batch.map(upload) }),
        redirect: "manual",
      });
    } catch {
      break; // the connection dropped: what was stored stays stored, the rest is sent next time
    }
    if (!answer.ok) break;
    const result = await answer.json();
    const done = new Set([...result.stored, ...result.already]);
    for (const record of batch) {
      if (done.has(record.id.replaceAll("-", ""))) {
        await outbox.remove(record.id);
        sent += 1;
      }
    }
    refused.push(...result.refused);
  }
  note = refused.length
    ? ["error", await homeText("Not accepted by the server: %(count)s. Keep the device and ask the study team.", { count: refused.length })]
    : ["done", await homeText("Sent: %(count)s", { count: sent })];
  return home();
}

async function saveFile() {
  const records = await outbox.all();
  const file = { format: FILE_FORMAT, version: 1, saved: new Date().toISOString(), records: records.map(upload) };
  const link = h("a", {
    href: URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" })),
    download: `outbox-${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}.json`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  for (const record of records) await outbox.add({ ...record, saved: true });
  return home();
}

async function signOut() {
  const unsaved = (await outbox.all()).filter((record) => !record.saved);
  if (unsaved.length) {
    note = ["error", await homeText("Some interviews are neither sent nor saved as a file. Send them or save the outbox first.")];
    return home();
  }
  await checkDevice();
  const token = device ? device.csrf : null;
  await wipe();
  if (!token) return location.assign(urls.login);
  const form = h("form", { method: "post", action: urls.logout }, h("input", { type: "hidden", name: "csrf_token", value: token }));
  document.body.append(form);
  return form.submit();
}

// --- start ----------------------------------------------------------------------------------------

async function start() {
  if (navigator.serviceWorker) {
    try {
      await navigator.serviceWorker.register(urls.worker, { scope: new URL(urls.home, location.href).pathname });
    } catch {
      // Offline, the registration made while preparing goes on serving; it is checked again online.
    }
  }
  await home();
  root.dataset.ready = "1";
}

start();
