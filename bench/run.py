"""`make bench`: how build cost grows with the amount of data.

Builds the real site with N synthetic sources, recommendations and actions added
(2N generated pages, all marked illustrative), for several N, and reports the time to load and check
the data and the time of the whole strict build. Cost must grow linearly: the
report gives the time per added record between sizes, which should stay flat.
Not a test: timings depend on the machine; read the trend, not the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugins.core.loading import load_knowledge  # noqa: E402
from plugins.core.manager import get_plugin_manager  # noqa: E402
from plugins.core.settings import Settings  # noqa: E402
from tests.helpers import make_project  # noqa: E402

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
    - {{date: 2014-12-01, status: on-track, note: Started; SCS and EH&PS staff involved.}}
    - {{date: 2015-04-21, status: {status}, note: Progress reported to the committee.}}
  illustrative: Synthetic benchmark data.
"""

RECOMMENDATION = """
- id: bench-recommendation-{n}
  source: bench-source-{n}
  text: A synthetic recommendation about CSE, number {n}.
  priority: medium
  illustrative: Synthetic benchmark data.
"""

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
  illustrative: Synthetic benchmark data.
"""


def make_data(project: Path, count: int) -> None:
    """N sources, each with a recommendation answered by an action: 2N generated pages."""
    statuses = ["on-track", "at-risk", "off-track", "not-started"]
    for name, template in (("sources", SOURCE), ("recommendations", RECOMMENDATION), ("actions", ACTION)):
        with (project / "data" / f"{name}.yml").open("a", encoding="utf-8") as out:
            for n in range(count):
                out.write(template.format(n=n, month=n % 12 + 1, status=statuses[n % 4]))


def measure(count: int, workdir: Path) -> dict[str, float]:
    project = make_project(workdir / f"n{count}", data=ROOT / "data")
    make_data(project, count)
    started = time.perf_counter()
    kb = load_knowledge(get_plugin_manager(), Settings(root=project, data_dir=project / "data"))
    load_seconds = time.perf_counter() - started
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                             "-d", str(project / "site")], capture_output=True, text=True, env=env, cwd=project)
    build_seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed at N={count}:\n{result.stderr[-2000:]}")
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    html_bytes = sum(p.stat().st_size for p in (project / "site").rglob("*.html"))
    shutil.rmtree(project)
    return {"added": count, "records": kb.record_count, "pages": pages, "load_s": load_seconds,
            "build_s": build_seconds, "html_kb_per_page": html_bytes / pages / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0,250,500,1000",
                        help="synthetic sources (each with an action) to add, comma-separated")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        rows = [measure(n, Path(tmp)) for n in sizes]
    print(f"{'added':>6} {'records':>8} {'pages':>6} {'load s':>8} {'build s':>8} {'ms/added source':>16} {'KB/page':>8}")
    previous = None
    for row in rows:
        marginal = ""
        if previous and row["added"] > previous["added"]:
            per = (row["build_s"] - previous["build_s"]) / (row["added"] - previous["added"]) * 1000
            row["marginal_ms_per_record"] = per
            marginal = f"{per:.1f}"
        print(f"{row['added']:>6} {row['records']:>8} {row['pages']:>6} {row['load_s']:>8.2f} "
              f"{row['build_s']:>8.2f} {marginal:>16} {row['html_kb_per_page']:>8.1f}")
        previous = row
    marginals = [r["marginal_ms_per_record"] for r in rows if "marginal_ms_per_record" in r]
    if len(marginals) >= 2:
        growth = marginals[-1] / marginals[0]
        print(f"\nmarginal cost per record, last step / first step: {growth:.2f} "
              "(about 1 means linear; well above 1 means cost grows faster than the data)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
