"""What every operators' command module shares: the `eloan` command group and how a refusal is printed.

cli.py and cli_backup.py both add their commands to this group, so neither needs to import the other.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from eloan.domain.errors import DomainError, RuleViolation

eloan_cli = AppGroup("eloan", help="园区E贷 operators' commands.")


def fail(exc: DomainError) -> None:
    """Print a service's refusal in Chinese (each rule with its code) and exit 1."""
    if isinstance(exc, RuleViolation):
        for v in exc.violations:
            click.echo(f"错误 [{v.code}] {v.message}", err=True)
    else:
        click.echo(f"错误：{exc}", err=True)
    sys.exit(1)
