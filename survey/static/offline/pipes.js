// Earlier answers and computed values piped into questionnaire texts (`{{name}}`, `{{name[2]}}` for
// the second member of a roster), as survey/questionnaires/model.py's piped_value, pipe and
// pipe_markup show them: the display form of each answer, a value in its own direction (<bdi> in
// markup, FSI/PDI in plain text), nothing where there is no value.
//
// sources = {questions: Map(id -> described question), display (the device's display texts: list
// names), answers: {id: answer}, computed: {name: value}, member(name, number) -> {answers, computed}
// of that roster member, or null when `name` belongs to no roster}; missing parts mean "none".
import { translate } from "./messages.js";

const PIPE = /\{\{\s*([a-z][a-z0-9_]*)(?:\[([1-9][0-9]?)\])?\s*\}\}/gu;
const MISSING = { dont_know: "Don't know", refused: "Prefer not to say" };
const FSI = "\u2068";
const PDI = "\u2069";

// A questionnaire text in one language, with the Text.get fallback (default language, then the first).
export function localised(texts, lang, defaultLanguage) {
  if (!texts) return "";
  if (Object.hasOwn(texts, lang)) return texts[lang];
  if (Object.hasOwn(texts, defaultLanguage)) return texts[defaultLanguage];
  const values = Object.values(texts);
  return values.length ? values[0] : "";
}

// Python's repr() of a float: "3.0", "2.5", "1e+16", "1e-05", "-0.0".
export function pythonFloat(value) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Object.is(value, -0)) return "-0.0";
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e16 || size < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exponent.replace(/^[-+]/u, "").padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

// f"{value:.2f}" (round half to even on the binary value, as Python does).
function twoDecimals(value) {
  const scaled = value * 100;
  // A binary fraction ends exactly on a half cent only when 8 * value is an odd whole number.
  if (Number.isInteger(value * 8) && !Number.isInteger(value * 4) && Math.abs(scaled) < 2 ** 52) {
    const below = Math.floor(scaled);
    const cents = below % 2 === 0 ? below : below + 1;
    const sign = cents < 0 ? "-" : "";
    const digits = String(Math.abs(cents)).padStart(3, "0");
    return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  }
  return value.toFixed(2);
}

// Computed.display: a whole number as such, other numbers with at most two decimals.
export function computedDisplay(value) {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return BigInt(value).toString(); // 1e21 in full, as Python's int()
    return twoDecimals(value).replace(/0+$/u, "");
  }
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function optionLabel(question, code, lang, ctx) {
  const option = (question.options || []).find((item) => item.code === code);
  return option ? localised(option.label, lang, ctx.defaultLanguage) : String(code);
}

function choiceDisplay(question, answer, lang, ctx) {
  if (Object.hasOwn(MISSING, answer)) return translate(ctx.texts, MISSING[answer]);
  return question.type === "scale" ? String(answer) : optionLabel(question, answer, lang, ctx);
}

// Question.display(answer, lang): what a piped answer shows. ctx = {texts (page texts in the
// page's interface language), defaultLanguage, display}.
export function answerDisplay(question, answer, lang, ctx) {
  const { type } = question;
  if (type === "matrix") {
    return question.rows
      .filter((row) => answer && typeof answer === "object" && Object.hasOwn(answer, row.id))
      .map((row) => `${localised(row.text, lang, ctx.defaultLanguage)}: ${choiceDisplay(question, answer[row.id], lang, ctx)}`)
      .join("; ");
  }
  if (Object.hasOwn(MISSING, answer)) return translate(ctx.texts, MISSING[answer]);
  if (type === "multiple_choice") return answer.map((code) => optionLabel(question, code, lang, ctx)).join(", ");
  if (["single_choice", "dropdown", "scale"].includes(type)) return choiceDisplay(question, answer, lang, ctx);
  if (type === "country" || type === "language") {
    const listed = (ctx.display.lists || {})[question.id] || {};
    const names = listed[lang] || listed[ctx.defaultLanguage] || [];
    const found = names.find(([code]) => code === answer);
    return found ? found[1] : String(answer);
  }
  if (type === "consent") return answer ? translate(ctx.texts, "Yes, I agree") : "";
  if (type === "decimal") return pythonFloat(answer);
  return String(answer);
}

// piped_value: the display form of `name` (of roster member `member` when given), "" when none.
export function pipedValue(sources, name, member, lang, ctx) {
  let { answers = {}, computed = {} } = sources;
  if (member !== null) {
    const found = sources.member ? sources.member(name, member) : null;
    if (!found) return "";
    answers = found.answers || {};
    computed = found.computed || {};
  }
  if (Object.hasOwn(computed, name)) {
    const value = computed[name];
    return value === null || value === undefined ? "" : computedDisplay(value);
  }
  const answer = Object.hasOwn(answers, name) ? answers[name] : null;
  const question = sources.questions ? sources.questions.get(name) : undefined;
  if (answer === null || answer === undefined || !question) return "";
  return answerDisplay(question, answer, lang, ctx);
}

// The text cut at its pipes: [text, {value}, text, ...]; a pipe with no value leaves nothing.
export function pipeParts(text, sources, lang, ctx) {
  const parts = [];
  let position = 0;
  for (const match of text.matchAll(PIPE)) {
    parts.push(text.slice(position, match.index));
    const shown = pipedValue(sources, match[1], match[2] ? Number(match[2]) : null, lang, ctx);
    if (shown) parts.push({ value: shown });
    position = match.index + match[0].length;
  }
  parts.push(text.slice(position));
  return parts.filter((part) => part !== "");
}

// `pipe`: plain text, each value between FSI and PDI (titles, the interviewer's box, the review).
export function pipeText(text, sources, lang, ctx) {
  return pipeParts(text, sources, lang, ctx)
    .map((part) => (typeof part === "string" ? part : `${FSI}${part.value}${PDI}`))
    .join("");
}
