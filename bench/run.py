"""`make bench`: the project's build against plain MkDocs + Material, interleaved in one run, at several sizes.

At each size the real data is grown by synthetic records of every kind that
makes pages or figures (sources, recommendations, actions with dated updates,
indicators, courses with sessions), all marked illustrative. A plain MkDocs +
Material site with the same number of pages of the same size (same theme
features, search, strict, the same Markdown extensions) is built by a separate
script in the same run. The two are run in turn, A B A B ..., so a machine that
drifts affects both alike; the report gives CPU time (user + sys, the whole
process tree) and wall time as medians, their ratio, the peak memory of the
whole process tree, the search index size, how cost grows with the data
(log-log slope: 1 is linear), the cost of rebuilding after a one-record edit,
`kb validate` cold, with its cache and after a one-record edit, and, at the largest size, how long search
takes to answer in headless Chromium (bench/search_speed.py).

Cold builds run with KB_CACHE_DIR=off, so nothing is kept from the run before;
the edit rebuild and the warm `kb validate` use a cache the run made first (what an
editor's machine or the publishing server has).

Not a test: read the ratios and the slope, not the absolute seconds.
`bench/README.md` says how to read the table; `bench/results.json` keeps it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.plain import make_plain_site  # noqa: E402
from bench.synthetic import grow  # noqa: E402
from tests.helpers import make_project  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
"""Python keeps compiled modules (__pycache__) as it does on any machine that ran the code once: the installed
packages MkDocs and Material run from were compiled when installed, and so, after the warm-up, are plugins/."""
COLD = {**ENV, "KB_CACHE_DIR": "off"}


@dataclass
class Run:
    cpu_s: float
    wall_s: float
    peak_rss_mib: float


@dataclass
class Row:
    size: int
    pages: int
    project: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    search_index_kib: float = 0.0
    edit_rebuild: list[Run] = field(default_factory=list)
    validate_cold: list[Run] = field(default_factory=list)
    validate_warm: list[Run] = field(default_factory=list)
    validate_edit: list[Run] = field(default_factory=list)
    search: dict | None = None

    def median(self, runs: str, figure: str) -> float:
        return statistics.median(getattr(run, figure) for run in getattr(self, runs))

    def summary(self) -> dict:
        out = {"size": self.size, "pages": self.pages, "search_index_kib": round(self.search_index_kib, 1)}
        for runs in ("project", "plain", "edit_rebuild", "validate_cold", "validate_warm", "validate_edit"):
            if getattr(self, runs):
                for figure in ("cpu_s", "wall_s", "peak_rss_mib"):
                    out[f"{runs}_{figure}"] = round(self.median(runs, figure), 2)
        if self.plain:
            pairs = list(zip(self.project, self.plain))
            out["cpu_ratio"] = round(statistics.median(a.cpu_s / b.cpu_s for a, b in pairs), 2)
            out["wall_ratio"] = round(statistics.median(a.wall_s / b.wall_s for a, b in pairs), 2)
        if self.search:
            out["search"] = self.search
        return out


def _tree_rss_kib(root_pid: int) -> int:
    """The resident memory of a process and all its descendants, summed (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as status:
                kib = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kib
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def timed(command: list[str], cwd: Path, env: dict[str, str] = COLD) -> Run:
    """CPU (user + sys of the process and every descendant it reaped), wall time and peak tree memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{stderr[-3000:]}")
    return Run(usage.ru_utime + usage.ru_stime, wall, peak / 1024)


def build_project(project: Path) -> list[str]:
    return [sys.executable, "-m", "plugins.core.cli", "build", "-d", str(project / "site")]


def validate_project(project: Path) -> list[str]:
    return [sys.executable, "-m", "plugins.core.cli", "validate"]


def build_plain(plain: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(plain / "mkdocs.yml"), "-d",
            str(plain / "site")]


NOTES = ("Progress reported to the committee.", "Progress reported to the committee again.")


def one_record_edit(project: Path, undo: bool = False) -> None:
    """Change one action's latest progress note: the edit an editor makes most often (`undo`: change it back)."""
    actions = project / "data" / "actions.yml"
    text = actions.read_text(encoding="utf-8")
    old, new = NOTES[::-1] if undo else NOTES
    actions.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(size: int, runs: int, workdir: Path, search: bool = False) -> Row:
    project = make_project(workdir / f"project-{size}", data=ROOT / "data")
    grow(project / "data", size)
    warm = {**ENV, "KB_CACHE_DIR": str(workdir / f"cache-{size}")}
    subprocess.run(build_project(project), cwd=project, env=warm, check=True, capture_output=True)  # warm-up
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    mean_markdown = _mean_page_markdown(project)
    plain = make_plain_site(workdir / f"plain-{size}", pages, mean_markdown, ROOT / "mkdocs.yml")
    subprocess.run(build_plain(plain), cwd=plain, env=ENV, check=True, capture_output=True)       # warm-up
    row = Row(size=size, pages=pages)
    for _ in range(runs):
        row.project.append(timed(build_project(project), project))
        row.plain.append(timed(build_plain(plain), plain))
    index = project / "site" / "search" / "search_index.json"
    row.search_index_kib = index.stat().st_size / 1024 if index.exists() else 0.0
    if search:
        from bench.search_speed import measure as search_speed

        row.search = search_speed((project / "site").resolve(), runs)
    for _ in range(runs):
        row.validate_cold.append(timed(validate_project(project), project))
        row.validate_warm.append(timed(validate_project(project), project, warm))
    for _ in range(runs):
        one_record_edit(project)
        row.edit_rebuild.append(timed(build_project(project), project, warm))
        one_record_edit(project)   # another record: the rebuild has already read the first edit
        row.validate_edit.append(timed(validate_project(project), project, warm))
    shutil.rmtree(project, ignore_errors=True)   # an old release may be going already
    shutil.rmtree(plain)
    return row


VALIDATE_ACTIONS = 5000
"""`kb validate` is also timed with this many synthetic actions (with their sources, recommendations, indicators
and courses, each as a unit does): the size the target of `kb validate` is set at."""


def measure_validate(units: int, runs: int, workdir: Path) -> dict:
    """`kb validate` cold, with the cache, and after a one-record edit, on the real data grown by `units`."""
    project = make_project(workdir / f"validate-{units}", data=ROOT / "data")
    grow(project / "data", units)
    warm = {**ENV, "KB_CACHE_DIR": str(workdir / f"validate-cache-{units}")}
    subprocess.run(validate_project(project), cwd=project, env=warm, check=True, capture_output=True)  # warm-up
    cold, kept, edited = [], [], []
    for _ in range(runs):
        cold.append(timed(validate_project(project), project))
        kept.append(timed(validate_project(project), project, warm))
        one_record_edit(project)
        edited.append(timed(validate_project(project), project, warm))
    actions = (project / "data" / "actions.yml").read_text(encoding="utf-8").count("\n- id:")
    shutil.rmtree(project)
    return {"actions": actions, "runs": {"cold": [asdict(r) for r in cold], "warm": [asdict(r) for r in kept],
                                         "edit": [asdict(r) for r in edited]},
            **{f"{name}_wall_s": round(statistics.median(r.wall_s for r in found), 3)
               for name, found in (("cold", cold), ("warm", kept), ("edit", edited))}}


def measure_push(units: int, runs: int, workdir: Path) -> dict:
    """A one-record push timed as an editor sees it, `git push` from start to end: the server (git hooks
    installed by `kb install-git-hooks`, the trusted code this checkout's committed HEAD) checks the pushed
    content and publishes it, on the real data grown by `units`."""
    server = workdir / f"push-{units}"
    checkout, bare, clone = server / "checkout", server / "kb.git", server / "clone"
    env = {**ENV, "XDG_CACHE_HOME": str(server / "cache"), "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@x",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@x"}
    env = {name: value for name, value in env.items() if not name.startswith("KB_")}

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    git("clone", "-q", str(ROOT), str(checkout), cwd=workdir)
    grow(checkout / "data", units)
    git("add", "-A", cwd=checkout)
    git("commit", "-q", "-m", "Synthetic data for the benchmark", cwd=checkout)
    subprocess.run([sys.executable, "-m", "plugins.core.cli", "install-git-hooks", str(bare), "--publish-to",
                    str(server / "www" / "kb"), "--as-at", "recorded"], cwd=checkout, env=env, check=True,
                   capture_output=True)   # and the first publish
    git("clone", "-q", str(bare), str(clone), cwd=workdir)
    pushes = []
    for number in range(runs + 1):   # the first is a warm-up: the server's first push after its first publish
        one_record_edit(clone, undo=number % 2 == 1)
        git("commit", "-q", "-am", f"Progress note {number}", cwd=clone)
        run = timed(["git", "push", "-q", "origin", "main"], clone, env)
        if number:
            pushes.append(run)
    pages = sum(1 for _ in (server / "www" / "kb").resolve().rglob("index.html"))
    shutil.rmtree(server, ignore_errors=True)
    return {"units": units, "pages": pages, "runs": [asdict(r) for r in pushes],
            "wall_s": round(statistics.median(r.wall_s for r in pushes), 3),
            "cpu_s": round(statistics.median(r.cpu_s for r in pushes), 3)}


def measure_preview(units: int, runs: int, workdir: Path) -> dict:
    """A one-record edit timed in the preview (`kb serve`) as an editor sees it: from the save of the data file
    to the edited action's page, fetched again and again, showing the change; on the real data grown by
    `units`. The preview keeps its cache (KB_CACHE_DIR) where an editor's machine would."""
    project = make_project(workdir / f"preview-{units}", data=ROOT / "data")
    grow(project / "data", units)
    env = {**ENV, "KB_CACHE_DIR": str(workdir / f"preview-cache-{units}")}
    with socket.socket() as probe:   # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "plugins.core.cli", "serve", "--port", str(port)], cwd=project,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    actions = project / "data" / "actions.yml"
    text = actions.read_text(encoding="utf-8")
    at = text.index(NOTES[0])
    action = text[text.rindex("\n- id: ", 0, at) + len("\n- id: "):].split("\n", 1)[0].strip()
    page = f"http://127.0.0.1:{port}/plan/actions/{action}/"

    def shown(words: str, within: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < within:
            try:
                with urllib.request.urlopen(page, timeout=5) as answer:
                    if words in answer.read().decode("utf-8"):
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        return None

    seen = []
    try:
        if shown("Synthetic action", 900) is None:
            raise RuntimeError("the preview never served the site")
        for number in range(runs + 1):   # the first is a warm-up: the preview's first rebuild
            time.sleep(2)
            marker = f"edited in the preview {number} {time.time_ns()}"
            text = actions.read_text(encoding="utf-8")
            # No comma: the note is a value in a YAML flow mapping.
            actions.write_text(text.replace(NOTES[0], f"{NOTES[0][:-1]} {marker}.", 1), encoding="utf-8")
            took = shown(marker, 300)
            if took is None:
                raise RuntimeError("the preview never showed an edit")
            actions.write_text(text, encoding="utf-8")   # back as it was: the next edit is of the same note
            if number:
                seen.append(took)
            shown(NOTES[0], 300)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    shutil.rmtree(project, ignore_errors=True)
    return {"units": units, "action": action, "shown_s": [round(took, 3) for took in seen],
            "wall_s": round(statistics.median(seen), 3)}


def _mean_page_markdown(project: Path) -> int:
    """The mean size of the site's pages as Markdown sources would be (HTML text of each page's article)."""
    from tests.helpers import article_text

    sizes = [len(article_text(p.read_text(encoding="utf-8"))) for p in (project / "site").rglob("index.html")]
    return int(statistics.mean(sizes)) if sizes else 2000


def slope(rows: list[Row], runs: str) -> float | None:
    """The log-log slope of CPU time against pages between the smallest and largest size (1.0 is linear)."""
    first, last = rows[0], rows[-1]
    if last.pages <= first.pages:
        return None
    return math.log(last.median(runs, "cpu_s") / first.median(runs, "cpu_s")) / math.log(last.pages / first.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0,500,1500,2800",
                        help="synthetic units to add at each size (each unit adds about two pages)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs of each build at each size")
    parser.add_argument("--validate-units", type=int, default=VALIDATE_ACTIONS,
                        help="units (so actions) to add for timing `kb validate` apart; 0 leaves it out")
    parser.add_argument("--no-push", dest="push", action="store_false",
                        help="leave out timing a one-record push at the largest size")
    parser.add_argument("--no-preview", dest="preview", action="store_false",
                        help="leave out timing a one-record edit in the preview at the largest size")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        rows = []
        for size in sizes:
            rows.append(measure(size, args.runs, Path(tmp), search=size == max(sizes)))
            print(f"measured {rows[-1].pages} pages", file=sys.stderr)
        validate = measure_validate(args.validate_units, args.runs, Path(tmp)) if args.validate_units else None
        # The edit pushed is a synthetic action's note: at size 0 there is none to push.
        push = measure_push(max(sizes), args.runs, Path(tmp)) if args.push and max(sizes) > 0 else None
        preview = measure_preview(max(sizes), args.runs, Path(tmp)) if args.preview and max(sizes) > 0 else None
    header = (f"{'pages':>6} {'project cpu':>11} {'plain cpu':>9} {'ratio':>6} {'project wall':>12} "
              f"{'plain wall':>10} {'peak MiB':>8} {'index KiB':>9} {'1-edit rebuild':>14} "
              f"{'validate cold/warm/1-edit':>25}")
    print(header)
    summaries = [row.summary() for row in rows]
    for s in summaries:
        print(f"{s['pages']:>6} {s['project_cpu_s']:>11.2f} {s['plain_cpu_s']:>9.2f} {s['cpu_ratio']:>6.2f} "
              f"{s['project_wall_s']:>12.2f} {s['plain_wall_s']:>10.2f} {s['project_peak_rss_mib']:>8.0f} "
              f"{s['search_index_kib']:>9.0f} {s['edit_rebuild_wall_s']:>13.2f}s "
              f"{s['validate_cold_wall_s']:>10.2f}s/{s['validate_warm_wall_s']:.2f}s/{s['validate_edit_wall_s']:.2f}s")
    for s in summaries:
        if "search" in s:
            print(f"\nsearch at {s['pages']} pages (Chromium): first results {s['search']['cold_first_results_s']} s "
                  f"from a cold page load, {s['search']['loaded_results_s']} s once loaded")
    if validate is not None:
        print(f"\nkb validate with {validate['actions']} actions: {validate['cold_wall_s']:.2f} s cold, "
              f"{validate['warm_wall_s']:.2f} s with the cache, {validate['edit_wall_s']:.2f} s after a one-record "
              "edit")
    if push is not None:
        print(f"\na one-record push at {push['pages']} pages (git push to published): {push['wall_s']:.2f} s "
              f"(the server's CPU: {push['cpu_s']:.2f} s)")
    if preview is not None:
        print(f"\na one-record edit in the preview at {summaries[-1]['pages']} pages (save to the page shown): "
              f"{preview['wall_s']:.2f} s (each: {', '.join(f'{took:.2f}' for took in preview['shown_s'])} s)")
    growth = {"project": slope(rows, "project"), "plain": slope(rows, "plain")}
    if growth["project"] is not None:
        print(f"\ngrowth (log-log slope of CPU time against pages; 1.0 is linear): "
              f"project {growth['project']:.2f}, plain Material {growth['plain']:.2f}")
    out = Path(args.out)
    out.write_text(json.dumps({"runs": args.runs, "rows": summaries, "growth": growth, "validate": validate,
                               "push": push, "preview": preview,
                               "raw": [asdict(row) for row in rows]}, indent=2) + "\n", encoding="utf-8")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
