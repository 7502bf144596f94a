"""The organisation: services, areas and districts, audiences, roles and public contact numbers.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
