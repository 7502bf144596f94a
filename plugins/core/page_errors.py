"""Mistakes in the macros of hand-written pages, reported as `docs/page.md:line: what is wrong`.

mkdocs-macros stops at the first broken page and prints a Python traceback.
Instead, every page is checked before its macros run (a name that is not a
macro, a `{{ ... }}` written wrongly), a page with a mistake is left unrendered,
a macro that fails while a page is rendered is reported at the line that
called it, and the build then stops with every problem at once.
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Callable

from jinja2 import Environment, TemplateSyntaxError, meta

from plugins.core.problems import Problem


def template_line() -> int | None:
    """The line of the page template being rendered that led to this call (1-based), if any."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines of the file come before the Markdown MkDocs hands to macros (its front matter)."""
    return source[: len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0


def check_page(env: Environment, markdown: str, known: set[str], macros: list[str], file: str,
               offset: int = 0) -> list[Problem]:
    """Problems in a page's macro calls, found without running them: syntax, and names that are not known.
    `known` is every name a page may use; `macros` the ones to suggest."""
    try:
        names = meta.find_undeclared_variables(env.parse(markdown))
    except TemplateSyntaxError as error:
        return [Problem(file, (error.lineno or 1) + offset, "",
                        f"a macro is written wrongly ({error.message}): write a macro as {{{{ name(...) }}}}; to show "
                        "'{{' as text, write {{ '{{' }}")]
    problems = []
    for name in sorted(names - known):
        close = difflib.get_close_matches(name, macros, n=1) or difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"did you mean {close[0]}?" if close else f"the macros pages can use are {', '.join(macros)}"
        problems.append(Problem(file, _first_use(markdown, name) + offset, "",
                                f"'{name}' is not a macro or value this site knows: {hint}"))
    return problems


def _first_use(markdown: str, name: str) -> int:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    lines = markdown.splitlines()
    in_jinja = [i for i, line in enumerate(lines, 1) if pattern.search(line) and ("{{" in line or "{%" in line)]
    anywhere = [i for i, line in enumerate(lines, 1) if pattern.search(line)]
    return (in_jinja or anywhere or [1])[0]



def macro_failure(name: str, function: Callable, args: tuple, kwargs: dict, error: Exception) -> str:
    """Why a macro call failed: wrong arguments in the page's words, else the macro's own message."""
    signature = inspect.signature(function)
    try:
        signature.bind(None, *args, **kwargs)  # the macro's first parameter is the page it is called from
    except TypeError:
        params = ", ".join(list(signature.parameters)[1:])
        return f"{name}() does not take these arguments: write {name}({params})"
    return f"{name}(): {error}"
