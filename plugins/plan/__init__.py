"""The Children's Services Development Plan tracker: themes, recommendations, actions, indicators.

Pages: the overview (/plan/), one page per action, the actions index, the
scorecard (/plan/indicators/) and changes since the last report; exports
(plan.json, actions.csv) and the committee report (`kb report`).

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
