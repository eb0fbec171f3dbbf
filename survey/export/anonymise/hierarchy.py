"""Generalisation hierarchies: for one attribute, every original value's coarser values, level by level."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .errors import HierarchyError

TOP = "*"


class Hierarchy:
    """Maps each original value of one attribute to its value at level 0 (the value itself), 1, ..., `height`.

    Levels must nest: two values that share a generalisation at one level share it at every higher
    level too. The optimal search relies on that (a coarser transformation never splits a class).
    """

    def __init__(self, table: Mapping[str, Sequence[str]], name: str = "") -> None:
        """`table` maps each original value to its values at levels 1..height (level 0 is the value)."""
        self.name = name or "hierarchy"
        if not table:
            raise HierarchyError(f"{self.name}: the hierarchy has no values")
        self._table: dict[str, tuple[str, ...]] = {}
        height = -1
        for value, coarser in table.items():
            row = (str(value), *(str(level) for level in coarser))
            if height >= 0 and len(row) - 1 != height:
                raise HierarchyError(
                    f"{self.name}: value {row[0]!r} has {len(row) - 1} generalisation levels, the others {height}"
                )
            height = len(row) - 1
            self._table[row[0]] = row
        self.height = height
        self._check_nesting()

    def _check_nesting(self) -> None:
        for level in range(1, self.height):
            parent: dict[str, str] = {}
            for row in self._table.values():
                seen = parent.setdefault(row[level], row[level + 1])
                if seen != row[level + 1]:
                    raise HierarchyError(
                        f"{self.name}: {row[level]!r} at level {level} generalises to both {seen!r} and "
                        f"{row[level + 1]!r} at level {level + 1}"
                    )

    # Constructors ------------------------------------------------------------------------------------

    @classmethod
    def from_arx_csv(cls, path: str | Path, name: str | None = None) -> Hierarchy:
        """Read ARX's format: one line per original value, then each coarser level; `;`-separated (or
        `,` when the file has no `;`). `name` defaults to what follows `_hierarchy_` in the file name."""
        path = Path(path)
        label = name or path.stem.rsplit("_hierarchy_", 1)[-1]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise HierarchyError(f"{path}: cannot read the hierarchy file ({error})") from None
        separator = ";" if ";" in text else ","
        table: dict[str, tuple[str, ...]] = {}
        first_line: dict[str, int] = {}
        width = 0
        width_line = 0
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
            if not any(cell.strip() for cell in row):
                continue  # blank lines, e.g. at the end of a file written by hand
            if not width:
                width, width_line = len(row), number
            elif len(row) != width:
                raise HierarchyError(
                    f"{path}, line {number}: {len(row)} levels, but line {width_line} has {width} (ragged hierarchy)"
                )
            if row[0] in first_line:
                raise HierarchyError(
                    f"{path}, line {number}: duplicate original value {row[0]!r} (first on line {first_line[row[0]]})"
                )
            first_line[row[0]] = number
            table[row[0]] = tuple(row[1:])
        if not table:
            raise HierarchyError(f"{path}: the hierarchy file is empty")
        try:
            return cls(table, label)
        except HierarchyError as error:
            raise HierarchyError(f"{path}: {error}") from None

    @classmethod
    def from_bands(
        cls, values: Iterable[str | int], widths: Sequence[int], keep: Iterable[str] = (), name: str = ""
    ) -> Hierarchy:
        """Whole numbers (ages, years) grouped into bands: level i uses bands of `widths[i-1]`, aligned at
        multiples of the width (1987 with width 5 is "1985-1989"), then `*`. Values in `keep` (missing-value
        codes such as "-1") stay unchanged up to the `*` level."""
        label = name or "bands"
        widths = list(widths)
        for index, width in enumerate(widths):
            if not isinstance(width, int) or width < 1:
                raise HierarchyError(f"{label}: band widths must be whole numbers of at least 1, not {width!r}")
            # Bands of a width that is not a multiple of the previous one would cut across earlier bands.
            if index and width % widths[index - 1]:
                raise HierarchyError(
                    f"{label}: each band width must be a multiple of the one before ({widths[index - 1]}, {width})"
                )
        kept = {str(value) for value in keep}
        table: dict[str, tuple[str, ...]] = {}
        for raw in values:
            value = str(raw)
            if value in table:
                continue
            if value in kept:
                table[value] = (*(value for _ in widths), TOP)
                continue
            try:
                number = int(value.strip())
            except ValueError:
                raise HierarchyError(
                    f"{label}: value {value!r} is not a whole number (list missing-value codes in `keep`)"
                ) from None
            table[value] = (*(_band(number, width) for width in widths), TOP)
        for value in sorted(kept - table.keys()):
            table[value] = (*(value for _ in widths), TOP)
        return cls(table, label)

    @classmethod
    def from_levels(cls, levels: Sequence[Mapping[str, str]], name: str = "") -> Hierarchy:
        """Level by level: `levels[i]` maps the values of level i to level i+1 (`levels[0]` lists the
        original values). A final `*` level is added unless the last level is already a single value."""
        label = name or "levels"
        if not levels:
            raise HierarchyError(f"{label}: at least one level mapping is needed")
        rows: dict[str, list[str]] = {}
        for original in levels[0]:
            current = str(original)
            row: list[str] = []
            for index, mapping in enumerate(levels):
                if current not in mapping:
                    raise HierarchyError(f"{label}: level {index} value {current!r} is missing from levels[{index}]")
                current = str(mapping[current])
                row.append(current)
            rows[str(original)] = row
        if len({row[-1] for row in rows.values()}) > 1:
            for row in rows.values():
                row.append(TOP)
        return cls(rows, label)

    @classmethod
    def m49(cls, keep: Iterable[str] = (), name: str = "country") -> Hierarchy:
        """ISO 3166 alpha-2 country codes: level 1 the UN M49 sub-region ("Western Asia"), level 2 the
        region ("Asia"), then `*`. Codes in `keep` (e.g. "-1" for no answer) stay unchanged up to `*`."""
        from .m49 import m49_table

        table: dict[str, tuple[str, ...]] = {
            code: (sub_region, region, TOP) for code, (sub_region, region) in m49_table().items()
        }
        for value in keep:
            table[str(value)] = (str(value), str(value), TOP)
        return cls(table, name)

    # Queries -----------------------------------------------------------------------------------------

    @property
    def values(self) -> tuple[str, ...]:
        """The original values, in the order they were given."""
        return tuple(self._table)

    def __contains__(self, value: object) -> bool:
        return value in self._table

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"<Hierarchy {self.name!r}: {len(self)} values, height {self.height}>"

    def value_at(self, value: str, level: int) -> str:
        """The generalisation of `value` at `level` (0 is the value itself)."""
        if not 0 <= level <= self.height:
            raise HierarchyError(f"{self.name}: level {level} is outside 0..{self.height}")
        row = self._table.get(value)
        if row is None:
            raise HierarchyError(f"{self.name}: value {value!r} is not in the hierarchy")
        return row[level]

    def levels_of(self, value: str) -> tuple[str, ...]:
        """Every level of `value`, from itself up to the top."""
        row = self._table.get(value)
        if row is None:
            raise HierarchyError(f"{self.name}: value {value!r} is not in the hierarchy")
        return row


def _band(number: int, width: int) -> str:
    """The band of `width` that holds `number`, aligned at a multiple of the width."""
    start = number // width * width  # floor division keeps negative numbers in the right band
    return str(start) if width == 1 else f"{start}-{start + width - 1}"
