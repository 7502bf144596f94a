"""Review governance: every owned page shows its owner and review dates; overdue pages say so.

Works on any record that declares the `Owned` trait and is shown on a page of
its own (its collection declares the page). Gives the editors' dashboard at
/editors/reviews/, a notice in the build log for reviews due soon, and
`kb reviews` for a scheduled reminder job.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
