// Rosters offline: a group of pages asked once per member (survey/questionnaires/model.py `Roster`,
// survey/respond/flow.py `_walk_roster`, survey/respond/services.py for saving and removing members).
// Member n's page has the roster page's id and the member's number (`member_born.2`); the "add
// another?" page after n members is `roster.n`. A member's answers are kept as on the server:
// answers[roster] = [{question id: answer}, ...], member 1 first.
import { computeValues, parse } from "./expressions.js";
import { holds, indexPage, lookup, shownQuestions } from "./flow.js";
import { answerable } from "./questions.js";
import { keeps } from "./rules.js";

const YES = 1; // the code of "yes" on an "add another?" page (survey/questionnaires/roster_checks.py)

function isMember(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Parse the rosters' conditions and list their questions (flow.js `prepare`); returns the plan: the
// top-level pages with each roster before the page at its position, as flow.py `_build_plan`.
export function prepareRosters(description, questionById, conditions, rules) {
  const rosters = [...(description.rosters || [])].sort((a, b) => a.position - b.position);
  for (const roster of rosters) {
    if (roster.show_if) conditions.set(roster, parse(roster.show_if));
    if (roster.add_another) questionById.set(roster.add_another.id, roster.add_another);
    for (const page of roster.pages) indexPage(page, questionById, conditions, rules);
  }
  const plan = [];
  description.pages.forEach((page, index) => {
    plan.push(...rosters.filter((roster) => roster.position === index), page);
  });
  plan.push(...rosters.filter((roster) => roster.position >= description.pages.length));
  return { plan, memberPages: new Map() };
}

export function isRoster(step) {
  return Object.hasOwn(step, "position");
}

// One object per page id, so that conditions (kept per object) and routes find it again.
function cached(questionnaire, id, make) {
  let page = questionnaire.memberPages.get(id);
  if (!page) {
    page = make();
    questionnaire.memberPages.set(id, page);
  }
  return page;
}

// A roster page as asked for one member (model.py `Roster.member_page`).
export function memberPage(questionnaire, roster, template, member) {
  return cached(questionnaire, `${template.id}.${member}`, () => {
    const page = { id: `${template.id}.${member}`, show_if: template.show_if, questions: template.questions, roster: roster.id, member, template: template.id };
    if (questionnaire.conditions.has(template)) questionnaire.conditions.set(page, questionnaire.conditions.get(template));
    return page;
  });
}

// The "add another?" page after `members` members (model.py `Roster.add_page`).
export function addPage(questionnaire, roster, members) {
  return cached(questionnaire, `${roster.id}.${members}`, () => ({
    id: `${roster.id}.${members}`, show_if: null, questions: [roster.add_another], roster: roster.id, member: members, template: "",
  }));
}

export function addsMember(page) {
  return Boolean(page.roster) && !page.template;
}

// A page by id, member pages included (model.py `Questionnaire.page`); null when there is none.
export function findPage(questionnaire, pageId) {
  const found = questionnaire.pages.find((page) => page.id === pageId);
  if (found) return found;
  const dot = pageId.lastIndexOf(".");
  const base = pageId.slice(0, Math.max(dot, 0));
  const number = pageId.slice(dot + 1);
  if (dot < 0 || !/^(0|[1-9][0-9]*)$/u.test(number)) return null;
  const members = Number(number);
  for (const roster of questionnaire.rosters || []) {
    if (members > roster.max) continue;
    if (roster.id === base && roster.add_another && members < roster.max) return addPage(questionnaire, roster, members);
    for (const template of roster.pages) {
      if (template.id === base && members >= 1) return memberPage(questionnaire, roster, template, members);
    }
  }
  return null;
}

// What member `member` of a roster sees: that member's own answers before every other answer
// (model.py `member_answers`).
export function memberAnswers(answers, rosterId, member) {
  const members = Array.isArray(answers[rosterId]) ? answers[rosterId] : [];
  const own = member > 0 && member <= members.length && isMember(members[member - 1]) ? members[member - 1] : {};
  return { ...answers, ...own };
}

// What a page sees (flow.py `page_answers`): a member's page, that member's answers first.
export function pageAnswers(page, answers) {
  return page.roster ? memberAnswers(answers, page.roster, page.member) : answers;
}

// The roster a question (or member computed value) belongs to, or null (model.py `roster_of`).
export function rosterOf(questionnaire, name) {
  return (questionnaire.rosters || []).find((roster) =>
    roster.pages.some((page) => page.questions.some((question) => question.id === name))
    || (roster.computed || []).some((computed) => computed.id === name)) || null;
}

// How many members a roster asks about: the count question's answer, or as many as were added;
// never more than the roster's maximum (flow.py `members_wanted`).
function membersWanted(questionnaire, roster, kept, given, today) {
  let wanted = given;
  if (roster.count) {
    const count = lookup(questionnaire, kept, today)({ question: roster.count, row: null });
    wanted = typeof count === "number" && Number.isInteger(count) ? count : 0;
  }
  return Math.max(0, Math.min(wanted, roster.max));
}

// The skip logic of one roster (flow.py `_walk_roster`): each member's pages with that member's
// answers, in order; the kept answers go to kept[roster.id], the pages to `pages`.
export function walkRoster(questionnaire, roster, answers, kept, pages, shown, today) {
  const given = answers[roster.id];
  const members = Array.isArray(given) ? given : [];
  const wanted = membersWanted(questionnaire, roster, kept, members.length, today);
  const keptMembers = [];
  kept[roster.id] = keptMembers;
  for (let number = 1; number <= wanted; number += 1) {
    const raw = number <= members.length && isMember(members[number - 1]) ? members[number - 1] : {};
    const own = {};
    keptMembers.push(own);
    for (const template of roster.pages) {
      // The member's answers so far before all others (member computed values read them too).
      const values = lookup(questionnaire, { ...kept, ...own }, today);
      if (!holds(questionnaire, template, values)) continue;
      // As the top-level walk asks a page's questions (flow.js `shownQuestions`: filtered lists narrowed).
      const questions = shownQuestions(questionnaire, template, values);
      if (!questions.length) continue;
      pages.push(memberPage(questionnaire, roster, template, number));
      for (const question of questions) {
        shown.add(question.id);
        const answer = Object.hasOwn(raw, question.id) ? raw[question.id] : null;
        if (answerable(question) && answer !== null && answer !== undefined && keeps(question, answer)) {
          own[question.id] = answer;
        }
      }
    }
  }
  if (roster.add_another && wanted < roster.max) pages.push(addPage(questionnaire, roster, wanted));
}

function copyMembers(answers, rosterId) {
  const members = answers[rosterId];
  return Array.isArray(members) ? members.map((member) => (isMember(member) ? { ...member } : member)) : [];
}

// The answers after saving a page of a roster (services.py `save_page`): a member's page replaces
// that member's answers to its questions; "add another?" keeps the members so far and adds an empty
// one for a yes. A new object; the given answers are not changed.
export function saveRosterPage(answers, page, pageAnswers) {
  const members = copyMembers(answers, page.roster);
  if (addsMember(page)) {
    members.splice(page.member);
    if (Object.values(pageAnswers)[0] === YES) members.push({});
  } else {
    while (members.length < page.member) members.push({});
    if (!isMember(members[page.member - 1])) members[page.member - 1] = {};
    const own = members[page.member - 1];
    for (const question of page.questions) delete own[question.id];
    for (const [id, value] of Object.entries(pageAnswers)) if (value !== null) own[id] = value;
  }
  return { ...answers, [page.roster]: members };
}

// The answers without member `number` of an "add another" roster, later members moving up one place
// (services.py `remove_member`); null when there is no such member. Completed pages stay completed.
export function removeMember(answers, roster, number) {
  const members = copyMembers(answers, roster.id);
  if (!roster.add_another || number < 1 || number > members.length) return null;
  members.splice(number - 1, 1);
  return { ...answers, [roster.id]: members };
}

// What piped texts see (pipes.js `sources`) on a page that sees `answers` (flow.js `pageAnswers`):
// those answers, the computed values worked out from them (model.py `piped_value`), and
// member(name, n): the answers and computed values of member n of the roster `name` belongs to, or
// null when it belongs to none (`{{name[n]}}`).
export function pipeSources(questionnaire, answers, today) {
  const calculations = [...(questionnaire.computedById || new Map()).values()];
  const computed = (seen) => computeValues(calculations, lookup(questionnaire, seen, today));
  const member = (name, number) => {
    const roster = rosterOf(questionnaire, name);
    if (!roster) return null;
    const seen = memberAnswers(answers, roster.id, number);
    return { answers: seen, computed: computed(seen) };
  };
  return { questions: questionnaire.questionById, answers, computed: computed(answers), member };
}
