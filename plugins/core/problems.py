"""One problem with the data, as an editor should read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """`file:line: record: rule` -- where the problem is, which record, which rule."""

    file: str
    line: int
    record: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.record}: {self.rule}" if self.record else f"{where}: {self.rule}"


class DataError(Exception):
    """The data broke one or more rules; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    count = len(problems)
    lines = [str(p) for p in problems]
    places = " and ".join(sorted({"docs/" if p.file.startswith("docs/") else "data/" for p in problems})) or "data/"
    lines.append(f"{count} problem{'s' if count != 1 else ''} found in {places}")
    return "\n".join(lines)
