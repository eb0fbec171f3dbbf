// The markup of the server's question pages, built in the browser for offline interviews: the macros
// of survey/templates/questions.html and the page of survey/templates/interview/page.html, with the
// same classes, ids, labels and legends as headings, error summary and lang/dir attributes. Texts
// are set as text (never parsed as HTML).
import { localNumber } from "./calendars.js";
import { DONT_KNOW, REFUSED, choosesCalendar } from "./questions.js";
import { translate } from "./messages.js";
import { pipeParts, pipeText } from "./pipes.js";

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// The page's texts in one language: ctx = {lang, ui (language of the page texts), texts, directions,
// display, defaultLanguage}.
export function ui(ctx, msgid, params = {}) {
  return translate(ctx.texts[ctx.ui], msgid, params);
}

// A page text whose placeholders are elements (the templates' `bdi()`): the translation is filled
// with markers, then split around them, so the translated words stay text.
export function uiWith(ctx, msgid, elements) {
  const marks = Object.fromEntries(Object.keys(elements).map((name) => [name, `\u0000${name}\u0000`]));
  return ui(ctx, msgid, marks)
    .split("\u0000")
    .map((part, index) => (index % 2 ? elements[part] : part))
    .filter((part) => part !== "");
}

export function direction(ctx, lang) {
  return ctx.directions[lang] || "ltr";
}

// A questionnaire text as <span>, marked as a fallback when it is not in the language asked for;
// earlier answers piped in when ctx.pipes holds their sources (pipes.js), as the templates' text_of.
export function textSpan(ctx, texts, lang = ctx.lang) {
  return span(ctx, texts, lang, "markup");
}

// A text the templates show as it is written (localized() without answers), pipes left alone.
export function fixedSpan(ctx, texts, lang = ctx.lang) {
  return span(ctx, texts, lang, "fixed");
}

// localized(text, lang, answers, questionnaire): piped values isolated by FSI/PDI, no markup.
export function plainSpan(ctx, texts, lang = ctx.lang) {
  return span(ctx, texts, lang, "plain");
}

function span(ctx, texts, lang, mode) {
  if (!texts || !Object.keys(texts).length) return h("span");
  let shown = lang;
  if (!(shown in texts)) shown = ctx.defaultLanguage in texts ? ctx.defaultLanguage : Object.keys(texts)[0];
  let content = texts[shown];
  if (ctx.pipes && mode !== "fixed" && content.includes("{{")) {
    const shownBy = { texts: ctx.texts[ctx.ui], defaultLanguage: ctx.defaultLanguage, display: ctx.display };
    content = mode === "plain"
      ? pipeText(content, ctx.pipes, lang, shownBy)
      : pipeParts(content, ctx.pipes, lang, shownBy).map((part) => (typeof part === "string" ? part : h("bdi", {}, part.value)));
  }
  if (shown === lang) return h("span", {}, content);
  return h("span", { lang: shown, dir: direction(ctx, shown), class: "fallback" }, content);
}

function missingChoices(question) {
  return [DONT_KNOW, REFUSED].filter((code) => (code === DONT_KNOW ? question.dont_know : question.refuse));
}

function missingLabel(ctx, code) {
  return ui(ctx, code === DONT_KNOW ? "Don't know" : "Prefer not to say");
}

function value(fields, name) {
  const values = fields[name];
  return values && values.length ? values[0] : "";
}

// The form fields an answer fills (name -> list of values), as WTForms fills them from the draft.
export function fieldsOf(question, answer, shown) {
  const fields = {};
  if (answer === null || answer === undefined) return fields;
  const { id, type } = question;
  if ([DONT_KNOW, REFUSED].includes(answer) && !shown.missing_in_main_field) {
    fields[`${id}-missing`] = [answer];
    return fields;
  }
  if (type === "matrix") {
    for (const [row, chosen] of Object.entries(answer)) fields[`${id}-${row}`] = [String(chosen)];
  } else if (type === "multiple_choice") {
    fields[id] = (Array.isArray(answer) ? answer : [answer]).map(String);
  } else if (type === "date") {
    const [year, month, day] = String(answer).split("-");
    fields[`${id}-year`] = [year];
    if (month) fields[`${id}-month`] = [String(Number(month))];
    if (day) fields[`${id}-day`] = [String(Number(day))];
    if (choosesCalendar(question)) fields[`${id}-calendar`] = ["gregorian"]; // stored dates are Gregorian
  } else if (type === "consent") {
    fields[id] = answer === true ? ["yes"] : [];
  } else {
    fields[id] = [String(answer)];
    if (type === "year" && choosesCalendar(question)) fields[`${id}-calendar`] = ["gregorian"];
  }
  return fields;
}

function optionalMark(ctx, question, shown) {
  const answerable = question.type !== "note";
  if (!answerable || question.required || question.type === "consent") return null;
  return [" ", h("span", { class: "optional" }, `(${ui(ctx, "optional")})`)];
}

function title(ctx, question, shown) {
  return [textSpan(ctx, shown.text), optionalMark(ctx, question, shown)];
}

function describedBy(question, shown, errors) {
  const ids = [];
  if (Object.keys(shown.help).length) ids.push(`${question.id}-hint`);
  if (errors.length) ids.push(`${question.id}-error`);
  return ids.length ? ids.join(" ") : null;
}

function hintAndError(ctx, question, shown, errors) {
  return [
    Object.keys(shown.help).length ? h("div", { id: `${question.id}-hint`, class: "hint" }, textSpan(ctx, shown.help)) : null,
    errors.length
      ? h("p", { id: `${question.id}-error`, class: "error-message" }, h("span", { class: "sr" }, ui(ctx, "Error:")), " ", errors.join(" "))
      : null,
  ];
}

function legend(ctx, question, shown) {
  return ctx.heading
    ? h("legend", { class: "legend-h1" }, h("h1", {}, title(ctx, question, shown)))
    : h("legend", { class: "legend" }, title(ctx, question, shown));
}

function label(ctx, question, shown, forId) {
  return ctx.heading
    ? h("h1", { class: "label-h1" }, h("label", { for: forId }, title(ctx, question, shown)))
    : h("label", { class: "label", for: forId }, title(ctx, question, shown));
}

function group(errors, ...children) {
  return h("div", { class: errors.length ? "group group-error" : "group" }, ...children);
}

function radio(type, name, index, code, checked, labelNode) {
  return h(
    "div",
    { class: type },
    h("input", { type, id: `${name}-${index}`, name, value: code, checked }),
    h("label", { for: `${name}-${index}` }, labelNode),
  );
}

function missingRadios(ctx, question, shown, fields) {
  const codes = missingChoices(question);
  if (!codes.length || shown.missing_in_main_field) return null;
  const name = `${question.id}-missing`;
  const chosen = value(fields, name);
  return [
    h("div", { class: "or" }, ui(ctx, "or")),
    h("div", { class: "radios small" }, codes.map((code, index) => radio("radio", name, index, code, chosen === code, missingLabel(ctx, code)))),
  ];
}

function radioList(ctx, name, question, chosen) {
  const codes = missingChoices(question);
  const offset = question.options.length;
  return h(
    "div",
    { class: "radios" },
    question.options.map((option, index) =>
      radio("radio", name, index, option.code, chosen === String(option.code), textSpan(ctx, option.label)),
    ),
    codes.length ? h("div", { class: "or" }, ui(ctx, "or")) : null,
    codes.map((code, index) => radio("radio", name, offset + index, code, chosen === code, missingLabel(ctx, code))),
  );
}

// The calendar a date or year is typed in, when several are offered (questions.html calendar_choice).
function calendarChoice(ctx, question, fields) {
  if (!choosesCalendar(question)) return null;
  const name = `${question.id}-calendar`;
  const chosen = value(fields, name);
  const labels = ctx.calendars[ctx.ui].labels;
  return h("fieldset", { class: "calendars" }, h("legend", { class: "row-legend" }, ui(ctx, "Calendar")),
    h("div", { class: "radios small" },
      question.calendars.map((calendar, index) => radio("radio", name, index, calendar, chosen === calendar, labels[calendar]))));
}

// The month names of each other calendar offered, numbered in the page language's digits.
function monthKeys(ctx, question, parts) {
  const others = question.calendars.filter((calendar) => calendar !== "gregorian");
  if (!parts.includes("month") || !others.length) return null;
  const texts = ctx.calendars[ctx.ui];
  const zero = (ctx.calendars[ctx.lang] || {}).zero;
  return others.filter((calendar) => calendar in texts.months).map((calendar) =>
    h("details", { class: "month-names" }, h("summary", {}, texts.titles[calendar]),
      h("ol", { class: "months" }, texts.months[calendar].map((name, index) =>
        h("li", {}, h("span", { class: "month-number" }, localNumber(index + 1, zero)), ` ${name}`)))));
}

const TEMPLATES = {
  radios(ctx, question, shown, fields, errors) {
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      legend(ctx, question, shown), hintAndError(ctx, question, shown, errors),
      radioList(ctx, question.id, question, value(fields, question.id))));
  },
  scale(ctx, question, shown, fields, errors) {
    const chosen = value(fields, question.id);
    const codes = missingChoices(question);
    const offset = question.options.length;
    const codesOf = question.options.map((option) => option.code);
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      legend(ctx, question, shown), hintAndError(ctx, question, shown, errors),
      h("div", { class: "scale" },
        shown.min_label ? h("span", { class: "scale-end" }, `${Math.min(...codesOf)} = `, textSpan(ctx, shown.min_label)) : null,
        h("div", { class: "scale-points" }, question.options.map((option, index) => h("span", { class: "point" },
          h("input", { type: "radio", id: `${question.id}-${index}`, name: question.id, value: option.code, checked: chosen === String(option.code) }),
          h("label", { for: `${question.id}-${index}` }, h("bdi", {}, String(option.code)))))),
        shown.max_label ? h("span", { class: "scale-end" }, `${Math.max(...codesOf)} = `, textSpan(ctx, shown.max_label)) : null),
      codes.length
        ? h("div", { class: "radios small" }, codes.map((code, index) => radio("radio", question.id, offset + index, code, chosen === code, missingLabel(ctx, code))))
        : null));
  },
  checkboxes(ctx, question, shown, fields, errors) {
    const chosen = fields[question.id] || [];
    const codes = missingChoices(question);
    const offset = question.options.length;
    const help = Object.keys(shown.help).length ? [textSpan(ctx, shown.help), " "] : null;
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      legend(ctx, question, shown),
      h("div", { class: "hint", id: `${question.id}-all` }, help, ui(ctx, "Select all that apply.")),
      errors.length ? h("p", { id: `${question.id}-error`, class: "error-message" }, h("span", { class: "sr" }, ui(ctx, "Error:")), " ", errors.join(" ")) : null,
      h("div", { class: "checkboxes" },
        question.options.map((option, index) => [
          option.exclusive ? h("div", { class: "or" }, ui(ctx, "or")) : null,
          radio("checkbox", question.id, index, option.code, chosen.includes(String(option.code)), textSpan(ctx, option.label)),
        ]),
        codes.length ? h("div", { class: "or" }, ui(ctx, "or")) : null,
        codes.map((code, index) => radio("checkbox", question.id, offset + index, code, chosen.includes(code), missingLabel(ctx, code))))));
  },
  matrix(ctx, question, shown, fields, errors, located) {
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      legend(ctx, question, shown), hintAndError(ctx, question, shown, []),
      question.rows.map((row) => {
        const name = `${question.id}-${row.id}`;
        const rowError = located.find(([anchor]) => anchor === `${name}-0`);
        return h("div", { class: rowError ? "matrix-row group-error" : "matrix-row" }, h("fieldset", {},
          h("legend", { class: "row-legend" }, textSpan(ctx, row.text)),
          rowError ? h("p", { class: "error-message" }, h("span", { class: "sr" }, ui(ctx, "Error:")), " ", rowError[1]) : null,
          radioList(ctx, name, question, value(fields, name))));
      })));
  },
  input(ctx, question, shown, fields, errors) {
    return group(errors, label(ctx, question, shown, question.id), hintAndError(ctx, question, shown, errors),
      h("input", { class: "input", type: "text", id: question.id, name: question.id, value: value(fields, question.id),
        maxlength: shown.max_length, dir: "auto", autocomplete: "off", spellcheck: "false",
        "aria-describedby": describedBy(question, shown, errors) }),
      missingRadios(ctx, question, shown, fields));
  },
  textarea(ctx, question, shown, fields, errors) {
    const area = h("textarea", { class: "textarea", id: question.id, name: question.id, rows: 5, maxlength: shown.max_length,
      dir: "auto", "aria-describedby": describedBy(question, shown, errors) });
    area.value = value(fields, question.id);
    return group(errors, label(ctx, question, shown, question.id), hintAndError(ctx, question, shown, errors), area,
      missingRadios(ctx, question, shown, fields));
  },
  number(ctx, question, shown, fields, errors) {
    return group(errors, label(ctx, question, shown, question.id), hintAndError(ctx, question, shown, errors),
      question.type === "year" ? calendarChoice(ctx, question, fields) : null,
      h("span", { class: "with-unit" },
        h("input", { class: `input ${question.type === "year" ? "w4" : "w6"}`, type: "text",
          inputmode: question.type === "decimal" ? "decimal" : "numeric", id: question.id, name: question.id,
          value: value(fields, question.id), maxlength: 20, dir: "ltr", autocomplete: "off", spellcheck: "false",
          "aria-describedby": describedBy(question, shown, errors) }),
        shown.unit ? [" ", h("span", { class: "unit" }, textSpan(ctx, shown.unit))] : null),
      missingRadios(ctx, question, shown, fields));
  },
  date(ctx, question, shown, fields, errors) {
    const parts = { day: ["day", "month", "year"], month: ["month", "year"], year: ["year"] }[question.precision];
    const names = { day: "Day", month: "Month", year: "Year" };
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      legend(ctx, question, shown), hintAndError(ctx, question, shown, errors), calendarChoice(ctx, question, fields),
      h("div", { class: "date", dir: "ltr" }, parts.map((part) => {
        const name = `${question.id}-${part}`;
        return h("div", { class: "date-part" }, h("label", { for: name }, ui(ctx, names[part])),
          h("input", { class: `input ${part === "year" ? "w4" : "w2"}`, type: "text", inputmode: "numeric", id: name, name,
            value: value(fields, name), maxlength: part === "year" ? 4 : 2, autocomplete: "off" }));
      })),
      monthKeys(ctx, question, parts),
      missingRadios(ctx, question, shown, fields)));
  },
  select(ctx, question, shown, fields, errors) {
    const chosen = value(fields, question.id);
    const listed = ctx.display.lists[question.id];
    const choices = listed
      ? (listed[ctx.lang] || listed[ctx.defaultLanguage]).map(([code, name]) => [code, name])
      : question.options.map((option) => [String(option.code), fixedSpan(ctx, option.label).textContent]);
    return group(errors, label(ctx, question, shown, question.id), hintAndError(ctx, question, shown, errors),
      h("select", { class: "select", id: question.id, name: question.id, "aria-describedby": describedBy(question, shown, errors) },
        h("option", { value: "" }, ui(ctx, "Choose from the list")),
        choices.map(([code, name]) => h("option", { value: code, selected: chosen === code }, name)),
        missingChoices(question).map((code) => h("option", { value: code, selected: chosen === code }, missingLabel(ctx, code)))));
  },
  consent(ctx, question, shown, fields, errors) {
    const heading = ui(ctx, "Your consent");
    return group(errors, h("fieldset", { "aria-describedby": describedBy(question, shown, errors) },
      h("legend", { class: ctx.heading ? "legend-h1" : "legend" }, ctx.heading ? h("h1", {}, heading) : heading),
      h("div", { class: "consent-text" }, textSpan(ctx, shown.text)), hintAndError(ctx, question, shown, errors),
      h("div", { class: "checkbox" },
        h("input", { type: "checkbox", id: question.id, name: question.id, value: "yes", checked: value(fields, question.id) === "yes" }),
        h("label", { for: question.id }, shown.agree_label ? textSpan(ctx, shown.agree_label) : ui(ctx, "Yes, I agree")))));
  },
  note(ctx, question, shown) {
    return h("div", { class: "group note" },
      ctx.heading ? h("h1", {}, textSpan(ctx, shown.text)) : h("p", {}, textSpan(ctx, shown.text)),
      Object.keys(shown.help).length ? h("p", { class: "hint" }, textSpan(ctx, shown.help)) : null);
  },
};

export function renderQuestion(ctx, question, fields, located) {
  const shown = ctx.display.questions[question.id];
  const errors = located.map(([, message]) => message);
  const audio = shown.audio && shown.audio[ctx.lang]
    ? h("div", { class: "audio" },
      h("audio", { controls: true, preload: "none", src: shown.audio[ctx.lang], "aria-label": ui(ctx, "Listen to the question") }))
    : null;
  return [audio, TEMPLATES[shown.template](ctx, question, shown, fields, errors, located)];
}

// The interviewer's view of a question (interview/page.html's <aside>), in the interviewer's language.
export function interviewerNote(ctx, question) {
  const shown = ctx.display.questions[question.id];
  const il = ctx.interviewerLanguage;
  const inIl = { ...ctx, lang: il };
  return h("aside", { class: "iv", lang: il, dir: direction(ctx, il), "aria-label": ui(ctx, "For the interviewer") },
    h("p", { class: "iv-text" }, plainSpan(inIl, shown.text)),
    question.options && question.type !== "scale"
      ? h("ul", { class: "iv-options" }, question.options.map((option) => {
        const item = unwrapped("li", fixedSpan(inIl, option.label));
        item.prepend(h("bdi", {}, String(option.code)), " ");
        return item;
      }))
      : null,
    Object.keys(shown.interviewer_note).length
      ? h("p", { class: "iv-note" }, h("strong", {}, ui(ctx, "Instruction:")), " ", fixedSpan(inIl, shown.interviewer_note))
      : null,
    missingChoices(question).length
      ? h("p", { class: "iv-note" }, ui(ctx, "\"Don't know\" and \"Prefer not to say\": do not read out; choose them only if the respondent says so."))
      : null);
}

export function errorSummary(ctx, located) {
  if (!located.length) return null;
  return h("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": "error-summary-title" },
    h("h2", { id: "error-summary-title" }, ui(ctx, "There is a problem")),
    h("ul", {}, located.map(([anchor, message]) => h("li", {}, h("a", { href: `#${anchor}` }, message)))));
}

// A question page: {progress: [position, total], located: [[anchor, message]], page, questions,
// fields, handedOver, onSubmit}.
export function questionPage(ctx, view) {
  const { page, questions, located, fields, handedOver } = view;
  // A member page has its roster page's title; an "add another?" page, the roster's (rosters.js).
  const pageTitle = ctx.display.pages[page.roster ? page.template || page.roster : page.id].title;
  const heading = questions.length === 1 && !Object.keys(pageTitle).length;
  const inPage = { ...ctx, heading };
  const form = h("form", { method: "post", novalidate: true, onsubmit: view.onSubmit },
    h("div", { class: "respondent", lang: ctx.lang, dir: direction(ctx, ctx.lang) },
      Object.keys(pageTitle).length ? unwrapped("h1", fixedSpan(ctx, pageTitle)) : null,
      questions.map((question) => [
        renderQuestion(inPage, question, fields, located.filter(([anchor]) => anchorOf(question, anchor))),
        handedOver ? null : interviewerNote(ctx, question),
      ])),
    h("button", { class: "button", type: "submit", name: "continue", value: "1" }, ui(ctx, "Continue")));
  return [
    h("p", { class: "progress" }, uiWith(ctx, "Page %(position)s of %(total)s", {
      position: h("bdi", {}, String(view.progress[0])), total: h("bdi", {}, String(view.progress[1])),
    })),
    errorSummary(ctx, located),
    form,
  ];
}

// An element holding a text directly, with the span's fallback marking (as `<h1{{ pt.attrs }}>`).
function unwrapped(tag, span) {
  const attributes = Object.fromEntries(Array.from(span.attributes, (a) => [a.name, a.value]));
  return h(tag, attributes, span.textContent);
}

function anchorOf(question, anchor) {
  return anchor === question.id || anchor.startsWith(`${question.id}-`);
}
