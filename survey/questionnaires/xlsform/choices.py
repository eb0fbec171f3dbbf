"""Choice lists: option codes for XLSForm choice names, and choice filters (`selected(${q}, name)`
becomes `options_from`; a cascade `${parent} = column` becomes one question per choice of the parent)."""

from __future__ import annotations

import re
from typing import Any

from .pages import Item, ident
from .sheets import Report, Row, Workbook, split_column
from .xpath import Binary, Column, Field, Func, Ref, XPathError, parse


class ChoiceLists:
    """The choice-list half of the importer (a mixin of `importer.Importer`)."""

    book: Workbook
    report: Report
    ids: set[str]
    fields: dict[str, Field]
    lists: dict[str, list[Row]]
    codes: dict[str, dict[str, int]]
    splits: dict[str, list[tuple[str, set[int]]]]
    default_language: str

    def text(self, row: Row, sheet: str, base: str) -> dict[str, str]:
        raise NotImplementedError

    def list_of(self, row: Row) -> str:
        raise NotImplementedError

    def read_choices(self) -> None:
        for row in self.book.choices:
            list_name = row.get("list_name") or row.get("list name")
            if not list_name or not row.get("name"):
                self.report.add("choices", row.number, "name", "a choice needs list_name and name: row left out")
                continue
            self.lists.setdefault(list_name, []).append(row)
        for list_name, rows in self.lists.items():
            names = list(dict.fromkeys(row.get("name") for row in rows))
            if all(re.fullmatch(r"\d{1,4}", name) for name in names):
                self.codes[list_name] = {name: int(name) for name in names}
            else:
                self.codes[list_name] = {name: index + 1 for index, name in enumerate(names)}

    def options(self, list_name: str, rows: list[Row]) -> list[dict[str, Any]]:
        options, seen = [], set()
        for row in rows:
            code = self.codes[list_name][row.get("name")]
            if code in seen:
                continue
            seen.add(code)
            label = self.text(row, "choices", "label")
            if not label:
                self.report.add("choices", row.number, "label", "no label: the choice name is shown instead")
                label = {self.default_language: row.get("name")}
            options.append({"code": code, "label": label})
            for header, value in row.cells.items():
                base = split_column(header)[0]
                if base not in ("list_name", "list name", "name", "label") and not self.is_filter_column(base):
                    self.report.add("choices", row.number, header, f"'{value}' not imported (no equivalent)")
        return options

    def is_filter_column(self, column: str) -> bool:
        return any(column in (item.get("choice_filter") or "") for item in self.book.survey)

    # --- survey rows --------------------------------------------------------------------

    def cascade(self, item: Item, name: str) -> list[Item]:
        """A select whose choices depend on an earlier select (`${parent} = column`): one question
        per choice of the parent, each asked only when that choice was made, with its share of the list."""
        parent_name, column, list_name = item.spec.pop("cascade")
        parent = self.fields[parent_name]
        assert parent.codes is not None
        parts: list[tuple[str, set[int]]] = []
        found: list[Item] = []
        self.ids.discard(item.spec["id"])
        for value, code in parent.codes.items():
            children = [row for row in self.lists[list_name] if row.get(column) == value]
            if not children:
                continue
            if len({row.get("name") for row in children}) < 2:
                self.report.add(
                    "choices",
                    children[0].number,
                    column,
                    f"only one choice of '{list_name}' for {parent_name} = '{value}': that question is not asked",
                )
                continue
            spec = dict(item.spec, id=ident(f"{item.spec['id']}_{value}", self.ids))
            spec["options"] = self.options(list_name, children)
            condition = self.chosen(parent_name, code)
            spec["show_if"] = f"({spec['show_if']}) and {condition}" if "show_if" in spec else condition
            parts.append((spec["id"], {self.codes[list_name][r.get("name")] for r in children}))
            found.append(Item(spec, item.row, None, origins=dict(item.origins)))
        self.splits[name] = parts
        self.report.add(
            "survey",
            item.row,
            "choice_filter",
            f"{name} filtered by ${{{parent_name}}}: one question per choice ({', '.join(p for p, _ in parts)}), "
            "each asked when that choice was made",
        )
        return found

    def chosen(self, name: str, code: int) -> str:
        """The condition "question `name` has the answer `code`", also for a question split by a cascade."""
        if name not in self.splits:
            return f"{self.fields[name].id} = {code}"
        holders = [part for part, codes in self.splits[name] if code in codes]
        return "(" + " or ".join(f"{part} = {code}" for part in holders) + ")" if holders else "false"

    def choices(self, row: Row, spec: dict[str, Any], item: Item, found: Field) -> None:
        list_name = self.list_of(row)
        rows = self.lists[list_name]
        spec["options"] = self.options(list_name, rows)
        source = row.get("choice_filter")
        if not source:
            return
        try:
            tree = parse(source)
        except XPathError as error:
            self.report.add("survey", row.number, "choice_filter", f"{source!r} not imported: {error}")
            return

        if isinstance(tree, Func) and tree.name == "selected" and len(tree.arguments) == 2:
            ref, column = tree.arguments
            if isinstance(ref, Ref) and isinstance(column, Column) and column.name == "name" and ref.name:
                source_field = self.fields.get(ref.name)
                if source_field is not None and source_field.codes == found.codes:
                    del spec["options"]
                    spec["options_from"] = source_field.id
                    return
        if isinstance(tree, Binary) and tree.op == "=":
            sides = (tree.left, tree.right)
            parent_ref = next((side for side in sides if isinstance(side, Ref)), None)
            filter_column = next((side for side in sides if isinstance(side, Column)), None)
            if parent_ref is not None and filter_column is not None and parent_ref.name:
                parent = self.fields.get(parent_ref.name)
                if parent is not None and parent.codes is not None and parent.kind == "select_one":
                    spec["cascade"] = (parent_ref.name, filter_column.name, list_name)
                    return
        self.report.add(
            "survey",
            row.number,
            "choice_filter",
            f"{source!r} not imported: only selected(${{q}}, name) and ${{q}} = column filters have an equivalent; "
            "all choices are offered",
        )
