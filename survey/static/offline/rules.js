// What reads earlier answers besides conditions, as the Python question classes and
// survey/respond/flow.py do it: filtered lists (`options_from`: narrowed options, answers they no
// longer offer), `valid_if` rules with their messages, and the option codes a page may post.
import { evaluate, references } from "./expressions.js";
import { localText } from "./questions.js";

const CHOICE = new Set(["single_choice", "dropdown", "scale", "multiple_choice", "matrix"]);
const MISSING = ["dont_know", "refused"];

// A post no rendered form can produce (an option code the page does not offer): the server answers
// such a post with an error page, never with a validation message.
export class TamperedInput extends Error {}

// The question as this respondent sees it (SingleChoice.narrowed): itself, a copy offering only the
// options chosen in `options_from` (never an exclusive one), or null when none is left.
export function narrowed(question, values) {
  if (!question.options_from) return question;
  const chosen = values({ type: "ref", question: question.options_from, row: null, position: 0 });
  const codes = chosen instanceof Set ? chosen : new Set(chosen === null || chosen === undefined ? [] : [chosen]);
  const options = question.options.filter((option) => codes.has(option.code) && !option.exclusive);
  return options.length ? { ...question, options } : null;
}

// Whether a stored answer is one the (narrowed) question still offers (SingleChoice.keeps).
export function keeps(question, answer) {
  if (!question.options_from || answer === null || answer === undefined || MISSING.includes(answer)) return true;
  const codes = new Set(question.options.map((option) => option.code));
  return Array.isArray(answer) ? answer.every((code) => codes.has(code)) : codes.has(answer);
}

function postedOne(posted, name, allowed, id) {
  const values = posted[name] || [];
  if (values.length > 1) throw new TamperedInput(`${id}: more than one answer posted`);
  if (values.length && values[0] !== "" && !allowed.has(values[0])) throw new TamperedInput(`${id}: unknown option code`);
}

// The option codes of a choice question's post (check_posted of the choice classes).
export function checkPosted(question, posted) {
  if (!CHOICE.has(question.type)) return;
  const missing = MISSING.filter((code) => (code === "dont_know" ? question.dont_know : question.refuse));
  const allowed = new Set([...question.options.map((option) => String(option.code)), ...missing]);
  if (question.type === "multiple_choice") {
    const values = posted[question.id] || [];
    if (new Set(values).size !== values.length || !values.every((value) => allowed.has(value))) {
      throw new TamperedInput(`${question.id}: unknown or repeated option code`);
    }
  } else if (question.type === "matrix") {
    for (const row of question.rows) postedOne(posted, `${question.id}-${row.id}`, allowed, question.id);
  } else {
    postedOne(posted, question.id, allowed, question.id);
  }
}

// The `valid_if` rules a page's answers break (flow.rule_errors): [question, message] pairs. A rule
// is checked only when every value it reads is known; `values` sees the page's answers before the
// earlier ones.
export function ruleErrors(questionnaire, questions, pageAnswers, values, lang) {
  const broken = [];
  for (const question of questions) {
    const rule = questionnaire.rules.get(question.id);
    const answer = pageAnswers[question.id];
    if (rule === undefined || answer === null || answer === undefined) continue;
    const known = references(rule).every((ref) => {
      const found = values(ref);
      return found !== null && found !== undefined;
    });
    if (!known || evaluate(rule, values)) continue;
    const message = question.invalid_message ? localText(question.invalid_message, lang, questionnaire.default_language) : "";
    broken.push([question, message]);
  }
  return broken;
}
