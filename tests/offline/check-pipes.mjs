// The piped-text vectors (tests/data/logic-vectors/pipes.json) through survey/static/offline/pipes.js:
// the markup as the server's pipe_markup writes it (escaped as markupsafe escapes), the plain text as
// its pipe() does, and computed values as Computed.display shows them.
import { computedDisplay, pipeParts, pipeText } from "../../survey/static/offline/pipes.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
const escape = (text) => text.replace(/[&<>"']/gu, (ch) => ESCAPES[ch]);

function markup(parts) {
  return parts.map((part) => (typeof part === "string" ? escape(part) : `<bdi>${escape(part.value)}</bdi>`)).join("");
}

// A roster member's answers before all others (model.py member_answers), for `{{name[n]}}`.
function memberLookup(set, answers) {
  return (name, number) => {
    const roster = set.rosters[name];
    if (!roster) return null;
    const members = Array.isArray(answers[roster]) ? answers[roster] : [];
    const own = members[number - 1];
    return { answers: { ...answers, ...(own && typeof own === "object" && !Array.isArray(own) ? own : {}) }, computed: {} };
  };
}

export function checkPipes(vectors, report) {
  for (const set of vectors.sets) {
    const questions = new Map(set.questions.map((question) => [question.id, question]));
    set.cases.forEach((expected, index) => {
      const where = `${set.questionnaire} #${index} (${expected.lang}, ${expected.ui}) ${JSON.stringify(expected.text)}`;
      const sources = { questions, answers: expected.answers, computed: {}, member: memberLookup(set, expected.answers) };
      const ctx = { texts: set.texts[expected.ui], defaultLanguage: set.default_language, display: { lists: set.lists } };
      report(`${where}: markup`, expected.markup, markup(pipeParts(expected.text, sources, expected.lang, ctx)));
      report(`${where}: text`, expected.plain, pipeText(expected.text, sources, expected.lang, ctx));
    });
  }
  for (const { value, display } of vectors.computed) report(`computed ${JSON.stringify(value)}`, display, computedDisplay(value));
}
