"""Sources of recommendations (inspections, the diagnostic ...) and the committee reports.

Makes the inspections timeline and one page per source at plan/sources/<id>/.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
