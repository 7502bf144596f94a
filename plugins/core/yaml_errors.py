"""YAML mistakes explained in an editor's words, with the likely fix.

PyYAML reports what its parser met ("mapping values are not allowed in this
context"); an editor needs to know what to change. The usual causes are few:
a value holding ': ' or starting with a character YAML reserves, a line
indented differently from its neighbours, a tab, a quote left open, a bracket
left open. Each message names the cause and shows the corrected line where it
can; YAML's own words follow in brackets, for searching.

A value YAML reads as a number or as true/false where text is expected
(`version: 1.0`, `title: yes`) is explained too: put it in quotes.
"""

from __future__ import annotations

import re

import yaml

RESERVED_STARTS = {
    "@": "'@'", "`": "a backtick (`)", "%": "'%'", "*": "'*' (YAML reads it as a reference)",
    "&": "'&' (YAML reads it as a label)", "!": "'!' (YAML reads it as a type)",
    "{": "'{' (YAML reads it as a mapping)", "|": "'|'", ">": "'>'",
}
_FIELD = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s#'\"][^:#]*?):(?:\s+(?P<value>.*))?$")


def explain_syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a YAML syntax error: where to look and what to change."""
    lines = text.splitlines()
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    context_line = error.context_mark.line + 1 if error.context_mark else line
    problem, context = error.problem or "", error.context or ""
    said = f"(YAML says: {' '.join(filter(None, [context, problem]))})"
    found = _explain(problem, context, lines, line, context_line)
    if found is None:
        where = f" (from line {context_line})" if context and context_line != line else ""
        return line, f"YAML syntax error: {' '.join(filter(None, [context, problem]))}{where}; check the " \
                     "indentation and the quoting of this line and the one above it"
    line, explanation = found
    return line, f"YAML syntax error: {explanation} {said}"


def _explain(problem: str, context: str, lines: list[str], line: int, context_line: int) -> tuple[int, str] | None:
    text = _line(lines, line)
    if "tab" in problem:
        return line, "the line is indented with a tab: YAML needs spaces; replace the tab with spaces"
    if "quoted scalar" in context and "end of stream" in problem:
        quote = _line(lines, context_line).lstrip()
        return context_line, (f"a quote opened on this line is never closed: end the value with the same quote "
                              f"it starts with{_quote_example(quote)}")
    if "cannot start any token" in problem or "undefined alias" in problem or "unhashable key" in problem \
            or "could not determine a constructor" in problem:
        return _reserved_start(lines, line)
    if problem == "mapping values are not allowed in this context":
        return line, _colon_or_indent(lines, line)
    if "flow sequence" in context or "flow mapping" in context:
        closing = "]" if "sequence" in context else "}"
        return context_line, f"a list opened with '{'[' if closing == ']' else '{'}' on this line is not closed with " \
                             f"'{closing}', or a comma is missing between its items"
    if problem == "could not find expected ':'":
        return context_line, ("this line is neither a field (`name: value`) nor part of the text above it: if it "
                              "continues a text, indent it further than the field's name; otherwise add ': ' after "
                              "the field's name")
    if problem == "did not find expected key":
        if re.search(r":\s+([\"']).*\1\s*\S", text) or re.search(r"\w'\w", text):
            field = _FIELD.match(text)
            return line, ("text follows a closing quote: put the whole value in one kind of quotes; inside double "
                          "quotes an apostrophe is fine" + (f", e.g. {field['key']}: \"...\"" if field else ""))
        if text.lstrip().startswith("- "):
            return line, "a list item ('- ') where a field was expected: line the item up under the list it belongs to"
        return line, _indentation(lines, line)
    if "expected '-' indicator" in problem or "expected <block end>" in problem:
        return line, _indentation(lines, line)
    return None


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _previous(lines: list[str], line: int) -> tuple[int, str] | None:
    """The nearest line above that holds something other than a comment."""
    for number in range(line - 1, 0, -1):
        text = _line(lines, number)
        if text.strip() and not text.lstrip().startswith("#"):
            return number, text
    return None


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _indentation(lines: list[str], line: int) -> str:
    here = _indent(_line(lines, line))
    above = _previous(lines, line)
    if above is None:
        return "this line is indented wrongly: every record starts with '- ' at the start of a line"
    if _line(lines, line).lstrip().startswith("- "):
        items = [(n, t) for n in range(line - 1, 0, -1) if (t := _line(lines, n)).lstrip().startswith("- ")]
        if items and _indent(items[0][1]) != here:
            number, text = items[0]
            return (f"this list item is indented by {_spaces(here)} but the item on line {number} by "
                    f"{_spaces(_indent(text))}: items of one list must line up under each other")
    number, text = above
    expected = _indent(text) + (2 if text.lstrip().startswith("- ") else 0)
    if here == expected and not _FIELD.match(text):
        return (f"line {number} above is neither a field (`name: value`) nor a list item ('- '): if it continues "
                "a text, indent it further than the field's name; otherwise remove it, or start it with # to make it "
                "a comment")
    return (f"the line is indented by {_spaces(here)} but line {number} above it by {_spaces(expected)}: fields of "
            "one record must line up under each other, and list items ('- ') under the items before them")


def _colon_or_indent(lines: list[str], line: int) -> str:
    text = _line(lines, line)
    field = _FIELD.match(text)
    if field and field["value"] and ": " in field["value"] + " " and field["value"][:1] not in "\"'":
        value = field["value"].replace('"', '\\"')
        fixed = f"{field['indent']}{field['dash'] or ''}{field['key']}: \"{value}\"".strip()
        return f"the value of '{field['key']}' contains ': ', which YAML reads as the start of another field: " \
               f"put the value in quotes: {fixed}"
    return _indentation(lines, line)


def _reserved_start(lines: list[str], line: int) -> tuple[int, str]:
    text = _line(lines, line)
    field = _FIELD.match(text)
    if field and field["value"]:
        start = RESERVED_STARTS.get(field["value"][:1], repr(field["value"][:1]))
        value = field["value"].replace('"', '\\"')
        return line, (f"the value of '{field['key']}' starts with {start}, which YAML reserves: put the value in "
                      f"quotes: {field['key']}: \"{value}\"")
    return line, "a value on this line starts with a character YAML reserves (@ ` % * & ! {): put the value in quotes"


def _quote_example(text: str) -> str:
    field = _FIELD.match(text)
    if not field or not field["value"]:
        return ""
    quote = field["value"][:1]
    return f", e.g. {field['key']}: {quote}...{quote}" if quote in "\"'" else ""


def not_text(field: str, value: object) -> str:
    """The rule broken when YAML read a number or true/false where the model wants text."""
    name = field.rpartition(".")[2].split("[")[0] or "field"
    if isinstance(value, bool):
        return (f"{field}: YAML read the value as {str(value).lower()}, not as text (it reads yes, no, on, off, true "
                f"and false that way): put it in quotes, e.g. {name}: \"yes\"")
    return (f"{field}: YAML read {value} as a number, not as text: put it in quotes, e.g. {name}: \"{value}\" "
            "(unquoted, 1.10 would even be read as 1.1)")
