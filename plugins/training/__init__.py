"""Training guidance: the catalogue, who must do what, sessions, capacity against demand, an iCalendar feed.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
