// Runs the shared logic vectors (tests/data/logic-vectors/) through the offline runtime; the same
// module runs in Node (run-vectors.mjs) and in Chromium (test_logic_vectors.py).
import {
  compileCalculation, compileCondition, computedDisplay, ExpressionError, MEMBERS,
} from "../../survey/static/offline/expressions.js";
import { prepare, readPage, savePage, visibleQuestions, walk } from "../../survey/static/offline/flow.js";
import { pipeText } from "../../survey/static/offline/pipes.js";
import { findPage, pipeSources } from "../../survey/static/offline/rosters.js";
import { TamperedInput } from "../../survey/static/offline/rules.js";
import { checkCalendars } from "./check-calendars.mjs";
import { checkPipes } from "./check-pipes.mjs";

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

function nameOf(ref) {
  return ref.row ? `${ref.question}.${ref.row}` : ref.question;
}

// Names resolve in `specs` (a roster's members: theirs before the rest), as the Python side does.
function resolver(symbols, specs, where = "") {
  return (ref) => {
    const name = nameOf(ref);
    if (!Object.hasOwn(specs, name)) {
      throw new ExpressionError(`unknown question '${name}'${where ? ` ${where}` : ""}`, ref.position);
    }
    const spec = specs[name];
    if (spec.kind === MEMBERS) {
      return { kind: MEMBERS, members: resolver(symbols, { ...symbols, ...spec.members }, `in the members of '${name}'`) };
    }
    return spec;
  };
}

// A set of values as expressions see them: lists of options as sets, a roster's members each with
// a lookup of their own (their answers before the rest).
function lookupOf(symbols, values) {
  return (ref) => {
    const name = nameOf(ref);
    const value = Object.hasOwn(values, name) ? values[name] : null;
    if (Object.hasOwn(symbols, name) && symbols[name].kind === MEMBERS) {
      return (value || []).map((member) => lookupOf(symbols, { ...values, ...member }));
    }
    return Array.isArray(value) ? new Set(value) : value;
  };
}

function errorOf(compile) {
  try {
    compile();
    return "no error";
  } catch (error) {
    return error instanceof ExpressionError ? { message: error.detail, position: error.position } : String(error);
  }
}

function checkConditions(vectors, report) {
  const symbols = vectors.symbols;
  const resolve = resolver(symbols, symbols);
  for (const { source, results } of vectors.conditions) {
    let condition;
    try {
      condition = compileCondition(source, resolve);
    } catch (error) {
      report(`condition ${JSON.stringify(source)}`, "compiles", `${error.message}`);
      continue;
    }
    vectors.values.forEach((values, index) => {
      const got = condition.holds(lookupOf(symbols, values));
      report(`condition ${JSON.stringify(source)} with values #${index}`, results[index], got);
    });
  }
  for (const { source, kind, results, display } of vectors.calculations || []) {
    let calculation;
    try {
      calculation = compileCalculation(source, resolve);
    } catch (error) {
      report(`computed value ${JSON.stringify(source)}`, "compiles", `${error.message}`);
      continue;
    }
    report(`computed value ${JSON.stringify(source)}: kind`, kind, calculation.kind);
    vectors.values.forEach((values, index) => {
      const got = calculation.value(lookupOf(symbols, values));
      report(`computed value ${JSON.stringify(source)} with values #${index}`, results[index], got);
      report(`computed value ${JSON.stringify(source)} shown with values #${index}`, display[index], computedDisplay(got));
    });
  }
  for (const { source, message, position } of vectors.errors) {
    report(`bad condition ${JSON.stringify(source)}`, { message, position }, errorOf(() => compileCondition(source, resolve)));
  }
  for (const { source, message, position } of vectors.calculation_errors || []) {
    const got = errorOf(() => compileCalculation(source, resolve));
    report(`bad computed value ${JSON.stringify(source)}`, { message, position }, got);
  }
}

function checkQuestionnaire(vectors, report) {
  const questionnaire = prepare(vectors.questionnaire);
  vectors.routes.forEach((expected, index) => {
    const where = `route #${index}`;
    const { effective, route, shown, computed } = walk(questionnaire, expected.answers, vectors.today);
    report(`${where}: pages`, expected.pages, route.pages.map((page) => page.id));
    const questions = Object.fromEntries(
      route.pages.map((page) => [page.id, visibleQuestions(questionnaire, page, effective, vectors.today).map((q) => q.id)]),
    );
    report(`${where}: visible questions`, expected.questions, questions);
    report(`${where}: questions shown`, expected.shown, [...shown].sort());
    report(`${where}: effective answers`, expected.effective, effective);
    report(`${where}: computed values`, expected.computed, computed);
    // The top-level pages, then the member pages of the route (vectors.py `candidates`).
    const candidates = [...new Set([...questionnaire.pages, ...route.pages].map((page) => page.id))];
    const reachable = candidates.filter((pageId) => route.reachable(expected.completed, pageId));
    report(`${where}: reachable pages`, expected.reachable, reachable);
    // Piped texts over the effective answers, a named member's through rosters.js pipeSources.
    const sources = pipeSources(questionnaire, effective, vectors.today);
    const ctx = { texts: {}, defaultLanguage: questionnaire.default_language, display: { lists: {} } };
    for (const [text, piped] of expected.piped || []) report(`${where}: ${text}`, piped, pipeText(text, sources, "de", ctx));
    const next = route.firstOpen(expected.completed);
    report(`${where}: next page`, expected.next, next ? next.id : null);
    const progress = Object.fromEntries(route.pages.map((page) => [page.id, route.progress(page.id)]));
    report(`${where}: progress`, expected.progress, progress);
  });
  vectors.pages.forEach((expected, index) => {
    const where = `page #${index} (${expected.page}, ${expected.lang})`;
    const page = findPage(questionnaire, expected.page);
    const context = { lang: expected.lang, catalog: vectors.messages[expected.lang], today: vectors.today };
    if (expected.tampered) {
      let refused = "read as an honest post";
      try {
        readPage(questionnaire, page, expected.answers, expected.posted, context);
      } catch (error) {
        refused = error instanceof TamperedInput ? error.message : String(error);
      }
      report(`${where}: refused`, expected.refused, refused);
      return;
    }
    const { errors, answers } = readPage(questionnaire, page, expected.answers, expected.posted, context);
    report(`${where}: errors`, expected.errors, errors);
    report(`${where}: answers read`, expected.read, answers);
    if (expected.saved) {
      const state = { answers: expected.answers, completed: expected.completed };
      report(`${where}: after saving`, expected.saved, savePage(questionnaire, state, page, answers, vectors.today));
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
    if (vectors.sets) checkPipes(vectors, report);
    if (vectors.to_gregorian) checkCalendars(vectors, report);
  }
  return { checked, failures };
}
