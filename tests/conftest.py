"""Shared test set-up: the fixtures in tests/fixtures/, registered once for every test folder.

tests/fixtures/app.py sets the environment before the app is imported, so it comes first.
tests/fixtures/registry.py and disk.py hold plain helpers only: tests import what they use from them.
"""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.people",
    "tests.fixtures.web",
    "tests.fixtures.loans",
    "tests.fixtures.claims",
    "tests.fixtures.monitoring",
    "tests.fixtures.forms",
    "tests.fixtures.statistics",
    "tests.fixtures.targets",
    "tests.fixtures.evaluations",
    "tests.fixtures.dashboard",
]
