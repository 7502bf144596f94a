"""How long what a process makes lives, and the two costs that follow from it.

Python's cycle collector runs each time enough new objects have been made, and a full collection walks
every object that is still alive. Loading the data makes a great many objects (every record, its
fields and the lines they were read from) and almost no cycles: at 5,679 pages the collector ran 670
times during the load, found 70 objects to free and took a third of the load's time. So the load runs
with the collector paused (`collector_paused`), in every process.

The imports before a load are alike: MkDocs, the theme's and the plugins' modules, and pydantic building
every model's validator make many objects and few cycles, and the collector took about a tenth of their
time. So `kb` imports the plugins with the collector paused too, and the MkDocs build a process runs
once (`run_mkdocs`) pauses it from its start until its load ends (`paused_until_loaded`).

A process that loads the data once and ends — `kb validate`, and the MkDocs build that `kb build`, a
push and the preview start (`run_mkdocs`) — says so (`one_shot`), and is spared two costs more:

- what it loaded lives until the process ends, yet the first collection after the load would walk all
  of it, and every later full collection again while the pages are made. In such a process, what the
  load made is moved out of the collector's sight when the load ends (`gc.freeze`). It is still freed
  when its last reference goes; only a cycle among those objects waits for the end of the process.
  A full collection then comes ten times less often (`FULL_EVERY`): what the build makes and keeps
  (MkDocs' files, pages and navigation, 5,679 of each at that size) left few cycles to find, yet the
  full collections walking it took 0.3 s of a 5 s rebuild after a one-record edit. Cycles that die
  young (each page's Markdown converter) are still freed by the younger generations' collections:
  the peak memory of a whole build moved by 1 %;
- at its end, Python takes every object apart one by one before it exits. `end()` flushes the output
  and leaves at once (`os._exit`): every file a build writes is closed when written.

The test suite and the preview's build server (not the builds it forks) load many times in one process:
they never call `one_shot`, so nothing is frozen for them and they end as any Python program does.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

_one_shot = False
_until_loaded = False
FULL_EVERY = 100
"""In a one-shot process once its data is loaded, a full collection after this many of the middle generation's
(Python's default is 10)."""


def one_shot() -> None:
    """Say that this process loads the data once and ends (`end`) when its work is done."""
    global _one_shot
    _one_shot = True


def paused_until_loaded() -> None:
    """Pause the collector now, in a process that will load the data (the imports before it make many objects
    and few cycles too); the load's end (`collector_paused`) starts it again."""
    global _until_loaded
    _until_loaded = True
    gc.disable()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while the block runs (a load: many objects, few cycles). Afterwards the collector
    is as it was (running, if it was paused until now: `paused_until_loaded`), and frees any cycle the block
    left; in a one-shot process, what is alive then is frozen."""
    global _until_loaded
    resume, _until_loaded = gc.isenabled() or _until_loaded, False
    gc.disable()
    try:
        yield
    finally:
        if _one_shot:
            gc.freeze()
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_EVERY)
        if resume:
            gc.enable()


def end(code: int) -> NoReturn:
    """End a one-shot process with `code`, its output flushed, without taking its objects apart."""
    with contextlib.suppress(Exception):
        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def exit_code(exit: SystemExit) -> int:
    """The status a SystemExit stands for, as the interpreter reads it."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    print(exit.code, file=sys.stderr)
    return 1
