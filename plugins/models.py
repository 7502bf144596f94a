"""The typed model of every record kind, in one place.

Each data collection (a YAML file or folder in `data/`) holds a list of one of
these. JSON Schema for editors is generated from them (`kb schema`), never
written by hand. Unknown fields are refused so a misspelt key is caught.
"""

from __future__ import annotations

from datetime import date as date_type
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from plugins.types import PageRef, PartialDate, PlainText, Recorded, Ref, Slug, Text

ReferenceId = Annotated[str, Ref("references")]
ServiceId = Annotated[str, Ref("services")]
AudienceId = Annotated[str, Ref("audiences")]
GlossaryId = Annotated[str, Ref("glossary")]


class Origin(BaseModel):
    """Where a record was read from: the file relative to the project and its first line."""

    file: str
    line: int


class Record(BaseModel):
    """Fields every record has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug = Field(description="Unique within its collection; becomes part of URLs.")
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin:
        assert self._origin is not None, "record was not loaded from a file"
        return self._origin


class Sourced(Record):
    """A record that states facts: it cites where they come from, or says it is illustrative."""

    cites: list[ReferenceId] = Field(
        default_factory=list, description="Ids of the documents (data/references.yml) the facts come from."
    )
    illustrative: Text | None = Field(
        default=None,
        description="Set when any part of the record is not in a source: say what was assumed. "
        "Shown on the page as an 'Illustrative' notice.",
    )

    @model_validator(mode="after")
    def _cites_or_is_illustrative(self) -> "Sourced":
        if not self.cites and not self.illustrative:
            raise ValueError(
                "states facts without a source: add `cites:` or mark it `illustrative:` saying what was assumed"
            )
        return self


# --- documents cited -------------------------------------------------------


class Reference(Record):
    """A document facts are taken from: a report, statutory guidance, a briefing."""

    title: PlainText
    publisher: PlainText
    published: PartialDate | None = None
    kind: Literal["committee-report", "inspection-report", "statutory-guidance", "guidance",
                  "toolkit", "briefing", "research", "web-page"]
    reference_number: PlainText | None = Field(default=None, description="The publisher's reference, e.g. Ofsted's.")
    location: PlainText | None = Field(
        default=None, description="Where a reader can find it (a web address or document store path), shown as text."
    )
    note: Text | None = None


# --- organisation ----------------------------------------------------------


class Service(Sourced):
    """A service that leads or takes part in the work: a KCC division, team or a partner."""

    name: PlainText
    abbreviation: PlainText | None = None
    kind: Literal["kcc-division", "kcc-team", "partnership", "partner"]
    description: Text


class Area(Sourced):
    """One of the four Kent areas and the districts in it."""

    name: PlainText
    districts: list[PlainText] = Field(min_length=1)
    note: Text | None = None


class StartLink(BaseModel):
    """A page an audience should start from; the build fails if the page does not exist."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: Annotated[str, PageRef(), Field(pattern=r"^[a-z0-9][a-z0-9/_-]*\.md$",
                                          description="Path under docs/ (or of a generated page), e.g. glossary/index.md")]
    label: PlainText


class Audience(Sourced):
    """A group of readers the site serves."""

    name: PlainText
    description: Text
    needs: list[Text] = Field(min_length=1, description="What this audience comes to the site for.")
    start_here: list[StartLink] = Field(min_length=1, description="The pages this audience starts from.")


class Role(Sourced):
    """A job or part people play; owners and training requirements name roles, never people."""

    name: PlainText
    audience: AudienceId
    service: ServiceId | None = None
    description: Text


class Contact(Sourced):
    """A public service telephone number."""

    name: PlainText
    number: Annotated[str, Field(pattern=r"^[0-9][0-9 ]{1,15}[0-9]$")]
    hours: PlainText
    use_for: Text
    order: int = Field(default=100, description="Lower numbers are listed first.")

    @property
    def tel(self) -> str:
        """The number as a `tel:` URI."""
        return "tel:" + self.number.replace(" ", "")


# --- sources of recommendations --------------------------------------------

Judgement = Literal["outstanding", "good", "adequate", "requires-improvement", "inadequate"]


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: PartialDate
    end: PartialDate | None = None

    @model_validator(mode="after")
    def _in_order(self) -> "Period":
        if self.end is not None and self.end.start < self.start.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class Source(Sourced):
    """Something that produced recommendations for the Development Plan."""

    title: PlainText
    short_title: PlainText
    kind: Literal["ofsted-inspection", "ofsted-thematic-inspection", "independent-diagnostic",
                  "peer-review", "self-identified"]
    framework: PlainText | None = Field(default=None, description="The inspection framework or criteria used.")
    carried_out: Period | None = Field(default=None, description="When the fieldwork happened.")
    published: PartialDate | None = Field(default=None, description="When the report was published.")
    judgement: Judgement | None = None
    carried_out_by: Text | None = None
    summary: Text
    scope: list[Text] = Field(default_factory=list, description="What was looked at.")
    findings: list[Text] = Field(default_factory=list)
    report: ReferenceId | None = Field(default=None, description="The published report, if any.")
    outcome: Text | None = None
    in_development_plan: bool = Field(
        default=True, description="Whether its outstanding recommendations are in the Development Plan."
    )

    @model_validator(mode="after")
    def _dated(self) -> "Source":
        if self.carried_out is None and self.published is None:
            raise ValueError("needs a date: give `carried_out` or `published`")
        if self.carried_out and self.published and self.published.start < self.carried_out.start.start:
            raise ValueError(f"published ({self.published}) before it was carried out ({self.carried_out.start})")
        return self

    @property
    def date(self) -> PartialDate:
        """The date it is placed at on a timeline: publication, else the start of fieldwork."""
        return self.published or self.carried_out.start  # type: ignore[union-attr]


class CommitteeReport(Sourced):
    """A progress report to the council's committee: the dates 'changes since' are measured between."""

    title: PlainText
    committee: PlainText
    date: Annotated[PartialDate, Recorded()]
    sequence: int | None = Field(default=None, description="Its number in the series of regular reports.")
    classification: PlainText | None = None
    summary: Text


# --- glossary --------------------------------------------------------------


class GlossaryEntry(Sourced):
    """An abbreviation and what it stands for; explained wherever it appears."""

    term: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9&'\-]*[A-Za-z0-9]$")]
    stands_for: PlainText
    definition: Text
    plural: bool = Field(default=True, description="Also explain the plural ('IROs').")
    see_also: list[GlossaryId] = Field(default_factory=list)


# --- the Development Plan ----------------------------------------------------

SourceId = Annotated[str, Ref("sources")]
ThemeId = Annotated[str, Ref("themes")]
RoleId = Annotated[str, Ref("roles")]
RecommendationId = Annotated[str, Ref("recommendations")]
ActionId = Annotated[str, Ref("actions")]
IndicatorId = Annotated[str, Ref("indicators")]

Status = Literal["not-started", "on-track", "at-risk", "off-track", "complete", "closed-merged"]
"""An action's status. 'Overdue' is never stored: it is derived from the due date."""

DONE: frozenset[str] = frozenset({"complete", "closed-merged"})

Number = Annotated[float, Field(allow_inf_nan=False)]
"""A figure: .nan and .inf are refused."""


class Theme(Record):
    """A priority theme of the Development Plan."""

    name: PlainText
    description: Text
    order: int = Field(default=100, description="Lower numbers are listed first.")


class Recommendation(Sourced):
    """A recommendation from a source, answered by one or more actions."""

    source: SourceId
    text: Text
    priority: Literal["high", "medium", "low"]


class ProgressUpdate(BaseModel):
    """What was reported about an action on a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Annotated[date_type, Recorded()]
    status: Status
    percent_complete: int | None = Field(default=None, ge=0, le=100,
                                         description="Only where a percentage is meaningful.")
    note: Text
    merged_into: ActionId | None = Field(default=None, description="For closed-merged: the action that carries it on.")
    illustrative: Text | None = Field(default=None, description="Set when this update is not from a source.")

    @model_validator(mode="after")
    def _consistent(self) -> "ProgressUpdate":
        if self.status == "closed-merged" and not self.merged_into:
            raise ValueError("a closed-merged update must say which action it was merged into (`merged_into`)")
        if self.merged_into and self.status != "closed-merged":
            raise ValueError("`merged_into` is only for status closed-merged")
        if self.status == "complete" and self.percent_complete not in (None, 100):
            raise ValueError(f"status complete but percent_complete is {self.percent_complete}")
        return self


class Action(Sourced):
    """An action of the Children's Services Development Plan."""

    title: PlainText
    recommendations: list[RecommendationId] = Field(min_length=1)
    theme: ThemeId
    lead_service: ServiceId
    owner: RoleId = Field(description="A role, never a person.")
    start: date_type
    due: date_type
    updates: list[ProgressUpdate] = Field(min_length=1, description="Dated progress updates, oldest first.")
    evidence: list[Text] = Field(default_factory=list, description="Evidence of impact.")
    indicators: list[IndicatorId] = Field(default_factory=list)
    completed: date_type | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Action":
        if self.due < self.start:
            raise ValueError(f"due date {self.due} is before the start date {self.start}")
        dates = [u.date for u in self.updates]
        if dates != sorted(set(dates)):
            raise ValueError("updates must be in date order, one per date")
        finished = [u for u in self.updates if u.status == "complete"]
        if self.completed is None and self.updates[-1].status == "complete":
            raise ValueError("the latest update says complete: give the `completed` date")
        if self.completed is not None:
            if not finished:
                raise ValueError("`completed` is set but no update has status complete")
            if self.completed > finished[0].date:
                raise ValueError(f"completed {self.completed} is after the update that reported it ({finished[0].date})")
            if self.completed < self.start:
                raise ValueError(f"completed {self.completed} is before the start date {self.start}")
        return self


class IndicatorValue(BaseModel):
    """One value of an indicator, for the period ending on `date`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: PlainText = Field(description="How the period is named, e.g. 'Quarter 3 2014-15' or 'March 2015'.")
    date: date_type = Field(description="The last day of the period.")
    value: Number


class Indicator(Sourced):
    """A performance indicator on the scorecard."""

    name: PlainText
    definition: Text
    polarity: Literal["higher-is-better", "lower-is-better"]
    unit: Literal["percent", "number", "days"]
    target: Number
    values: list[IndicatorValue] = Field(min_length=1, description="Oldest first.")

    @model_validator(mode="after")
    def _values_in_order(self) -> "Indicator":
        dates = [v.date for v in self.values]
        if dates != sorted(set(dates)):
            raise ValueError("values must be in date order, one per period")
        if self.unit == "percent" and not all(0 <= v.value <= 100 for v in self.values):
            raise ValueError("a percentage must be between 0 and 100")
        return self


# --- policies and procedures -------------------------------------------------

ContactId = Annotated[str, Ref("contacts")]

MarkdownText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text in the small Markdown subset (paragraphs, lists, emphasis, links), rendered then sanitised."""


class Reviewed(BaseModel):
    """Fields of anything whose accuracy is owned and reviewed: who owns it and when it is next due."""

    owner: RoleId = Field(description="The role that owns it and answers for its accuracy.")
    last_reviewed: Annotated[date_type, Recorded()]
    review_due: date_type

    @model_validator(mode="after")
    def _review_after_last(self) -> "Reviewed":
        if self.review_due <= self.last_reviewed:
            raise ValueError(f"review_due {self.review_due} must be after last_reviewed {self.last_reviewed}")
        return self


class PolicyStep(BaseModel):
    """One thing someone must do, in order: who, what, by when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    who: RoleId
    when: PlainText = Field(description="By when, in plain words: 'Straight away', 'Within 72 hours'.")
    do: Text = Field(description="What to do, in plain English: carers read this.")
    contacts: list[ContactId] = Field(default_factory=list, description="Numbers to ring for this step.")
    audiences: list[AudienceId] = Field(min_length=1, description="Which versions of the policy show this step.")


class PolicySection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: PlainText
    body: MarkdownText
    audiences: list[AudienceId] = Field(min_length=1)


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: PlainText
    meaning: Text
    plain: Text | None = Field(default=None, description="The same meaning in plain English, for carers.")
    cites: list[ReferenceId] = Field(default_factory=list)


class Amendment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: PlainText
    date: date_type
    change: Text


class Policy(Sourced, Reviewed):
    """A versioned policy or procedure. Each version is a record; `policy` names the policy all its versions share."""

    policy: Slug = Field(description="The policy's own id, shared by all its versions; its page is /policies/<policy>/.")
    title: PlainText
    version: PlainText
    status: Literal["draft", "approved", "superseded"]
    approved: date_type | None = None
    audiences: list[AudienceId] = Field(min_length=1)
    classification: Literal["unrestricted", "official", "official-sensitive"]
    summary: Text
    carer_summary: Text | None = Field(default=None, description="Plain-English summary for the foster-carer version.")
    carer_page: Slug | None = Field(default=None, description="If set, a foster-carer version at /foster-carers/<carer_page>/.")
    steps: list[PolicyStep] = Field(default_factory=list)
    sections: list[PolicySection] = Field(default_factory=list)
    definitions: list[Definition] = Field(default_factory=list)
    contacts: list[ContactId] = Field(default_factory=list)
    related: list[StartLink] = Field(default_factory=list, description="Toolkit sections, courses and other pages.")
    amendments: list[Amendment] = Field(min_length=1, description="Version, date and what changed, newest last.")

    @model_validator(mode="after")
    def _approval(self) -> "Policy":
        if self.status != "draft" and self.approved is None:
            raise ValueError(f"a {self.status} policy needs its `approved` date")
        if self.approved and self.approved > self.last_reviewed:
            raise ValueError(f"last_reviewed {self.last_reviewed} is before it was approved ({self.approved})")
        if self.amendments[-1].version != self.version:
            raise ValueError(f"the last amendment is version {self.amendments[-1].version}, "
                             f"but the policy is version {self.version}")
        if self.carer_page and "foster-carers" not in self.audiences:
            raise ValueError("a foster-carer version (`carer_page`) needs 'foster-carers' in `audiences`")
        return self


# --- guidance: the CSE toolkit, training, the JSNA summary, programmes ------

CourseId = Annotated[str, Ref("courses")]


class Guidance(Sourced, Reviewed):
    """An owned section of guidance (the CSE toolkit, training ...): who it is for and when it is reviewed.

    Its owner and review dates are shown on every page of the section (/<section>/...).
    """

    section: Slug = Field(description="The section's URL, e.g. cse-toolkit for /cse-toolkit/.")
    title: PlainText
    audiences: list[AudienceId] = Field(min_length=1)
    summary: Text


class Sign(BaseModel):
    """One vulnerability factor or warning sign."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    text: PlainText
    significant: bool = Field(default=False, description="A significant indicator: act on it on its own.")


class SignGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    name: PlainText
    kind: Literal["vulnerability", "warning-sign"]
    description: Text
    signs: list[Sign] = Field(min_length=1)
    cites: list[ReferenceId] = Field(default_factory=list)
    illustrative: Text | None = None


class RiskLevel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    level: int = Field(ge=1, description="1 is the lowest level; levels run 1, 2, 3 ... without gaps.")
    name: PlainText
    description: Text
    response: list[Text] = Field(min_length=1, description="What the practitioner does at this level, in order.")
    cites: list[ReferenceId] = Field(default_factory=list)
    illustrative: Text | None = None


class PathwayStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: PlainText
    description: Text
    contacts: list[ContactId] = Field(default_factory=list)
    cites: list[ReferenceId] = Field(default_factory=list)
    illustrative: Text | None = None


class Toolkit(Sourced):
    """A risk-assessment toolkit: definition, vulnerability factors, warning signs, levels, referral pathway."""

    title: PlainText
    definition: Text
    definition_source: ReferenceId
    definition_note: Text | None = None
    groups: list[SignGroup] = Field(min_length=1)
    levels: list[RiskLevel] = Field(min_length=1)
    pathway: list[PathwayStep] = Field(min_length=1, description="The referral pathway, in order.")
    contacts: list[ContactId] = Field(default_factory=list)
    emergency_contact: ContactId = Field(description="The number to ring when a child is in immediate danger.")

    @model_validator(mode="after")
    def _levels_complete(self) -> "Toolkit":
        numbers = [level.level for level in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"levels must run 1, 2, 3 ... in order without gaps; found {numbers}")
        for field, items in (("groups", self.groups), ("levels", self.levels), ("pathway", self.pathway)):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{field}: ids must be unique")
        signs = [sign.id for group in self.groups for sign in group.signs]
        if len(signs) != len(set(signs)):
            raise ValueError("groups: sign ids must be unique across the toolkit")
        return self


class Requirement(BaseModel):
    """Who must (or should) do a course."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: RoleId
    level: Literal["mandatory", "recommended", "interim-alternative"]
    note: Text | None = None


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    date: date_type
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    location: PlainText
    capacity: int = Field(ge=1)
    places_taken: int = Field(ge=0)

    @model_validator(mode="after")
    def _places(self) -> "Session":
        if self.places_taken > self.capacity:
            raise ValueError(f"places_taken {self.places_taken} is more than the capacity {self.capacity}")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end times, or neither")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"ends at {self.end}, before it starts at {self.start}")
        return self


class Course(Sourced):
    """A training course: who provides it, how, for whom, and its sessions."""

    title: PlainText
    provider: ServiceId
    format: Literal["classroom", "workshop", "e-learning", "briefing"]
    length: PlainText
    description: Text
    audiences: list[AudienceId] = Field(min_length=1)
    requirements: list[Requirement] = Field(default_factory=list)
    alternative_to: CourseId | None = Field(default=None, description="For an interim alternative: the course it stands in for.")
    sessions: list[Session] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "Course":
        roles = [r.role for r in self.requirements]
        if len(roles) != len(set(roles)):
            raise ValueError("requirements: each role once")
        sessions = [s.id for s in self.sessions]
        if len(sessions) != len(set(sessions)):
            raise ValueError("sessions: each session id once (it identifies the event in calendars)")
        if any(r.level == "interim-alternative" for r in self.requirements) and not self.alternative_to:
            raise ValueError("an interim alternative must say which course it stands in for (`alternative_to`)")
        return self


class Demand(Sourced):
    """How many people must do the mandatory training: the figure capacity is measured against."""

    description: Text
    roles: list[RoleId] = Field(min_length=1)
    count: int = Field(ge=1)
    qualifier: Literal["exactly", "over", "about"] = "exactly"


class DataItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    name: PlainText
    value: Number | None = None
    unit: Literal["number", "percent", "rate-per-10000"] = "number"
    period: PlainText
    source: Text
    caveat: Text
    illustrative: Text | None = None


class Jsna(Sourced):
    """A chapter of the Joint Strategic Needs Assessment, summarised."""

    title: PlainText
    produced_by: ServiceId
    produced: PartialDate
    audiences: list[AudienceId] = Field(min_length=1)
    purpose: Text
    covers: list[Text] = Field(min_length=1)
    findings: list[Text] = Field(min_length=1)
    data: list[DataItem] = Field(default_factory=list)
    recommendations: list[Text] = Field(default_factory=list)
    informs: list[Text] = Field(default_factory=list, description="The commissioning and safeguarding priorities it informs.")
    actions: list[ActionId] = Field(default_factory=list, description="Development Plan actions it drives.")


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PartialDate
    title: PlainText
    state: Literal["done", "in-progress", "planned"]
    note: Text | None = None
    illustrative: Text | None = None


class Programme(Sourced):
    """A programme of change: what it is, its partner, its milestones and the plan actions it carries."""

    name: PlainText
    partner: ServiceId | None = None
    description: Text
    model: list[Text] = Field(default_factory=list, description="What the programme's model or approach is.")
    milestones: list[Milestone] = Field(min_length=1)
    actions: list[ActionId] = Field(default_factory=list)
    order: int = 100

    @model_validator(mode="after")
    def _milestones_in_order(self) -> "Programme":
        starts = [m.date.start for m in self.milestones]
        if starts != sorted(starts):
            raise ValueError("milestones must be in date order")
        return self
