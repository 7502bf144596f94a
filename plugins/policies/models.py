"""Policies and procedures: one record per version, with steps, sections, routes, definitions and contacts.

Also the plain-English rule carers' text follows (Flesch reading ease 60, no
sentence over 25 words), measured per step and per section, which any feature
writing for foster carers uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date as date_type
from html import unescape

import markdown
from pydantic import Field, model_validator

from plugins.core.cache import ContentCache, code_digest, digest, in_use
from plugins.core.records import Audienced, Classification, Owned, PageLink, Part, Sourced, Versioned
from plugins.core.types import MarkdownText, PlainText, Ref, Slug, Text
from plugins.organisation.models import Audience, Contact, Role
from plugins.references.models import Reference

READABILITY_MINIMUM = 60.0
"""Flesch reading ease every carer step and section must reach (60 is plain English)."""
LONGEST_SENTENCE = 25
"""No sentence written for carers may be longer than this many words."""


class Cited(Part):
    """A part of a record that states a rule: it names the documents the rule comes from."""

    cites: list[Ref[Reference]] = Field(
        default_factory=list, description="Ids of the documents (data/references.yml) this rule comes from.")
    illustrative: Text | None = Field(
        default=None, description="Set when any part of it is not in a source: say what was assumed.")

    @model_validator(mode="after")
    def _cites_or_is_illustrative(self) -> "Cited":
        if not self.cites and not self.illustrative:
            raise ValueError("states a rule without a source: add `cites:` or mark it `illustrative:`")
        return self


class PolicyStep(Cited):
    """One thing someone must do, in order: who, what, by when, and the document it comes from."""

    who: Ref[Role] = Field(description="The role that does this step (data/roles.yml).")
    when: PlainText = Field(description="By when, in plain words: 'Straight away', 'Within 72 hours'.")
    do: Text = Field(description="What to do, in plain English: carers read this.")
    contacts: list[Ref[Contact]] = Field(default_factory=list, description="Numbers to ring for this step.")
    audiences: list[Ref[Audience]] = Field(min_length=1, description="Which versions of the policy show this step.")


class PolicySection(Cited):
    heading: PlainText = Field(description="The section's heading.")
    body: MarkdownText = Field(description="The section's text: a small Markdown subset (paragraphs, lists, emphasis, links).")
    audiences: list[Ref[Audience]] = Field(description="Which versions of the policy show this section.", min_length=1)
    card: bool = Field(default=False, description="Also on the printable one-page card of the foster-carer version.")


class PolicyRoute(Cited):
    """A separate, short route for some readers (supported lodgings providers of young people aged 18 or over)."""

    id: Slug = Field(description="Unique within the policy.")
    heading: PlainText = Field(description="The route's heading, naming who it is for.")
    intro: Text = Field(description="Who this route is for, in plain English.")
    steps: list[PolicyStep] = Field(description="What to do on this route, in order.", min_length=1)
    audiences: list[Ref[Audience]] = Field(description="Which versions of the policy show this route.", min_length=1)


class Helplines(Cited):
    """Numbers to give the child, and why the child is given them."""

    plural = "lists of helplines"

    note: Text = Field(description="Why and when to give the child these numbers, in plain English.")
    contacts: list[Ref[Contact]] = Field(description="The helpline numbers to give the child (data/contacts.yml).", min_length=1)


class Definition(Cited):
    term: PlainText = Field(description="The word or phrase defined.")
    meaning: Text = Field(description="What it means, as the source defines it.")
    plain: Text | None = Field(default=None, description="The same meaning in plain English, for carers.")


class Amendment(Part):
    version: PlainText = Field(description="The version this change made, in quotes: \"1.0\".")
    date: date_type = Field(description="When the change was approved (YYYY-MM-DD).")
    change: Text = Field(description="What changed, in a sentence.")


class Policy(Sourced, Owned, Audienced, Versioned):
    """A versioned policy or procedure. Each version is a record; `policy` names the policy all its versions share."""

    policy: Slug = Field(description="The policy's own id, shared by all its versions; its page is /policies/<policy>/.")
    title: PlainText = Field(description="The policy's title, as readers see it.")
    classification: Classification = Field(description="unrestricted, official or official-sensitive.")
    summary: Text = Field(description="What the policy is for, in a few sentences (staff version).")
    carer_summary: Text | None = Field(default=None, description="Plain-English summary for the foster-carer version.")
    carer_page: Slug | None = Field(default=None, description="If set, a foster-carer version at /foster-carers/<carer_page>/.")
    steps: list[PolicyStep] = Field(description="What to do, in order: who, when, what, and the document each step comes from.", default_factory=list)
    sections: list[PolicySection] = Field(description="Sections of guidance after the steps; each says which versions show it.", default_factory=list)
    routes: list[PolicyRoute] = Field(default_factory=list, description="Separate short routes, after the main steps.")
    definitions: list[Definition] = Field(description="The words the policy uses, defined, with their sources.", default_factory=list)
    contacts: list[Ref[Contact]] = Field(default_factory=list, description="Numbers on the staff procedure.")
    carer_contacts: list[Ref[Contact]] = Field(
        default_factory=list, description="Numbers for carers to ring, in order (the staff list if empty).")
    helplines: Helplines | None = Field(default=None, description="Numbers to give the child.")
    write_in: list[PlainText] = Field(
        default_factory=list, description="Blank lines on the printable card: numbers only the carer knows.")
    related: list[PageLink] = Field(default_factory=list, description="Toolkit sections, courses and other pages.")
    amendments: list[Amendment] = Field(min_length=1, description="Version, date and what changed, newest last.")

    @model_validator(mode="after")
    def _consistent(self) -> "Policy":
        if self.approved and self.approved > self.last_reviewed:
            raise ValueError(f"last_reviewed {self.last_reviewed} is before it was approved ({self.approved})")
        if self.amendments[-1].version != self.version:
            raise ValueError(f"the last amendment is version {self.amendments[-1].version}, "
                             f"but the policy is version {self.version}")
        if self.carer_page and "foster-carers" not in {a.id for a in self.audiences}:
            raise ValueError("a foster-carer version (`carer_page`) needs 'foster-carers' in `audiences`")
        return self


# --- plain English -------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\u2019\u201d]*\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a text, Markdown list items and paragraphs each ending one."""
    html = markdown.markdown(text)
    blocks = re.split(r"</(?:p|li|h\d)>", html)
    found = []
    for block in blocks:
        plain = " ".join(unescape(_TAGS.sub(" ", block)).split())
        found += [s for s in _SENTENCE_END.split(plain) if s.strip()]
    return found


def readable_text(text: str) -> str:
    """The text as a reader meets it: every list item and paragraph a sentence, for the readability measure."""
    return " ".join(s if s[-1] in ".!?:" else s + "." for s in sentences(text))


def reading_ease(text: str) -> float:
    import textstat   # here, not at the top: a slow import that only reading-ease checks need

    return float(textstat.flesch_reading_ease(readable_text(text)))


def plain_english_problems(text: str, score: float | None = None) -> list[str]:
    """What keeps a text written for carers from being plain English: a low score, sentences too long."""
    problems = []
    score = reading_ease(text) if score is None else score
    if score < READABILITY_MINIMUM:
        problems.append(f"reads at Flesch reading ease {score:.0f}; it must be {READABILITY_MINIMUM:.0f} or more: "
                        "use shorter sentences and everyday words")
    for sentence in sentences(text):
        words = len(sentence.split())
        if words > LONGEST_SENTENCE:
            problems.append(f"has a sentence of {words} words (at most {LONGEST_SENTENCE}): "
                            f"'{' '.join(sentence.split()[:8])} ...'")
    return problems


def plain_english_findings(texts: Sequence[str], cache: ContentCache | None) -> list[tuple[float, list[str]]]:
    """Each text's reading ease and `plain_english_problems`, kept in the content cache.

    Scoring loads textstat (and with it a hyphenation dictionary) and reads each text's Markdown: a
    second of every `kb validate`. The findings are a function of the texts and of the code that scores
    them, so one entry holds a whole batch, keyed by a digest of both (plugins/core/cache.py)."""
    cache = in_use(cache)
    key = digest(code_digest(__name__), *_scoring_versions(), *texts) if cache is not None else ""
    kept = cache.get("plain-english", key) if cache is not None else None
    if isinstance(kept, list) and len(kept) == len(texts):
        return [(float(score), list(problems)) for score, problems in kept]
    findings = []
    for text in texts:
        score = reading_ease(text)
        findings.append((score, plain_english_problems(text, score)))
    if cache is not None:
        cache.put("plain-english", key, [[score, problems] for score, problems in findings])
    return findings


def _scoring_versions() -> list[str]:
    """The versions of what scores a text: a new textstat, hyphenation dictionary or Markdown, new keys."""
    from importlib.metadata import version

    return [f"{name} {version(name)}" for name in ("textstat", "pyphen", "markdown")]
