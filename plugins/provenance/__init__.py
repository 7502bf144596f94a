"""Provenance on every view: the legend beside marked figures, and the honest count on the About page.

The core computes what each shown value rests on (`plugins/core/provenance.py`);
templates mark values that rest on illustrative data with `mark()` / `shown()`.
This feature explains the mark on every page that carries one, and counts, on
the About page and the home page, what rests on illustrative data: records by
kind, the parts of records (values, updates, sessions ...) by kind, and pages.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
