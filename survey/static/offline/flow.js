// Skip logic and navigation (survey/respond/flow.py) over a questionnaire description made by
// survey/offline/logic.py, plus reading one posted page (survey/respond/forms.py).
import { parse, evaluate } from "./expressions.js";
import { answerable, answerFromForm, comparable, locatedErrors } from "./questions.js";
import { isRoster, pageAnswers, prepareRosters, saveRosterPage, walkRoster } from "./rosters.js";

// Parse every condition once; returns the description with `questionById` and parsed trees.
export function prepare(description) {
  const questionById = new Map();
  const conditions = new Map();
  for (const page of description.pages) {
    if (page.show_if) conditions.set(page, parse(page.show_if));
    for (const question of page.questions) {
      questionById.set(question.id, question);
      if (question.show_if) conditions.set(question, parse(question.show_if));
    }
  }
  return { ...description, questionById, conditions, ...prepareRosters(description, questionById, conditions) };
}

export function lookup(questionnaire, answers) {
  return (ref) => {
    const question = questionnaire.questionById.get(ref.question);
    const answer = Object.hasOwn(answers, ref.question) ? answers[ref.question] : null;
    return comparable(question, answer, ref.row);
  };
}

export function holds(questionnaire, item, values) {
  const tree = questionnaire.conditions.get(item);
  return tree === undefined || evaluate(tree, values);
}

export function visibleQuestions(questionnaire, page, answers) {
  const values = lookup(questionnaire, pageAnswers(page, answers));
  return page.questions.filter((question) => holds(questionnaire, question, values));
}

// One pass of the skip logic: the effective answers (in questionnaire order), the pages shown and
// the ids of the questions shown. Conditions only look at earlier pages.
export function walk(questionnaire, answers) {
  const kept = {};
  const pages = [];
  const shown = new Set();
  const values = lookup(questionnaire, kept);
  for (const page of questionnaire.plan) { // the pages, each roster before the page at its position
    if (isRoster(page)) {
      if (holds(questionnaire, page, values)) walkRoster(questionnaire, page, answers, kept, pages, shown);
      continue;
    }
    if (!holds(questionnaire, page, values)) continue;
    const questions = page.questions.filter((question) => holds(questionnaire, question, values));
    if (!questions.length) continue;
    pages.push(page);
    for (const question of questions) {
      shown.add(question.id);
      const answer = answers[question.id];
      if (answerable(question) && answer !== undefined && answer !== null) kept[question.id] = answer;
    }
  }
  return { effective: kept, route: new Route(pages), shown };
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

// Check a posted page: {errors: [[anchor, message]...], answers: {question id: answer}}.
// context: {lang, catalog}.
export function readPage(questionnaire, page, storedAnswers, posted, context) {
  const { effective } = walk(questionnaire, storedAnswers);
  const questions = visibleQuestions(questionnaire, page, effective);
  const full = { defaultLanguage: questionnaire.default_language, ...context };
  const errors = questions.flatMap((question) => locatedErrors(question, posted, full));
  const answers = {};
  for (const question of questions) {
    if (answerable(question)) answers[question.id] = answerFromForm(question, posted);
  }
  return { errors, answers };
}

// Store a page that validated (as survey/respond/services.save_page) and say where to go next:
// the page after it on the new route, else the first open page, else "review".
export function savePage(questionnaire, state, page, pageAnswers) {
  const answers = page.roster ? saveRosterPage(state.answers, page, pageAnswers) : { ...state.answers };
  if (!page.roster) {
    for (const question of page.questions) delete answers[question.id];
    for (const [id, value] of Object.entries(pageAnswers)) if (value !== null) answers[id] = value;
  }
  const completed = state.completed.includes(page.id) ? [...state.completed] : [...state.completed, page.id];
  const { route } = walk(questionnaire, answers);
  // A page that left the route ("add another?" after a new member) goes on to the first open page.
  let next = route.reachable(completed, page.id) ? route.neighbours(page.id)[1] : null;
  if (next === null) next = route.firstOpen(completed);
  return { answers, completed, next: next ? next.id : "review" };
}
