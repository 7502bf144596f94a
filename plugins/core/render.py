"""Turn records into HTML: Jinja templates (code) fed with data (values), escaped always.

Data reaches templates only as values. Autoescape makes every value safe HTML,
and `finalize` also encodes `{` and `}` as character references: a data value
such as `{{ 7*7 }}` is shown literally and can never be read as a template by
mkdocs-macros or anything else that runs later.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from plugins.core.cache import keep_compiled_templates
from plugins.core.provenance import Basis
from plugins.core.types import PartialDate

if TYPE_CHECKING:
    from plugins.core.knowledge import Knowledge
    from plugins.core.manager import PluginManager


def escape_text(value: Any) -> Markup:
    """HTML-escape any value, braces included."""
    if isinstance(value, Markup):
        return value
    text = escape(value)
    if "{" in text or "}" in text:
        return Markup(str(text).replace("{", "&#123;").replace("}", "&#125;"))
    return text


_MARKDOWN_SIGNIFICANT = set("\\`*_[]()#+-.!|~^=:<>&\"'{}")


def inline_markdown(value: Any) -> Markup:
    """For data placed where Markdown is still parsed (a `## heading` in a template):
    every character Markdown or HTML could act on becomes a character reference."""
    if isinstance(value, Markup):
        return value
    return Markup("".join(f"&#{ord(c)};" if c in _MARKDOWN_SIGNIFICANT else c for c in str(value)))


def paragraphs(text: str | None) -> Markup:
    """Plain text to <p> elements: blank lines separate paragraphs, nothing else is interpreted."""
    if not text:
        return Markup("")
    return Markup("\n".join(f"<p>{escape_text(' '.join(block.split()))}</p>"
                             for block in str(text).split("\n\n") if block.strip()))


# The Markdown subset data may use (issue-specific fields opt in; plain text is the default).
ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def safe_markdown(text: str | None) -> Markup:
    """A small Markdown subset rendered and then sanitised by nh3; raw HTML in the source is escaped first."""
    if not text:
        return Markup("")
    source = str(escape(text))  # raw HTML in data is shown as text, never passed through
    html = markdown.markdown(source, extensions=[], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")
    return Markup(clean.replace("{", "&#123;").replace("}", "&#125;"))


@lru_cache(maxsize=8192, typed=True)
def long_date(value: PartialDate | Any) -> str:
    """'21 April 2015' (or 'April 2015', '2015'); the site shows the same few hundred dates thousands of times."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.long()
    return f"{value.day} {value.strftime('%B %Y')}"


def iso_date(value: PartialDate | Any) -> str:
    return str(value) if isinstance(value, PartialDate) else value.isoformat()


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


@pass_context
def link(context: Any, record: Any, anchor: str | None = None) -> str:
    """`link(record)` in a template: the relative URL of the page its collection says it is shown on."""
    target = context["kb"].page_of(record)
    if target is None:
        raise ValueError(f"{context['kb'].label(record)} is not shown on any page")
    path, _, own_anchor = target.partition("#")
    return context["page"].url(path, anchor or own_anchor or None)


@pass_context
def anchor(context: Any, record: Any) -> str:
    """`anchor(record)` in a template: the id of the element that shows a record on a shared page."""
    return (context["kb"].page_of(record) or "").partition("#")[2]


@pass_context
def name(context: Any, record: Any) -> str:
    """`name(record)` in a template: what a reader calls it (its collection declares it)."""
    return context["kb"].title(record)


class Helpers:
    """Read by templates as `helpers` (core/_helpers.html names each piece): the pieces templates show most, as
    functions, which cost a fraction of what a template's macro costs to call."""

    MARK = Markup('<span class="kb-mark" data-kb-mark><span aria-hidden="true">†</span>'
                  '<span class="kb-hidden"> (illustrative)</span></span>')
    OVERDUE = Markup(' <span class="kb-status kb-status--overdue">Overdue</span>')
    NOT_IN_PLAN = Markup('<span class="kb-status">Not yet in the plan</span>')

    NOTICE = ('<div class="admonition warning kb-illustrative" role="note" data-kb-illustrative data-search-exclude>\n'
              '<p class="admonition-title">Illustrative</p>\n<p>Some details here are not from a source and were '
              'written to make the example complete: {}</p>\n</div>\n')
    INLINE_NOTICE = ('<span class="kb-illustrative-inline" data-kb-illustrative><span class="kb-badge">'
                     'Illustrative</span> {}</span>')

    @staticmethod
    def illustrative(record: Any) -> Markup:
        """The notice on a record's page that some of it was written for the example."""
        return _notice(Helpers.NOTICE, record)

    @staticmethod
    def illustrative_inline(record: Any) -> Markup:
        """For lists and tables: the same notice, inline."""
        return _notice(Helpers.INLINE_NOTICE, record)

    @staticmethod
    def mark(thing: Any) -> Markup:
        """The mark beside a value that rests on illustrative data: a symbol with a text alternative; the page's
        legend explains it."""
        return Helpers.MARK if Basis.marks(thing) else Markup("")

    @staticmethod
    def date(value: Any) -> Markup:
        return Markup(f'<time datetime="{escape_text(iso_date(value))}">{escape_text(long_date(value))}</time>')

    @staticmethod
    def status(value: Any, labels: Any) -> Markup:
        """A status always written as text; the colour only supports it."""
        if not value:
            return Helpers.NOT_IN_PLAN
        return Markup(f'<span class="kb-status kb-status--{escape_text(value)}">{escape_text(labels[value])}</span>')

    @staticmethod
    def overdue_flag(flag: Any) -> Markup:
        return Helpers.OVERDUE if flag else Markup("")

    @staticmethod
    @pass_context
    def cites(context: Any, record: Any) -> Markup:
        """The sources a record cites, each linked (relative to the page being rendered) to its page."""
        cites = _field(record, "cites")
        if not cites:
            return Markup("")
        lines = [f'<p class="kb-cites"><span class="kb-cites__label">Source{"s" if len(cites) > 1 else ""}:</span>']
        for number, cited in enumerate(cites, 1):
            ref = cited.record
            published = f", {escape_text(long_date(ref.published))}" if ref.published else ""
            lines.append(f'<a href="{escape_text(link(context, ref))}">{escape_text(ref.title)}</a> '
                         f'({escape_text(ref.publisher)}{published}){";" if number < len(cites) else ""}')
        return Markup("\n".join(lines) + "\n</p>\n")


def _notice(form: str, record: Any) -> Markup:
    """`form` with the record's illustrative note in it (escaped), or nothing if it has none."""
    note = _field(record, "illustrative")
    return Markup(form.format(escape_text(note))) if note else Markup("")


def _field(value: Any, name: str) -> Any:
    """`value.name` as a template reads it: an attribute, else an item of a mapping."""
    try:
        return getattr(value, name)
    except AttributeError:
        if isinstance(value, Mapping):
            return value[name]
        raise


def _environment(template_dirs: dict[str, Path]) -> Environment:
    env = Environment(
        loader=PrefixLoader({plugin: FileSystemLoader(folder) for plugin, folder in template_dirs.items()}),
        autoescape=True,
        finalize=escape_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,   # a build is one process: templates are read once, not checked on disk per page
    )
    env.filters.update(paragraphs=paragraphs, markdown=safe_markdown, inline_markdown=inline_markdown,
                       long_date=long_date, iso_date=iso_date, plural=plural)
    env.globals.update(link=link, name=name, anchor=anchor, helpers=Helpers)
    return env


def make_environment(pm: PluginManager) -> Environment:
    """The template environment of a build: every plugin's templates, autoescaped, braces encoded."""
    env = _environment(pm.template_dirs)
    pm.hook.prepare_jinja_environment(env=env)
    return env


@lru_cache(maxsize=1)
def core_environment() -> Environment:
    """The core's own templates only (charts), for code that renders without a build."""
    return _environment({"core": Path(__file__).parent / "templates"})


def templates(kb: Knowledge) -> Environment:
    """The environment for this knowledge's plugins, made once."""
    if kb._templates is None:
        kb._templates = make_environment(kb.plugins)
        keep_compiled_templates(kb._templates, kb.settings.cache_dir, "plugins", kb.settings.root)
    return kb._templates


def render(template: str, page: Any, kb: Knowledge, **context: Any) -> Markup:
    """Render a template (`<plugin>/<name>`) for `page`, with data passed as values only."""
    return Markup(templates(kb).get_template(template).render(page=page, kb=kb, **context))
