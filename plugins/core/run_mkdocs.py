"""MkDocs' command line in a process that builds once and ends: `python -m plugins.core.run_mkdocs build ...`.

`kb build`, a push (its check and its publication) and the preview without its build server run MkDocs
this way. It runs what `python -m mkdocs` runs, with the same arguments, output and exit status; the
process then ends as `lifetime` describes, and the data it loads is frozen once loaded.
"""

from __future__ import annotations

import sys

from plugins.core import lifetime


def run(argv: list[str]) -> int:
    """Run MkDocs' command line with `argv` (after `mkdocs`); its exit status."""
    from mkdocs.__main__ import cli

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exit:
        return lifetime.exit_code(exit)
    return 0


if __name__ == "__main__":
    lifetime.one_shot()
    lifetime.paused_until_loaded()   # MkDocs' imports, then the hooks', then the load (in on_config)
    lifetime.end(run(sys.argv[1:]))
