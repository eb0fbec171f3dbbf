// Runs the shared logic vectors (tests/data/logic-vectors/) through the offline runtime; the same
// module runs in Node (run-vectors.mjs) and in Chromium (test_logic_vectors.py).
import { compileCondition, ExpressionError } from "../../survey/static/offline/expressions.js";
import { prepare, readPage, savePage, visibleQuestions, walk } from "../../survey/static/offline/flow.js";
import { findPage } from "../../survey/static/offline/rosters.js";

// JSON-like equality; numbers compare by value (2 and 2.0 are one number in JSON).
function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && same(a[key], b[key]));
  }
  return false;
}

function checkConditions(vectors, report) {
  const symbols = vectors.symbols;
  for (const { source, results } of vectors.conditions) {
    let condition;
    try {
      condition = compileCondition(source, symbols);
    } catch (error) {
      report(`condition ${JSON.stringify(source)}`, "compiles", `${error.message}`);
      continue;
    }
    vectors.values.forEach((values, index) => {
      const lookup = (ref) => {
        const name = ref.row ? `${ref.question}.${ref.row}` : ref.question;
        const value = Object.hasOwn(values, name) ? values[name] : null;
        return Array.isArray(value) ? new Set(value) : value;
      };
      const got = condition.holds(lookup);
      report(`condition ${JSON.stringify(source)} with values #${index}`, results[index], got);
    });
  }
  for (const { source, message, position } of vectors.errors) {
    let got;
    try {
      compileCondition(source, symbols);
      got = "no error";
    } catch (error) {
      got = error instanceof ExpressionError ? { message: error.detail, position: error.position } : String(error);
    }
    report(`bad condition ${JSON.stringify(source)}`, { message, position }, got);
  }
}

function checkQuestionnaire(vectors, report) {
  const questionnaire = prepare(vectors.questionnaire);
  vectors.routes.forEach((expected, index) => {
    const where = `route #${index}`;
    const { effective, route, shown } = walk(questionnaire, expected.answers);
    report(`${where}: pages`, expected.pages, route.pages.map((page) => page.id));
    const questions = Object.fromEntries(
      route.pages.map((page) => [page.id, visibleQuestions(questionnaire, page, effective).map((q) => q.id)]),
    );
    report(`${where}: visible questions`, expected.questions, questions);
    report(`${where}: questions shown`, expected.shown, [...shown].sort());
    report(`${where}: effective answers`, expected.effective, effective);
    // The top-level pages, then the member pages of the route (vectors.py `candidates`).
    const candidates = [...new Set([...questionnaire.pages, ...route.pages].map((page) => page.id))];
    const reachable = candidates.filter((pageId) => route.reachable(expected.completed, pageId));
    report(`${where}: reachable pages`, expected.reachable, reachable);
    const next = route.firstOpen(expected.completed);
    report(`${where}: next page`, expected.next, next ? next.id : null);
    const progress = Object.fromEntries(route.pages.map((page) => [page.id, route.progress(page.id)]));
    report(`${where}: progress`, expected.progress, progress);
  });
  vectors.pages.forEach((expected, index) => {
    const where = `page #${index} (${expected.page}, ${expected.lang})`;
    const page = findPage(questionnaire, expected.page);
    const context = { lang: expected.lang, catalog: vectors.messages[expected.lang] };
    const { errors, answers } = readPage(questionnaire, page, expected.answers, expected.posted, context);
    report(`${where}: errors`, expected.errors, errors);
    report(`${where}: answers read`, expected.read, answers);
    if (expected.saved) {
      const state = { answers: expected.answers, completed: expected.completed };
      report(`${where}: after saving`, expected.saved, savePage(questionnaire, state, page, answers));
    } else {
      report(`${where}: not saved`, true, errors.length > 0);
    }
  });
}

// files: {name: parsed JSON}; returns {checked, failures: [text]}.
export function runVectors(files) {
  let checked = 0;
  const failures = [];
  for (const [name, vectors] of Object.entries(files)) {
    const report = (what, expected, got) => {
      checked += 1;
      if (!same(expected, got)) {
        failures.push(`${name}: ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      }
    };
    if (vectors.conditions) checkConditions(vectors, report);
    if (vectors.questionnaire) checkQuestionnaire(vectors, report);
  }
  return { checked, failures };
}
