"""MkDocs hooks: mistakes in hand-written pages' macros, as `docs/page.md:line: what is wrong`, all at once.

Listed in mkdocs.yml under `hooks:` after data_pages.py. The pages' macros are
checked and run in the sandbox hooks/macros.py installs (plugins/core/handwritten.py:
a name that is not a macro, anything but a macro call, a macro written wrongly);
macros that fail while rendering are recorded by the build (`Build.call_macro`);
`on_env`, once every page is rendered, stops the build with every problem and no
traceback.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from plugins.core import site
from plugins.core.page_errors import front_matter_lines
from plugins.core.problems import Problem

MACROS_LOG = "mkdocs.plugins.mkdocs_macros.util"


def _docs(config: MkDocsConfig) -> str:
    return Path(config.docs_dir).name


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    macros_log = logging.getLogger(MACROS_LOG)
    for old in [f for f in macros_log.filters if getattr(f, "kb_page_errors", False)]:
        macros_log.removeFilter(old)  # `mkdocs serve` loads the hooks again on every rebuild
    macros_log.addFilter(_WithoutTraceback(_docs(config)))
    return config


def on_env(env, *, config: MkDocsConfig, files: Files):
    problems = site.current().page_problems
    if problems:
        docs = _docs(config)
        listed = sorted({p if p.file.startswith(f"{docs}/") else Problem(f"{docs}/{p.file}", p.line, p.record, p.rule)
                         for p in problems})
        count = len(listed)
        raise PluginError("\n".join([*map(str, listed),
                                     f"{count} problem{'s' if count != 1 else ''} found in {docs}/"]))
    return env


class _WithoutTraceback(logging.Filter):
    """Any macro error the checks above did not catch: mkdocs-macros' message, made one line with file and line."""

    kb_page_errors = True

    def __init__(self, docs: str) -> None:
        super().__init__()
        self.docs = docs

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        file = re.search(r"_File_: `([^`]+)`", text)
        if file is None or "Macro" not in text:
            return True
        error = re.search(r"_(\w+(?:Error|Exception))_: (.+)", text) or re.search(r"\*\*(.+?)\*\*", text)
        lines = re.findall(r'File "<template>", line (\d+)', text) or re.findall(r"_Line (\d+) in", text)
        build = site.current()
        path = file[1]
        offset = front_matter_lines(build.docs_sources.get(path, ""), build.docs_markdown.get(path, ""))
        line = int(lines[-1]) + offset if lines else 1
        what = ": ".join(error.groups()) if error else "a macro failed"
        record.msg, record.args = f"{self.docs}/{path}:{line}: {what}", ()
        record.levelno, record.levelname = logging.ERROR, "ERROR"
        return True
