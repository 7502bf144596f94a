"""A `kb` sub-command a plugin adds (`register_commands`): no plugin imports the command line itself."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plugins.core.knowledge import Knowledge


@dataclass(frozen=True)
class Command:
    """A `kb` sub-command a plugin adds: its arguments, and what it runs with the checked data."""

    name: str
    help: str
    run: Callable[[Knowledge | None, argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    needs_data: bool = True
    """False for commands that do not read data/ (they are handed None)."""
