"""Where a cold build's time goes: the build with each feature plain Material lacks left out, against plain Material.

The project does three things on every page that plain MkDocs + Material does not:
it reads each page's sections and terms for the site's search index
(plugins/search), it explains glossary terms (plugins/glossary), and it checks
the data and the pages for a child's personal details (plugins/safety). This
script measures what each costs by building the same grown site with it left
out, in a scratch copy of this checkout (never in the checkout: the code the
site is built with has no switch that turns the guard off), and sets the
figures beside plain Material's, with and without its own search plugin.

Every build runs in turn, A B C ... A B C ..., as in `bench/run.py`, so a
drifting machine affects all alike. The figures are medians of CPU time (user +
sys of the whole process tree) over `--runs` rounds. Each variant is checked
to have left out what it says: no search entry, no glossary mark.

    .venv/bin/python bench/budget.py                 # 2,800 units: about 5,680 pages; 3 rounds
    .venv/bin/python bench/budget.py --units 500 --runs 1 --out /tmp/budget.json   # a quick look

Not a test: read the ratios, not the seconds. `bench/README.md` says more.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.plain import make_plain_site  # noqa: E402
from bench.run import COLD, ENV, _mean_page_markdown, build_plain, build_project, timed  # noqa: E402
from bench.synthetic import grow  # noqa: E402
from tests.helpers import SITE_SOURCES, make_project  # noqa: E402


@dataclass(frozen=True)
class Edit:
    """One change to a scratch copy: `old` must be in `file` exactly once, and becomes `new`."""

    file: str
    old: str
    new: str


LEAVE_OUT: dict[str, tuple[str, Edit]] = {
    "search": ("reading each page's sections and terms for the search index", Edit(
        "hooks/search.py",
        '    reused = getattr(page, "_kb_reused", None)\n',
        '    return context  # left out by bench/budget.py\n    reused = getattr(page, "_kb_reused", None)\n')),
    "glossary": ("explaining glossary terms on every page", Edit(
        "plugins/glossary/hooks.py",
        "    link = _linker(page)\n    html = page.html\n",
        "    return  # left out by bench/budget.py\n    link = _linker(page)\n    html = page.html\n")),
    "guard": ("checking the data and the pages for personal details", Edit(
        "plugins/safety/hooks.py",
        "    reference = _reference_files(content)\n",
        "    return  # left out by bench/budget.py\n    reference = _reference_files(content)\n")),
}
"""What each variant leaves out, and the one change to the code that leaves it out."""

VARIANTS: dict[str, tuple[str, ...]] = {
    "whole build": (),
    "without search": ("search",),
    "without glossary": ("glossary",),
    "without guard": ("guard",),
    "without all three": ("search", "glossary", "guard"),
}


def unapplied(root: Path, features: tuple[str, ...]) -> list[str]:
    """Each edit of `features` that cannot be made to the code under `root` (its text is not there exactly
    once), said as a sentence; none when all can."""
    problems = []
    for feature in features:
        edit = LEAVE_OUT[feature][1]
        count = (root / edit.file).read_text(encoding="utf-8").count(edit.old)
        if count != 1:
            problems.append(f"{edit.file}: the text that leaves out {feature} is there {count} times, not once "
                            "(the code changed: update LEAVE_OUT in bench/budget.py)")
    return problems


def scratch_project(features: tuple[str, ...], folder: Path) -> Path:
    """A copy of this checkout's site (configuration, pages, theme, hooks), code (plugins/) and data, with
    `features` left out."""
    project = make_project(folder, data=ROOT / "data", sources=("plugins", *SITE_SOURCES))
    for feature in features:
        edit = LEAVE_OUT[feature][1]
        path = project / edit.file
        path.write_text(path.read_text(encoding="utf-8").replace(edit.old, edit.new), encoding="utf-8")
    return project


def _left_out(site: Path) -> dict[str, bool]:
    """Whether the built site has no search entries and no glossary marks."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    marks = sum(page.read_text(encoding="utf-8").count('class="kb-term') for page in site.rglob("index.html"))
    return {"search": not index["docs"], "glossary": marks == 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=2800, help="synthetic units to add (about two pages each)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every build, in turn")
    parser.add_argument("--out", default=str(ROOT / "bench" / "budget.json"), help="where to write the figures")
    args = parser.parse_args()
    problems = unapplied(ROOT, tuple(LEAVE_OUT))   # every variant leaves out some of these, by these changes
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kb-budget-") as tmp:
        work = Path(tmp)
        projects: dict[str, tuple[Path, dict[str, str]]] = {}
        for name, features in VARIANTS.items():
            project = scratch_project(features, work / f"project-{len(projects)}")
            grow(project / "data", args.units)
            env = {**COLD, "PYTHONPATH": str(project)}   # its plugins/ before the checkout's (installed editable)
            subprocess.run(build_project(project), cwd=project, env=env, check=True, capture_output=True)  # warm-up
            done = _left_out(project / "site")
            wrong = [f for f in ("search", "glossary") if done[f] != (f in features)]
            if wrong:
                raise SystemExit(f"{name}: the built site does not show {', '.join(wrong)} as "
                                 f"{'left out' if features else 'done'}")
            projects[name] = (project, env)
        first = next(iter(projects.values()))[0]
        pages = sum(1 for _ in (first / "site").rglob("index.html"))
        plain = make_plain_site(work / "plain", pages, _mean_page_markdown(first), ROOT / "mkdocs.yml")
        config = (plain / "mkdocs.yml").read_text(encoding="utf-8")
        (plain / "no-search.yml").write_text(config.replace("plugins:\n- search\n", "plugins: []\n"),
                                             encoding="utf-8")
        if (plain / "no-search.yml").read_text(encoding="utf-8") == config:
            raise SystemExit("bench/plain.py's configuration changed: its search plugin was not found")
        plain_without = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(plain / "no-search.yml"),
                         "-d", str(plain / "site")]
        commands = {name: (build_project(project), project, env) for name, (project, env) in projects.items()}
        commands["plain Material"] = (build_plain(plain), plain, ENV)
        commands["plain Material without search"] = (plain_without, plain, ENV)
        for name in ("plain Material", "plain Material without search"):
            command, cwd, env = commands[name]
            subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)   # warm-up
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, cwd, env) in commands.items():
                cpu[name].append(timed(command, cwd, env).cpu_s)
    medians = {name: statistics.median(runs) for name, runs in cpu.items()}
    whole, reference = medians["whole build"], medians["plain Material"]
    print(f"{pages} pages, {args.runs} rounds; CPU seconds (medians), and each as a ratio of plain Material's\n")
    print(f"{'build':<32} {'cpu s':>7} {'ratio':>6} {'costs':>7}")
    for name, seconds in medians.items():
        costs = whole - seconds if name.startswith("without") else None
        print(f"{name:<32} {seconds:>7.2f} {seconds / reference:>6.2f} "
              f"{'' if costs is None else f'{costs:>6.2f}s':>7}")
    print("\n" + "\n".join(f"without {feature}: {what}" for feature, (what, _) in LEAVE_OUT.items()))
    budget = 0.8 * reference - medians["without all three"]
    print(f"\nAt 0.8x plain Material ({0.8 * reference:.2f} s), what is left for search, the glossary and the guard "
          f"together: {budget:.2f} s; they cost {whole - medians['without all three']:.2f} s now. Plain Material's "
          f"own search costs {medians['plain Material'] - medians['plain Material without search']:.2f} s.")
    Path(args.out).write_text(json.dumps({
        "units": args.units, "pages": pages, "runs": args.runs,
        "median_cpu_s": {name: round(seconds, 2) for name, seconds in medians.items()},
        "cpu_s": {name: [round(seconds, 2) for seconds in runs] for name, runs in cpu.items()}},
        indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
