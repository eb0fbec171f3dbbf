"""The checker's part for rosters (a group of pages asked once per member): their count or "add
another?" question, the question naming a member, their scope and computed values per member.
A mixin of the loader's builder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import expressions as ex
from .builder_state import BuilderState
from .model import Option, Page, Roster, Text
from .questions import Question
from .questions.choice import SingleChoice

DEFAULT_MAX_MEMBERS = 20
YES, NO = 1, 2  # the codes of the "add another?" answers


class RosterChecks(BuilderState):
    def roster(self, spec: Mapping[str, Any], pointer: str, position: int, page_ids: set[str]) -> Roster:
        """Build a roster: its pages see the questions before it and its own earlier pages; the pages
        after it see its members only through any(...), all(...), count(...) and `{{name[n]}}`."""
        roster_id = spec["id"]
        if roster_id in page_ids or roster_id in self.seen or roster_id in self.roster_scopes:
            self.error(f"{pointer}/id", f"'{roster_id}' is already the id of a page, question or roster")
        page_ids.add(roster_id)
        title = self.text(spec["title"], f"{pointer}/title")
        maximum = spec.get("max", DEFAULT_MAX_MEMBERS)
        self.roster_maxima[roster_id] = maximum
        show_if = self.condition(spec.get("show_if"), f"{pointer}/show_if")
        count = self.count(spec, pointer, maximum)
        add_another = self.add_another(spec, pointer, roster_id)
        outer = self.seen
        self.seen = dict(outer)  # the roster's questions are visible inside it only
        self.current_roster = roster_id
        for index, computed_spec in enumerate(spec.get("computed", [])):
            name = computed_spec["id"]
            if name in self.computed_specs:
                self.error(f"{pointer}/computed/{index}/id", f"duplicate computed value '{name}'")
                continue
            self.computed_specs[name] = len(self.computed_specs)
            self.computed_where[name] = (computed_spec, f"{pointer}/computed/{index}", roster_id)
            self.roster_members[name] = roster_id
        pages: list[Page] = []
        for index, page_spec in enumerate(spec["pages"]):
            page_pointer = f"{pointer}/pages/{index}"
            if "roster" in page_spec:
                self.error(
                    f"{page_pointer}/roster",
                    "rosters cannot be nested: ask about a member's own list in a roster of its own",
                )
                continue
            if page_spec["id"] in page_ids:
                self.error(f"{page_pointer}/id", f"duplicate page id '{page_spec['id']}'")
            page_ids.add(page_spec["id"])
            before = set(self.seen)
            pages.append(self.page(page_spec, page_pointer))
            for question_id in set(self.seen) - before:
                self.roster_members[question_id] = roster_id
        self.roster_scopes[roster_id] = self.seen
        # Member computed values nothing uses are still checked, against the whole roster.
        for name, (_, _, owner) in list(self.computed_where.items()):
            if owner == roster_id:
                self.computed_value(name, "")
        self.seen = outer
        self.current_roster = ""
        name = spec.get("name")
        if name is not None and self.roster_members.get(name) != roster_id:
            self.error(f"{pointer}/name", f"'{name}' is not a question of this roster")
        return Roster(
            id=roster_id,
            title=title,
            pages=tuple(pages),
            position=position,
            max_members=maximum,
            count=count,
            add_another=add_another,
            name=name,
            show_if=show_if,
            computed=tuple(
                found
                for key, (_, _, owner) in self.computed_where.items()
                if owner == roster_id and (found := self.computed.get(key)) is not None
            ),
            pointer=pointer,
        )

    def count(self, spec: Mapping[str, Any], pointer: str, maximum: int) -> str | None:
        count = spec.get("count")
        if (count is None) == ("add_another" not in spec):
            self.error(pointer, "a roster needs exactly one of 'count' (an earlier integer question) or 'add_another'")
            return None
        if count is None:
            return None
        question = self.seen.get(count)
        if question is None:
            self.error(f"{pointer}/count", f"'{count}' is not a question on an earlier page")
            return None
        if question.type_name != "integer":
            self.error(f"{pointer}/count", f"'{count}' is a {question.type_name} question, not an integer question")
            return None
        most = getattr(question, "maximum", None)
        if most is None or most > maximum:
            self.warning(
                f"{pointer}/count",
                f"'{count}' allows more than {maximum} members; only the first {maximum} are asked about",
            )
        return count

    def add_another(self, spec: Mapping[str, Any], pointer: str, roster_id: str) -> Question | None:
        raw = spec.get("add_another")
        if raw is None:
            return None
        where = f"{pointer}/add_another"
        return SingleChoice(
            id=f"{roster_id}_more",
            text=self.text(raw["text"], f"{where}/text"),
            help=Text.of(None, self.default),
            interviewer_note=Text.of(None, self.default),
            required=True,
            privacy="none",
            show_if=None,
            dont_know=False,
            refuse=False,
            hierarchy=None,
            pointer=where,
            audio=Text.of(None, self.default),
            options=(
                Option(YES, self.text(raw["yes"], f"{where}/yes")),
                Option(NO, self.text(raw["no"], f"{where}/no")),
            ),
        )

    def roster_symbol(self, ref: ex.Ref) -> ex.Symbol | None:
        """A finished roster named in a condition: its members' names resolve in its own scope."""
        scope = self.roster_scopes.get(ref.question)
        if scope is None or ref.row is not None:
            return None

        def members(inner: ex.Ref) -> ex.Symbol:
            if inner.question in self.computed_specs and inner.row is None:
                computed = self.computed_value(inner.question, "")
                if computed is None:
                    raise ex.ExpressionError(f"computed value '{inner.question}' has an error", inner.position)
                return ex.Symbol(computed.kind)
            question = scope.get(inner.question)
            if question is None:
                raise ex.ExpressionError(
                    f"unknown question '{inner.question}' in the members of '{ref.question}'", inner.position
                )
            symbol = question.symbol(inner.row)
            if symbol is None:
                raise ex.ExpressionError(f"'{inner.name}' cannot be used in a condition", inner.position)
            return symbol

        return ex.Symbol(ex.MEMBERS, members=members)

    def outside_roster(self, name: str) -> str | None:
        """Why `name` (asked per member of a roster) cannot be read here directly; None when it can."""
        owner = self.roster_members.get(name)
        if owner is None or owner == self.current_roster:
            return None
        return (
            f"'{name}' is asked once per member of roster '{owner}': "
            f"use any({owner}, ...), all({owner}, ...) or {{{{{name}[n]}}}} for member n"
        )

    def pipe_member(self, name: str, member: str, pointer: str) -> None:
        """`{{name[n]}}`: member n's answer to a roster question (or its computed value)."""
        owner = self.roster_members.get(name)
        if owner is None:
            self.error(pointer, f"'{{{{{name}[{member}]}}}}': '{name}' is not a question or value of a roster")
        elif int(member) > self.roster_maxima[owner]:
            self.error(
                pointer, f"'{{{{{name}[{member}]}}}}': roster '{owner}' has at most {self.roster_maxima[owner]} members"
            )
