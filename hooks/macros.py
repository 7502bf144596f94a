"""The mkdocs-macros module: exposes every macro the plugins register to hand-written pages.

No logic lives here. A macro's output is HTML built from escaped data; Jinja
inserts it as a value and never reads it as a template.
"""

from __future__ import annotations

import functools
import logging

from plugins.core import site
from plugins.core.pages import LinkError

log = logging.getLogger("mkdocs.plugins.kb")


def define_env(env) -> None:
    """Called by mkdocs-macros once per build, after the kb hooks have loaded the data."""
    build = site.current()
    for macro in build.macros.values():
        env.macro(_for_current_page(env, build, macro.name, macro.function), macro.name)


def _for_current_page(env, build: site.Build, name: str, function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return build.call_macro(name, env.page.file.src_uri, *args, **kwargs)
        except LinkError as error:
            log.error(str(error))  # mkdocs-macros then stops the build (on_error_fail)
            raise

    return call
