"""`kb serve`'s command line, apart from the preview itself, so that every other command can list it
without importing the live-reload server (plugins/core/preview.py)."""

from __future__ import annotations

import argparse


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (for argparse: anything else is a one-line usage error)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number: give one from 1 to 65535") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: give one from 1 to 65535")
    return port


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--port", type=port_number, default=8000, help="port to serve on (default 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
