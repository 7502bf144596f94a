"""`kb report --from DATE --to DATE [--html FILE]`: the committee progress report, entirely from the data.

Markdown on standard output, in the shape of the council's progress reports: a
front sheet (committee, meeting date, who it is from, the author as a role, the
recommendation to members), where the figures come from, headline figures, the
sources of recommendations, key developments, progress since the last report,
actions at risk, indicators, next steps, and the report's conclusion. Every figure
that rests on illustrative data carries the mark †, explained on the front sheet;
what the sources do not give is said to be not recorded. `--html` also writes a
print-ready HTML page (A4, page numbers, table headers repeated on each page;
self-contained: no outside requests).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from plugins.core.knowledge import Knowledge
from plugins.core.provenance import MARK, Basis
from plugins.core.render import long_date, plural, render
from plugins.plan import summary as plan
from plugins.plan.models import DONE, DUE_SOON_DAYS, STATUS_LABELS, Indicator, Theme
from plugins.sources.models import CommitteeReport, Source

TEMPLATES = Path(__file__).parent / "templates"

_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s)|\d+[.)](?=\s|$))")
REPORT_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td",
               "blockquote"}


def markdown_text(value: Any) -> str:
    """Data as Markdown text: one line, and nothing in it that Markdown would act on."""
    if isinstance(value, Markup):
        return str(value)
    text = re.sub(r"\s+", " ", str(value)).translate(_MARKDOWN_ESCAPES)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1), text)


def mark(*inputs: Any) -> str:
    """' †' after a value in the Markdown report when it rests on illustrative data."""
    return f" {MARK}" if Basis.marks(*inputs) else ""


def _markdown_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, finalize=markdown_text,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(long_date=long_date, plural=plural)
    env.globals.update(mark=lambda *inputs: Markup(mark(*inputs)))
    return env


def _report_on(kb: Knowledge, day: date) -> CommitteeReport | None:
    """The committee report of a date (a report known only to the month matches any day in it)."""
    for report in kb.all(CommitteeReport):
        if report.date.start <= day < _after(report.date):
            return report
    return None


def _after(value) -> date:
    if value.precision == "day":
        return value.start + timedelta(days=1)
    if value.precision == "month":
        return (value.start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return value.start.replace(year=value.start.year + 1)


def report_context(kb: Knowledge, start: date, end: date) -> dict[str, Any]:
    summary = plan.summarise(kb, end)
    earlier = _report_on(kb, start)
    seen = earlier is None or earlier.content_seen
    found = plan.changes_between(kb, start, end) if seen else []
    scores = [i.score(end, start) for i in kb.all(Indicator)]
    by_theme: dict[str, list] = {}
    for progress in plan.progress_between(kb, start, end):
        by_theme.setdefault(progress.action.theme.id, []).append(progress)
    sources = sorted(kb.all(Source), key=lambda s: s.sort_date)
    soon = end + timedelta(days=DUE_SOON_DAYS)
    open_actions = [a for a in summary.actions if a.status_at(end) not in DONE]
    return {
        "start": start, "end": end, "summary": summary, "statuses": STATUS_LABELS,
        "plan": plan.the_plan(kb), "report": _report_on(kb, end), "earlier": earlier, "seen": seen,
        "since": long_date(earlier.date if earlier else start),
        "themes": {t.id: t.name for t in sorted(kb.all(Theme), key=lambda t: (t.order, t.name))},
        "plan_sources": [s for s in sources if s.in_development_plan == "yes" and (s.date is None or s.date.start <= end)],
        "new_sources": [s for s in sources if s.date and start <= s.date.start <= end],
        "progress": by_theme,
        "added": sum(1 for c in found if c.added), "completed": sum(1 for c in found if c.completed),
        "attention": [a for a in summary.actions if a.status_at(end) in ("at-risk", "off-track") or a.is_overdue(end)],
        "status_basis": lambda a: plan.status_basis(a, end),
        "scores": scores, "met": sum(1 for s in scores if s.met),
        "indicator_basis": Basis.of([s.indicator for s in scores]),
        "next_steps": sorted((a for a in open_actions if end <= a.due <= soon), key=lambda a: (a.due, a.id)),
        "next_days": DUE_SOON_DAYS,
        "later": sorted((a for a in open_actions if a.due > soon), key=lambda a: (a.due, a.id)),
    }


def report_markdown(kb: Knowledge, start: date, end: date) -> str:
    return _markdown_environment().get_template("report.md.j2").render(**report_context(kb, start, end))


def report_html(kb: Knowledge, start: date, end: date) -> str:
    """The same report as a print-ready page: the Markdown converted, then sanitised, then wrapped."""
    converter = markdown.Markdown(extensions=["tables"], output_format="html")
    converter.ESCAPED_CHARS += ["<", ">", "|"]  # so the escapes in markdown_text hold in HTML too
    body = nh3.clean(converter.convert(report_markdown(kb, start, end)), tags=REPORT_TAGS, attributes={})
    title = f"Children's Services Development Plan: progress report, {long_date(end)}"
    return str(render("plan/report.html", None, kb, body=Markup(body), title=title, running_head=css_string(title)))


def css_string(text: str) -> Markup:
    """Text for the inside of a double-quoted CSS string in a <style> element (the printed running head):
    every character but letters, digits, spaces and plain punctuation as a CSS escape ("'" is \\27)."""
    return Markup("".join(c if c.isalnum() or c in " ,.:;-()" else f"\\{ord(c):x} " for c in text))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_date, required=True, help="the last report's date (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", type=_date, required=True, help="this report's date (YYYY-MM-DD)")
    parser.add_argument("--html", help="also write a print-ready HTML page to this file")
    parser.add_argument("--data", help="data folder (default: data/ beside mkdocs.yml)")


def run(kb: Knowledge | None, args: argparse.Namespace) -> int:
    assert kb is not None
    if args.end < args.start:
        print(f"--to {args.end} is before --from {args.start}", file=sys.stderr)
        return 2
    sys.stdout.write(report_markdown(kb, args.start, args.end))
    if args.html:
        Path(args.html).write_text(report_html(kb, args.start, args.end), encoding="utf-8")
        print(f"\n<!-- print-ready HTML written to {args.html} -->", file=sys.stderr)
    return 0
