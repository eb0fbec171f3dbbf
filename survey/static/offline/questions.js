// Reading and validating one page's posted fields, per question type, as the Python question classes
// do (survey/questionnaires/questions/). `posted` maps a field name to the list of values posted.
import { GREGORIAN, iso } from "./calendars.js";
import { normaliseDigits, pyStrip } from "./digits.js";
import { translate, translatePlural } from "./messages.js";

export const DONT_KNOW = "dont_know";
export const REFUSED = "refused";
const MISSING = [DONT_KNOW, REFUSED];
const CHOICE = new Set(["single_choice", "dropdown", "scale", "multiple_choice", "matrix"]);
const NUMBERS = new Set(["integer", "decimal", "year"]);
const TEXTS = new Set(["short_text", "long_text"]);
const LISTS = new Set(["country", "language"]);

export function localText(texts, lang, defaultLanguage) {
  if (!texts) return "";
  if (lang in texts) return texts[lang];
  if (defaultLanguage in texts) return texts[defaultLanguage];
  const values = Object.values(texts);
  return values.length ? values[0] : "";
}

function first(posted, name) {
  const values = posted[name];
  return values && values.length ? values[0] : "";
}

function missingChoices(question) {
  return MISSING.filter((code) => (code === DONT_KNOW ? question.dont_know : question.refuse));
}

function missingInMainField(question) {
  return CHOICE.has(question.type) || LISTS.has(question.type);
}

export function answerable(question) {
  return question.type !== "note";
}

function postedMissing(question, posted) {
  if (missingChoices(question).length && !missingInMainField(question)) {
    const data = first(posted, `${question.id}-missing`);
    return missingChoices(question).includes(data) ? data : null;
  }
  return null;
}

function datePartsOf(question) {
  return { day: ["day", "month", "year"], month: ["month", "year"], year: ["year"] }[question.precision];
}

function parseNumber(question, raw) {
  if (question.type === "decimal") {
    const text = normaliseDigits(raw).replaceAll(" ", "").replaceAll(",", ".");
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/u.test(text)) return null;
    const fraction = text.includes(".") ? text.split(".")[1].length : 0;
    if (fraction > question.decimals) return null;
    return Number(text) + 0;
  }
  const text = normaliseDigits(raw).replaceAll(" ", "");
  return /^[-+]?\d+$/u.test(text) ? Number(text) + 0 : null;
}

function dateNumbers(question, posted) {
  const numbers = {};
  for (const part of datePartsOf(question)) {
    const raw = normaliseDigits(pyStrip(first(posted, `${question.id}-${part}`)));
    if (raw && !/^\d+$/u.test(raw)) return null;
    numbers[part] = raw ? Number(raw) : null;
  }
  return numbers;
}

// A date or year offered in several calendars: the one chosen (null when none is).
export function choosesCalendar(question) {
  return (question.calendars || []).length > 1;
}

function calendarOf(question, posted) {
  if (!choosesCalendar(question)) return (question.calendars || [GREGORIAN])[0];
  const chosen = first(posted, `${question.id}-calendar`);
  return question.calendars.includes(chosen) ? chosen : null;
}

function isoDate(question, numbers, calendar) {
  return iso(calendar, question.precision, numbers.year || 0, numbers.month || 1, numbers.day || 1);
}

// A year typed in another calendar is stored as the Gregorian year holding its middle.
function yearAnswer(question, posted, typed) {
  const calendar = calendarOf(question, posted);
  if (typed === null || calendar === GREGORIAN) return typed;
  if (calendar === null || typed < 1000 || typed > 9999) return null;
  const found = iso(calendar, "year", typed, null, null);
  return found === null ? null : Number(found);
}

// The answer the fields hold (null when left empty), without the separate "don't know" box.
export function answerFromFields(question, posted) {
  const { type, id } = question;
  if (type === "multiple_choice") {
    const values = (posted[id] || []).filter((value) => value);
    const missing = values.filter((value) => MISSING.includes(value));
    if (missing.length) return values.length === 1 ? missing[0] : values;
    const codes = values.map(Number).sort((a, b) => a - b);
    return codes.length ? codes : null;
  }
  if (type === "matrix") {
    const answer = {};
    for (const row of question.rows) {
      const value = pyStrip(first(posted, `${id}-${row.id}`));
      if (value) answer[row.id] = MISSING.includes(value) ? value : Number(value);
    }
    return Object.keys(answer).length ? answer : null;
  }
  if (CHOICE.has(type)) {
    const value = pyStrip(first(posted, id));
    if (MISSING.includes(value)) return value;
    return value ? Number(value) : null;
  }
  if (TEXTS.has(type) || LISTS.has(type)) return pyStrip(first(posted, id)) || null;
  if (NUMBERS.has(type)) {
    const raw = pyStrip(first(posted, id));
    const typed = raw ? parseNumber(question, raw) : null;
    return type === "year" ? yearAnswer(question, posted, typed) : typed;
  }
  if (type === "date") {
    const numbers = dateNumbers(question, posted);
    if (numbers === null || Object.values(numbers).some((value) => value === null)) return null;
    const calendar = calendarOf(question, posted);
    return calendar === null ? null : isoDate(question, numbers, calendar);
  }
  if (type === "consent") return first(posted, id) === "yes" ? true : null;
  return null;
}

// The answer to store from a page that validated.
export function answerFromForm(question, posted) {
  if (!answerable(question)) return null;
  if (question.type === "matrix") return answerFromFields(question, posted);
  return postedMissing(question, posted) || answerFromFields(question, posted);
}

function requiredMessage(question, catalog) {
  const { type } = question;
  if (type === "country") return translate(catalog, "Select a country");
  if (type === "language") return translate(catalog, "Select a language");
  if (CHOICE.has(type)) return translate(catalog, "Select an answer");
  if (type === "date") return incompleteMessage(question, catalog);
  return translate(catalog, "Enter an answer");
}

function incompleteMessage(question, catalog) {
  if (question.precision === "day") return translate(catalog, "Enter the day, month and year as numbers");
  if (question.precision === "month") return translate(catalog, "Enter the month and year as numbers");
  return translate(catalog, "Enter the year with four digits");
}

function baseErrors(question, posted, catalog) {
  const missing = postedMissing(question, posted);
  const value = answerFromFields(question, posted);
  if (missing && value !== null) {
    return [translate(catalog, "Give an answer or choose one of the options below it, not both")];
  }
  if (question.required && missing === null && value === null) return [requiredMessage(question, catalog)];
  return [];
}

function multipleErrors(question, posted, context) {
  const { catalog, lang, defaultLanguage } = context;
  const answer = answerFromFields(question, posted);
  if (answer === null) return question.required ? [translate(catalog, "Select at least one answer")] : [];
  if (typeof answer === "string") return [];
  if (answer.some((value) => typeof value === "string")) {
    return [translate(catalog, '"Don\'t know" and "Prefer not to say" cannot be combined with other answers')];
  }
  const exclusive = question.options.filter((option) => option.exclusive && answer.includes(option.code));
  if (exclusive.length && answer.length > 1) {
    const option = localText(exclusive[0].label, lang, defaultLanguage);
    return [translate(catalog, '"%(option)s" cannot be combined with other answers', { option })];
  }
  if (answer.length < question.min_choices) {
    const n = question.min_choices;
    return [translatePlural(catalog, "Select at least %(num)d answer", "Select at least %(num)d answers", n)];
  }
  if (question.max_choices !== null && answer.length > question.max_choices) {
    const n = question.max_choices;
    return [translatePlural(catalog, "Select at most %(num)d answer", "Select at most %(num)d answers", n)];
  }
  return [];
}

function numberErrors(question, posted, catalog) {
  const raw = pyStrip(first(posted, question.id));
  const typed = raw ? parseNumber(question, raw) : null;
  if (question.type === "year" && typed !== null && calendarOf(question, posted) === null) {
    return [translate(catalog, "Choose the calendar the date is in")];
  }
  if (raw && (typed === null || (question.type === "year" && answerFromFields(question, posted) === null))) {
    if (question.type === "decimal") {
      return [translate(catalog, "Enter a number with at most %(n)d decimal places, like 2.5", { n: question.decimals })];
    }
    if (question.type === "year") {
      if (question.example !== null && question.example !== undefined) {
        return [translate(catalog, "Enter a year with four digits, like %(year)s", { year: question.example })];
      }
      return [translate(catalog, "Enter a year with four digits, like 2015")];
    }
    return [translate(catalog, "Enter a whole number, like 3")];
  }
  const errors = baseErrors(question, posted, catalog);
  const value = answerFromFields(question, posted);
  if (errors.length || value === null) return errors;
  if ((question.min === null || value >= question.min) && (question.max === null || value <= question.max)) return [];
  const { min, max } = question.limits_text;
  if (question.type === "year") return [translate(catalog, "Enter a year from %(min)s to %(max)s", { min, max })];
  if (min !== null && max !== null) return [translate(catalog, "Enter a number from %(min)s to %(max)s", { min, max })];
  if (min !== null) return [translate(catalog, "Enter a number of at least %(min)s", { min })];
  return [translate(catalog, "Enter a number of at most %(max)s", { max })];
}

function dateErrors(question, posted, catalog) {
  const numbers = dateNumbers(question, posted);
  if (numbers !== null && Object.values(numbers).every((value) => value === null)) {
    return baseErrors(question, posted, catalog);
  }
  if (postedMissing(question, posted)) {
    return [translate(catalog, "Give an answer or choose one of the options below it, not both")];
  }
  if (numbers === null || Object.values(numbers).some((value) => value === null)) {
    return [incompleteMessage(question, catalog)];
  }
  const calendar = calendarOf(question, posted);
  if (calendar === null) return [translate(catalog, "Choose the calendar the date is in")];
  if ((numbers.year || 0) < 1000) return [translate(catalog, "Enter the year with four digits")];
  const iso = isoDate(question, numbers, calendar);
  if (iso === null) return [translate(catalog, "Enter a real date")];
  const { min, max } = question;
  if ((min && iso < min.slice(0, iso.length)) || (max && iso > max.slice(0, iso.length))) {
    return [translate(catalog, "Enter a date from %(min)s to %(max)s", { min: min || "…", max: max || "…" })];
  }
  return [];
}

function textErrors(question, posted, context) {
  const errors = baseErrors(question, posted, context.catalog);
  const value = answerFromFields(question, posted);
  if (!errors.length && value && question.pattern && !pythonPattern(question.pattern).test(value)) {
    const custom = localText(question.pattern_message, context.lang, context.defaultLanguage);
    return [custom || translate(context.catalog, "Enter the answer in the format shown")];
  }
  return errors;
}

// Python's \\d, \\w and their negations match every script's digits and letters; JavaScript's only
// ASCII ones, even with the "u" flag.
const CLASSES = { d: "\\p{Nd}", D: "\\P{Nd}", w: "[\\p{L}\\p{N}_]", W: "[^\\p{L}\\p{N}_]" };
const IN_CLASS = { d: "\\p{Nd}", w: "\\p{L}\\p{N}_" };
const compiled = new Map();

export function pythonPattern(pattern) {
  if (!compiled.has(pattern)) {
    let out = "";
    let inClass = false;
    for (let index = 0; index < pattern.length; index += 1) {
      const ch = pattern[index];
      if (ch === "\\" && index + 1 < pattern.length) {
        const next = pattern[index + 1];
        index += 1;
        if (inClass && next in IN_CLASS) out += IN_CLASS[next];
        else if (!inClass && next in CLASSES) out += CLASSES[next];
        else out += ch + next;
        continue;
      }
      if (ch === "[" && !inClass) inClass = true;
      else if (ch === "]" && inClass) inClass = false;
      out += ch;
    }
    compiled.set(pattern, new RegExp(`^(?:${out})$`, "u"));
  }
  return compiled.get(pattern);
}

export function anchor(question) {
  const { type, id } = question;
  if (type === "matrix") return `${id}-${question.rows[0].id}-0`;
  if (CHOICE.has(type) && type !== "dropdown") return `${id}-0`;
  if (choosesCalendar(question)) return `${id}-calendar-0`;
  if (type === "date") return `${id}-${datePartsOf(question)[0]}`;
  return id;
}

// [anchor, message] pairs: where the error summary links to, and what it says.
// context: {lang, defaultLanguage, catalog}.
export function locatedErrors(question, posted, context) {
  const { type } = question;
  const { catalog, lang, defaultLanguage } = context;
  let messages;
  if (type === "matrix") {
    if (!question.required) return [];
    const answer = answerFromFields(question, posted) || {};
    return question.rows
      .filter((row) => !(row.id in answer))
      .map((row) => [
        `${question.id}-${row.id}-0`,
        translate(catalog, 'Select an answer for "%(row)s"', { row: localText(row.text, lang, defaultLanguage) }),
      ]);
  }
  if (type === "multiple_choice") messages = multipleErrors(question, posted, context);
  else if (NUMBERS.has(type)) messages = numberErrors(question, posted, catalog);
  else if (type === "date") messages = dateErrors(question, posted, catalog);
  else if (TEXTS.has(type)) messages = textErrors(question, posted, context);
  else if (type === "consent") {
    messages = answerFromFields(question, posted) === null
      ? [translate(catalog, "You can only take part if you agree. Tick the box to continue.")]
      : [];
  } else if (type === "note") messages = [];
  else messages = baseErrors(question, posted, catalog);
  return messages.map((message) => [anchor(question), message]);
}

// The value conditions compare (null for unanswered and for "don't know"/"prefer not to say").
export function comparable(question, answer, row = null) {
  if (question.type === "multiple_choice") {
    return answer === null || answer === undefined || typeof answer === "string" ? null : new Set(answer);
  }
  if (question.type === "matrix") {
    if (!answer || typeof answer !== "object" || Array.isArray(answer) || row === null) return null;
    const value = answer[row];
    return value === undefined || value === null || MISSING.includes(value) ? null : value;
  }
  if (answer === undefined || answer === null || MISSING.includes(answer)) return null;
  return answer;
}
