"""Hand-written pages (docs/): what their Markdown may hold, and the sandbox their macros run in.

A page may call the macros plugins register, `{{ glossary() }}`, with plain
values as arguments, and nothing else: no variables, attributes, filters,
loops, includes or imports, so no page can reach the build's configuration, the
file system or Python's internals. Calls are rendered in Jinja's immutable
sandbox with autoescaping, as a second wall. A macro problem is reported as
`docs/page.md:line: ...`, never as a traceback.

Raw HTML in a page is limited to a small allow-list of tags and attributes
(no <script>, <style>, <iframe>, event handlers or inline styles), and images
must be files of the site, never another host's; attribute lists (`{: ...}`)
and Markdown links and images keep the same rules. A page breaking them is
refused at the line. The finished HTML of every hand-written page is checked
again, in case something reached it another way.
"""

from __future__ import annotations

import difflib

import html
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from plugins.core.content import read_pages
from plugins.core.problems import Problem
from plugins.core.tagstream import TagStream

ALLOWED_TAGS = frozenset("""a abbr b blockquote br caption cite code dd del details div dl dt em figcaption figure
h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub summary sup table tbody td tfoot th
thead time tr u ul""".split())
ALLOWED_ATTRIBUTES = frozenset("""alt class colspan datetime dir headers height href id lang markdown open rowspan
scope src start title type width""".split())
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
UNSAFE_OUTPUT_TAGS = frozenset("""script style iframe frame frameset object embed applet form input button textarea
select option link meta base noscript template portal""".split())


# --- the macros a page may call ---------------------------------------------------


class PageMacros:
    """Renders the macro calls of hand-written pages in a sandbox; `call(name, page, *args, **kwargs)` runs one."""

    def __init__(self, names: Iterable[str], call: Callable[..., Any]) -> None:
        self.names = frozenset(names)
        self.call = call
        self.env = ImmutableSandboxedEnvironment(autoescape=True, keep_trailing_newline=True)
        self.env.globals.clear()  # no range(), dict(), lipsum(), cycler() ...
        self.env.filters.clear()
        self.env.tests.clear()

    def problems(self, file: str, source: str, first_line: int = 1) -> list[Problem]:
        """Everything in the page's Jinja that is not a call of a registered macro with plain values."""
        try:
            template = self.env.parse(source)
        except TemplateSyntaxError as error:
            return [Problem(file, first_line + (error.lineno or 1) - 1, "", f"macro syntax error: {error.message}")]
        return [Problem(file, first_line + line - 1, "", rule) for line, rule in _shape(template, self.names)]

    def render(self, file: str, page: str, markdown: str, first_line: int = 1) -> tuple[str, list[Problem]]:
        """The page with its macros expanded, or the page unchanged and the problems."""
        if not any(marker in markdown for marker in ("{{", "{%", "{#")):
            return markdown, []
        problems = self.problems(file, markdown, first_line)
        if problems:
            return markdown, problems
        macros = {name: _bound(self.call, name, page) for name in self.names}
        try:
            return self.env.from_string(markdown).render(macros), []
        except Exception as error:  # a macro's own error: say where, not how
            line = next((frame.lineno for frame in reversed(traceback.extract_tb(error.__traceback__))
                         if frame.filename == "<template>"), 1)
            message = str(error) or type(error).__name__
            return markdown, [Problem(file, first_line + (line or 1) - 1, "", f"macro error: {message}")]


def _bound(call: Callable[..., Any], name: str, page: str) -> Callable[..., Any]:
    def macro(*args: Any, **kwargs: Any) -> Any:
        return call(name, page, *args, **kwargs)

    return macro


def _shape(template: nodes.Template, names: frozenset[str]) -> list[tuple[int, str]]:
    found = []
    for node in template.body:
        if not isinstance(node, nodes.Output):
            found.append((node.lineno, f"'{{% {type(node).__name__.lower()} %}}' is not allowed in pages: "
                                       "only macro calls such as {{ glossary() }}"))
            continue
        for part in node.nodes:
            if isinstance(part, nodes.TemplateData):
                continue
            if not (isinstance(part, nodes.Call) and isinstance(part.node, nodes.Name)):
                found.append((part.lineno, "only macro calls such as {{ glossary() }} are allowed in pages: "
                                           "no variables, attributes or filters"))
            elif part.node.name not in names:
                close = difflib.get_close_matches(part.node.name, sorted(names), n=1)
                hint = (f": did you mean {close[0]}?" if close else
                        f" (the macros are: {', '.join(sorted(names))})" if names else "")
                found.append((part.lineno, f"no macro named '{part.node.name}'{hint}"))
            elif part.dyn_args or part.dyn_kwargs or not all(
                    _plain(value) for value in [*part.args, *(k.value for k in part.kwargs)]):
                found.append((part.lineno, f"{part.node.name}(): arguments must be plain values such as "
                                           "\"staff\", 3 or [\"a\", \"b\"]"))
    return found


def _plain(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Const):
        return True
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return all(_plain(item) for item in node.items)
    if isinstance(node, nodes.Dict):
        return all(_plain(pair.key) and _plain(pair.value) for pair in node.items)
    return False


# --- raw HTML, attribute lists, links and images in the Markdown ------------------------------

_FENCE = re.compile(r"^\s{0,12}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ATTR_LIST = re.compile(r"(?<!\{)\{:?[ \t]*((?:[#.][\w-]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
                        r"(?:[ \t]+(?:[#.][\w-]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)))*)[ \t]*\}(?!\})")
_ATTR_KEY = re.compile(r"([\w:-]+)=")
_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^\s{0,3}\[([^\]\n]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_IMAGE_REFERENCE = re.compile(r"!\[([^\]\n]*)\]\[([^\]\n]*)\]")


def markdown_problems(file: str, text: str) -> list[Problem]:
    """Raw HTML, attribute lists, links and images that break the page rules, at their lines."""
    source = _without_code(text)
    problems = [Problem(file, line, "", rule) for line, rule in _HtmlRules.check(source)]
    for match in _ATTR_LIST.finditer(source):
        for key in _ATTR_KEY.findall(match.group(1)):
            if key.lower() not in ALLOWED_ATTRIBUTES - {"href", "src"}:
                problems.append(Problem(file, _line(source, match.start()), "",
                                        f"attribute list sets '{key}': only class, id, title and the like are allowed"))
    image_references = {(ref or alt).lower() for alt, ref in _IMAGE_REFERENCE.findall(source)}
    references = {name.lower(): url for name, url in _REFERENCE.findall(source)}
    links = [(m.group(1) == "!", m.group(2), m.start()) for m in _LINK.finditer(source)]
    links += [(True, references[name], source.find(f"]: {references[name]}")) for name in image_references
              if name in references]
    for image, url, position in links:
        rule = _url_rule(url, image)
        if rule:
            problems.append(Problem(file, _line(source, max(position, 0)), "", rule))
    return problems


def _url_rule(url: str, image: bool) -> str:
    lowered = html.unescape(url).strip().lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", lowered)
    if image and (scheme or lowered.startswith("//")):
        return f"image '{url}' is on another host: put the image in docs/ and link to it there"
    if scheme and not lowered.startswith(SAFE_SCHEMES):
        return f"link '{url}': only http, https, mailto and tel links are allowed"
    return ""


def _without_code(text: str) -> str:
    """The text with code blocks, code spans and macro calls blanked, lines kept."""
    lines = text.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines[index] = ""
        elif opening:
            fence = opening.group(1)
            lines[index] = ""
    blank = "\n".join(lines)
    blank = _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), blank)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group()), blank)


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


class _HtmlRules(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    @classmethod
    def check(cls, source: str) -> list[tuple[int, str]]:
        parser = cls()
        parser.feed(source)
        parser.close()
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if ":" in tag or "@" in tag:
            return  # an autolink such as <https://example.org>
        if tag not in ALLOWED_TAGS:
            self.found.append((line, f"<{tag}> is not allowed in pages: write Markdown; only simple formatting "
                                     "tags such as <abbr>, <details>, <kbd> or <sup> may be written as HTML"))
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
                self.found.append((line, f"<{tag} {name}=...>: the attribute '{name}' is not allowed in pages"))
            elif name in ("href", "src"):
                rule = _url_rule(value or "", image=name == "src")
                if rule:
                    self.found.append((line, f"<{tag}>: {rule}"))

    handle_startendtag = handle_starttag


# --- checking every page ----------------------------------------------------------------


@dataclass
class PageProblems:
    unreadable: list[Problem]
    """Files a build must not read at all (links, sizes, control characters, front matter)."""
    other: list[Problem]

    @property
    def all(self) -> list[Problem]:
        return self.unreadable + self.other


def check_pages(pm: Any, settings: Any, docs_dir: Path, macros: PageMacros | None = None) -> PageProblems:
    """Every problem in the hand-written pages: their files, Markdown, macros and (through the
    `check_content` hook) their text."""
    from plugins.core.content import Content

    pages, unreadable = read_pages(docs_dir, settings.root)
    problems: list[Problem] = []
    checker = macros or PageMacros((), lambda *a, **k: None)
    for file, text in pages.items():
        if not file.endswith(".md"):
            continue
        problems += markdown_problems(file, text)
        problems += [p for p in checker.problems(file, text)
                     if macros is not None or not p.rule.startswith("no macro named")]
    for found in pm.hook.check_content(content=Content(settings, pages=pages)):
        problems += list(found or ())
    return PageProblems(unreadable, problems)


class _OutputRules(TagStream):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_OUTPUT_TAGS:
            self.found.append(f"the page's HTML has a <{tag}> element")
        for name, value in attrs:
            lowered = (value or "").strip().lower()
            if name.startswith("on") or name in ("style", "srcset", "formaction"):
                self.found.append(f"the page's HTML has a <{tag} {name}=...> attribute")
            elif name in ("href", "src", "xlink:href", "action", "data", "poster"):
                if re.match(r"^(javascript|vbscript|data|file):", lowered):
                    self.found.append(f"the page's HTML links to '{(value or '')[:40]}'")
                elif name != "href" and (re.match(r"^[a-z][a-z0-9+.-]*:", lowered) or lowered.startswith("//")):
                    self.found.append(f"the page's HTML loads '{(value or '')[:60]}' from another host")

    handle_startendtag = handle_starttag


def output_problems(html: str, source: str = "") -> list[str]:
    """What must never be in a hand-written page's finished HTML, however it got there (an attribute list,
    a snippet); what was written as raw HTML in `source` is left to the page checks, which give its line."""
    parser = _OutputRules()
    parser.feed(html)
    parser.close()
    written = source.lower()
    return sorted({found for found in parser.found if _element(found) not in written})


def _element(problem: str) -> str:
    """'<script' for a problem about a <script> element or attribute; a string no source holds otherwise."""
    match = re.search(r"<(\w+)", problem)
    return f"<{match.group(1)}" if match else "\0"
