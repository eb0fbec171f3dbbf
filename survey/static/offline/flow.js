// Skip logic and navigation (survey/respond/flow.py) over a questionnaire description made by
// survey/offline/logic.py, plus reading one posted page (survey/respond/forms.py).
import { TODAY, calculationValue, computeValues, evaluate, parse, parseCalculation } from "./expressions.js";
import { anchor, answerable, answerFromForm, comparable, locatedErrors } from "./questions.js";
import { checkPosted, keeps, narrowed, ruleErrors } from "./rules.js";
import { isRoster, pageAnswers, prepareRosters, saveRosterPage, walkRoster } from "./rosters.js";

// The interview date as the server takes it: today in UTC (survey/questionnaires/model.utc_today).
export function utcToday() {
  return new Date().toISOString().slice(0, 10);
}

// One page's questions by id, and its parsed conditions and rules (top-level and roster pages alike).
export function indexPage(page, questionById, conditions, rules) {
  if (page.show_if) conditions.set(page, parse(page.show_if));
  for (const question of page.questions) {
    questionById.set(question.id, question);
    if (question.show_if) conditions.set(question, parse(question.show_if));
    if (question.valid_if) rules.set(question.id, parse(question.valid_if));
  }
}

// Parse every condition once; returns the description with `questionById` and parsed trees.
export function prepare(description) {
  const questionById = new Map();
  const conditions = new Map();
  const rules = new Map();
  for (const page of description.pages) indexPage(page, questionById, conditions, rules);
  // Computed values: the questionnaire's, in order, and (looked up like them) those of its rosters.
  const calculations = (description.computed || []).map(parseCalculation);
  const computedById = new Map(calculations.map((calculation) => [calculation.id, calculation]));
  for (const roster of description.rosters || []) {
    for (const computed of roster.computed || []) computedById.set(computed.id, parseCalculation(computed));
  }
  const rosterIds = new Set((description.rosters || []).map((roster) => roster.id));
  return {
    ...description, questionById, conditions, rules, calculations, computedById, rosterIds,
    ...prepareRosters(description, questionById, conditions, rules),
  };
}

// What expressions see (survey/questionnaires/model.lookup): an answer's comparable value, a
// computed value worked out from the answers, the interview date (`today`, ISO), or for a roster one
// lookup per member, each seeing that member's answers before all others.
export function lookup(questionnaire, answers, today = utcToday()) {
  const values = (ref) => {
    if (ref.question === TODAY) return today;
    if (questionnaire.rosterIds && questionnaire.rosterIds.has(ref.question)) {
      const members = Array.isArray(answers[ref.question]) ? answers[ref.question] : [];
      return members.map((member) => lookup(questionnaire, { ...answers, ...member }, today));
    }
    const computed = questionnaire.computedById && questionnaire.computedById.get(ref.question);
    if (computed) return calculationValue(computed, values);
    const question = questionnaire.questionById.get(ref.question);
    const answer = Object.hasOwn(answers, ref.question) ? answers[ref.question] : null;
    return comparable(question, answer, ref.row);
  };
  return values;
}

export function holds(questionnaire, item, values) {
  const tree = questionnaire.conditions.get(item);
  return tree === undefined || evaluate(tree, values);
}

// The questions of a page as this respondent sees them (filtered lists narrowed, or left out when
// nothing is left to choose from).
export function shownQuestions(questionnaire, page, values) {
  return page.questions
    .filter((question) => holds(questionnaire, question, values))
    .map((question) => narrowed(question, values))
    .filter((question) => question !== null);
}

export function visibleQuestions(questionnaire, page, answers, today = utcToday()) {
  return shownQuestions(questionnaire, page, lookup(questionnaire, pageAnswers(page, answers), today));
}

// One pass of the skip logic: the effective answers (in questionnaire order), the pages shown, the
// ids of the questions shown and the computed values of the effective answers. Conditions only look
// at earlier pages.
export function walk(questionnaire, answers, today = utcToday()) {
  const kept = {};
  const pages = [];
  const shown = new Set();
  const values = lookup(questionnaire, kept, today);
  for (const page of questionnaire.plan) { // the pages, each roster before the page at its position
    if (isRoster(page)) {
      if (holds(questionnaire, page, values)) walkRoster(questionnaire, page, answers, kept, pages, shown, today);
      continue;
    }
    if (!holds(questionnaire, page, values)) continue;
    const questions = shownQuestions(questionnaire, page, values);
    if (!questions.length) continue;
    pages.push(page);
    for (const question of questions) {
      shown.add(question.id);
      const answer = answers[question.id];
      // An answer to a filtered list that earlier answers no longer offer is not kept.
      if (answerable(question) && answer !== undefined && answer !== null && keeps(question, answer)) {
        kept[question.id] = answer;
      }
    }
  }
  const computed = computeValues(questionnaire.calculations || [], values);
  return { effective: kept, route: new Route(pages), shown, computed };
}

export class Route {
  constructor(pages) {
    this.pages = pages;
  }

  // The first page not yet completed; null when the review may be shown.
  firstOpen(completed) {
    return this.pages.find((page) => !completed.includes(page.id)) || null;
  }

  reachable(completed, pageId) {
    for (const page of this.pages) {
      if (page.id === pageId) return true;
      if (!completed.includes(page.id)) return false;
    }
    return false;
  }

  neighbours(pageId) {
    const index = this.pages.findIndex((page) => page.id === pageId);
    return [index > 0 ? this.pages[index - 1] : null, index + 1 < this.pages.length ? this.pages[index + 1] : null];
  }

  progress(pageId) {
    const index = this.pages.findIndex((page) => page.id === pageId);
    return [index >= 0 ? index + 1 : this.pages.length, this.pages.length];
  }
}

// Check a posted page: {errors: [[anchor, message]...], answers: {question id: answer}}; the
// `valid_if` rules once every field is fine. context: {lang, catalog, today}. Throws TamperedInput
// for an option code the page does not offer.
export function readPage(questionnaire, page, storedAnswers, posted, context) {
  const today = context.today || utcToday();
  const { effective } = walk(questionnaire, storedAnswers, today);
  const questions = visibleQuestions(questionnaire, page, effective, today);
  for (const question of questions) checkPosted(question, posted);
  const full = { defaultLanguage: questionnaire.default_language, ...context };
  const errors = questions.flatMap((question) => locatedErrors(question, posted, full));
  const answers = {};
  for (const question of questions) {
    if (answerable(question)) answers[question.id] = answerFromForm(question, posted);
  }
  if (!errors.length) {
    const values = lookup(questionnaire, { ...pageAnswers(page, effective), ...answers }, today);
    for (const [question, message] of ruleErrors(questionnaire, questions, answers, values, context.lang)) {
      errors.push([anchor(question), message]);
    }
  }
  return { errors, answers };
}

// Store a page that validated (as survey/respond/services.save_page) and say where to go next:
// the page after it on the new route, else the first open page, else "review".
export function savePage(questionnaire, state, page, pageAnswers, today = utcToday()) {
  const answers = page.roster ? saveRosterPage(state.answers, page, pageAnswers) : { ...state.answers };
  if (!page.roster) {
    for (const question of page.questions) delete answers[question.id];
    for (const [id, value] of Object.entries(pageAnswers)) if (value !== null) answers[id] = value;
  }
  const completed = state.completed.includes(page.id) ? [...state.completed] : [...state.completed, page.id];
  const { route } = walk(questionnaire, answers, today);
  // A page that left the route ("add another?" after a new member) goes on to the first open page.
  let next = route.reachable(completed, page.id) ? route.neighbours(page.id)[1] : null;
  if (next === null) next = route.firstOpen(completed);
  return { answers, completed, next: next ? next.id : "review" };
}
