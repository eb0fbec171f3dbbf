// The review's roster parts, as survey/templates/respond/review.html shows them: above each member's
// first page a heading with the roster's title, the member's number and name and, for an "add
// another" roster, a "Remove" button; where the "add another?" page is, a link to add one more.
import { localText } from "./questions.js";
import { h, ui, uiWith } from "./render.js";
import { addsMember, pageAnswers } from "./rosters.js";

function rosterTitle(ctx, rosterId) {
  return localText(ctx.display.pages[rosterId].title, ctx.lang, ctx.defaultLanguage);
}

// respond/pages.py `member_headings`: the member's name is the display form of its answer to the
// roster's `name` question ("" when there is none).
function memberName(questionnaire, roster, page, answers, display) {
  if (!roster.name) return "";
  const answer = pageAnswers(page, answers)[roster.name];
  return answer === undefined || answer === null ? "" : display(questionnaire.questionById.get(roster.name), answer);
}

function memberHeading(ctx, roster, number, name, remove) {
  const person = ui(ctx, "Person %(number)s", { number });
  return h("div", { class: "member" },
    h("h2", {}, `${rosterTitle(ctx, roster.id)}: `, uiWith(ctx, "Person %(number)s", { number: h("bdi", {}, String(number)) }),
      name ? [" – ", h("bdi", {}, name)] : null),
    roster.add_another
      ? h("form", { method: "post", novalidate: true, onsubmit: (event) => { event.preventDefault(); remove(roster, number); } },
        h("button", { class: "button secondary", type: "submit" }, ui(ctx, "Remove"),
          h("span", { class: "sr" }, ` ${person}${name ? ` ${name}` : ""}`)))
      : null);
}

// The review's answer lists with the roster parts between them. ctx: the review's (questionnaire
// texts in ctx.lang, page texts in ctx.ui); actions: rows(page) -> the page's summary rows,
// display(question, answer) -> text, remove(roster, number), add(page).
export function summaryWithMembers(ctx, questionnaire, pages, answers, actions) {
  let list = h("dl", { class: "summary" });
  const blocks = [list];
  const headed = new Set();
  for (const page of pages) {
    const member = `${page.roster}.${page.member}`;
    if (page.roster && !addsMember(page) && !headed.has(member)) {
      headed.add(member);
      const roster = questionnaire.rosters.find((item) => item.id === page.roster);
      const name = memberName(questionnaire, roster, page, answers, actions.display);
      list = h("dl", { class: "summary" });
      blocks.push(memberHeading(ctx, roster, page.member, name, actions.remove), list);
    }
    if (addsMember(page)) {
      list = h("dl", { class: "summary" });
      blocks.push(h("p", { class: "add-member" },
        h("a", { href: "#add", onclick: (event) => { event.preventDefault(); actions.add(page); } },
          ui(ctx, "Add a person to this list: %(list)s", { list: rosterTitle(ctx, page.roster) }))), list);
    } else {
      list.append(...actions.rows(page));
    }
  }
  return blocks;
}
