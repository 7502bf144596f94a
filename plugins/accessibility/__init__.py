"""The accessibility statement's measured figures: what the tests found on every page, shown on /accessibility/.

tests/test_accessibility.py measures every built page (axe-core, the Nu Html
Checker, keyboard journeys) and writes docs/accessibility/results.yml; the
statement shows those figures through macros, so it cannot say more than was
measured, and the test fails when it says something else.

The hook implementations are in `hooks.py`.
"""
