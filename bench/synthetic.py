"""Synthetic records of every kind that makes pages or figures, for the benchmark (all marked illustrative)."""

from __future__ import annotations

from pathlib import Path

ILLUSTRATIVE = "  illustrative: Synthetic benchmark data.\n"

SOURCE = """
- id: bench-source-{n}
  title: Synthetic inspection {n}
  short_title: Synthetic {n}
  kind: peer-review
  carried_out: {{start: 2015-{month:02d}}}
  summary: >-
    A synthetic source for the benchmark, number {n}. It mentions SCS, EH&PS, CSE and the
    KSCB so the glossary has work to do on every page, like real content.
  scope: [One thing that was looked at., Another thing that was looked at.]
  findings: [A finding., Another finding.]
""" + ILLUSTRATIVE

RECOMMENDATION = """
- id: bench-recommendation-{n}
  source: bench-source-{n}
  text: A synthetic recommendation about CSE, number {n}.
""" + ILLUSTRATIVE

ACTION = """
- id: bench-action-{n}
  title: Synthetic action {n}
  recommendations: [bench-recommendation-{n}]
  theme: cse
  lead_service: scs
  owner: social-worker
  start: 2014-11-01
  due: 2015-{month:02d}-28
  updates:
    - {{date: 2015-01-15, status: on-track, note: Started; SCS and EH&PS staff involved.}}
    - {{date: 2015-04-21, status: {status}, note: Progress reported to the committee.}}
  indicators: [{indicator}]
""" + ILLUSTRATIVE

INDICATOR = """
- id: bench-indicator-{n}
  name: Synthetic indicator {n}
  definition: A synthetic percentage for the benchmark.
  polarity: higher-is-better
  unit: percent
  target: 80
  values:
    - {{period: Quarter 1 2014-15, date: 2014-06-30, value: 50}}
    - {{period: Quarter 2 2014-15, date: 2014-09-30, value: 60}}
    - {{period: Quarter 3 2014-15, date: 2014-12-31, value: 70}}
    - {{period: Quarter 4 2014-15, date: 2015-03-31, value: 75}}
""" + ILLUSTRATIVE

COURSE = """
- id: bench-course-{n}
  title: Synthetic course {n}
  providers: [kscb]
  format: workshop
  length: half a day
  description: A synthetic course for the benchmark.
  audiences: [staff]
  requirements:
    - {{role: team-manager, level: recommended}}
  sessions:
    - {{id: s1, date: 2015-05-{day:02d}, start: "09:30", end: "12:30", location: Maidstone, capacity: 20, places_taken: 5}}
    - {{id: s2, date: 2015-06-{day:02d}, start: "09:30", end: "12:30", location: Ashford, capacity: 20, places_taken: 2}}
    - {{id: s3, date: 2015-07-{day:02d}, start: "13:30", end: "16:30", location: Dover, capacity: 20, places_taken: 0}}
""" + ILLUSTRATIVE

STATUSES = ["on-track", "at-risk", "off-track", "not-started"]


def grow(data: Path, units: int) -> None:
    """Add `units` sources, recommendations and actions (two pages each), and an indicator and a course for
    every ten, so every collection that makes pages or figures grows with the data."""
    indicators = max(units // 10, 1) if units else 0
    writers = {
        "sources": (SOURCE, units), "recommendations": (RECOMMENDATION, units), "actions": (ACTION, units),
        "indicators": (INDICATOR, indicators), "courses": (COURSE, units // 10),
    }
    for name, (template, count) in writers.items():
        with (data / f"{name}.yml").open("a", encoding="utf-8") as out:
            for n in range(count):
                out.write(template.format(n=n, month=n % 12 + 1, day=n % 28 + 1, status=STATUSES[n % 4],
                                          indicator=f"bench-indicator-{n % indicators}" if indicators else ""))
