"""The checker's part for what reads earlier answers: computed values (checked where first used),
`valid_if` rules and filtered lists (`options_from`). A mixin of the loader's builder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import expressions as ex
from .builder_state import BuilderState
from .model import Computed
from .questions import Question


class DerivedChecks(BuilderState):
    def options_from(self, spec: Mapping[str, Any], pointer: str, on_page: Mapping[str, Question]) -> Mapping[str, Any]:
        """A filtered list takes its options from an earlier choice question (shown: those chosen)."""
        source = spec["options_from"]
        where = f"{pointer}/options_from"
        if "options" in spec:
            self.error(where, "a question has either 'options' or 'options_from', not both")
            return spec
        if source not in self.seen:
            found = "on the same page" if source in on_page else "not a question on an earlier page"
            self.error(where, f"'{source}' is {found}; options come from answers on earlier pages")
            return spec
        if self.raw[source]["type"] not in ("single_choice", "dropdown", "multiple_choice"):
            self.error(where, f"'{source}' is not a single or multiple choice question")
            return spec
        return {**spec, "options": self.raw[source]["options"]}

    def rule(self, spec: Mapping[str, Any], cls: type[Question], pointer: str) -> ex.Condition | None:
        """`valid_if`: a condition over earlier answers, computed values and this question's own answer."""
        source = spec.get("valid_if")
        if source is None:
            return None
        if cls.kind is None or cls.type_name == "matrix":
            self.error(f"{pointer}/valid_if", "this question type has no answer a rule can read")
            return None
        own = {spec["id"]: ex.Symbol(cls.kind)}
        return self.condition(source, f"{pointer}/valid_if", own=own)

    def computed_symbol(self, ref: ex.Ref, used_at: str) -> ex.Symbol:
        computed = self.computed_value(ref.question, used_at)
        if computed is None:
            raise ex.ExpressionError(
                f"computed value '{ref.question}' has an error (see its own message)", ref.position
            )
        return ex.Symbol(computed.kind)

    def pipe_computed(self, name: str, pointer: str) -> None:
        computed = self.computed_value(name, pointer)
        if computed is not None and computed.kind == ex.BOOL:
            self.error(pointer, f"'{{{{{name}}}}}' is a yes/no value and cannot be piped into a text")

    def computed_value(self, name: str, used_at: str) -> Computed | None:
        """The computed value `name`, checked on its first use against the questions asked before that
        use (and against every question when nothing uses it)."""
        if name in self.computed:
            return self.computed[name]
        self.computed[name] = None  # a value that (indirectly) uses itself finds None
        index = self.computed_specs[name]
        if name in self.computed_where:  # a roster's: worked out per member
            spec, pointer, roster = self.computed_where[name]
        else:
            spec, pointer, roster = self.data["computed"][index], f"/computed/{index}", ""
        # At the end (no use), every question; a finished roster's value, every question of the roster.
        questions = self.roster_scopes.get(roster, self.seen) if roster else self.seen

        def resolve(ref: ex.Ref) -> ex.Symbol:
            if ref.question in self.computed_specs and ref.row is None:
                if self.computed_specs[ref.question] >= index:
                    raise ex.ExpressionError(
                        f"'{ref.question}' is not defined before '{name}'; a computed value uses only those above it",
                        ref.position,
                    )
                return self.computed_symbol(ref, used_at)
            owner = self.roster_members.get(ref.question)
            if owner is not None and owner != roster:
                raise ex.ExpressionError(
                    f"'{ref.question}' is asked once per member of roster '{owner}'; "
                    f"only that roster's computed values can read it",
                    ref.position,
                )
            question = questions.get(ref.question)
            if question is None:
                if any(question_id == ref.question for question_id in self._later_ids()):
                    raise ex.ExpressionError(
                        f"'{ref.question}' is asked only after '{name}' is first used (at {used_at})", ref.position
                    )
                raise ex.ExpressionError(f"unknown question '{ref.question}'", ref.position)
            symbol = question.symbol(ref.row)
            if symbol is None:
                raise ex.ExpressionError(f"'{ref.name}' cannot be used in a calculation", ref.position)
            if question.privacy in ("direct", "quasi") and spec.get("privacy") != "quasi":
                raise ex.ExpressionError(
                    f"'{ref.question}' is a {question.privacy} identifier: set \"privacy\": \"quasi\" on '{name}'",
                    ref.position,
                )
            return symbol

        try:
            calculation = ex.compile_calculation(spec["value"], resolve)
        except ex.ExpressionError as error:
            self.error(f"{pointer}/value", f"calculation {spec['value']!r}: {error}")
            return None
        computed = Computed(
            name,
            self.text(spec["label"], f"{pointer}/label"),
            calculation,
            spec.get("privacy", "none"),
            pointer,
            roster=roster,
        )
        self.computed[name] = computed
        return computed

    def computed_checks(self) -> None:
        names: set[str] = set()
        for index, spec in enumerate(self.data.get("computed", [])):
            name = spec["id"]
            if name in self.seen:
                self.error(f"/computed/{index}/id", f"'{name}' is also a question id")
            if name in names:
                self.error(f"/computed/{index}/id", f"duplicate computed value '{name}'")
            names.add(name)
