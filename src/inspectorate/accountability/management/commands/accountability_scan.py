"""``manage.py accountability_scan [--on YYYY-MM-DD] [--prefix 65]``: raise the items of
every breach found (idempotent: a breach already raised is not raised again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inspectorate.accountability.services import accountability_scan


class Command(BaseCommand):
    help = "Raise accountability items for missed deadlines, omitted transfers and acts without a certificate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="the day scanned (default: today)")
        parser.add_argument(
            "--prefix", default="", help="a jurisdiction-code prefix (default: all)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--on: {exc}") from exc
        prefix = str(options["prefix"] or "")
        if not prefix.isdigit() and prefix:
            raise CommandError("--prefix: digits of a jurisdiction code")
        result = accountability_scan(on=on, jurisdiction_prefix=prefix)
        raised = ", ".join(f"{k}={v}" for k, v in sorted(result.raised.items())) or "none"
        self.stdout.write(
            f"accountability scan on {on} prefix={prefix or '*'}: raised {raised}; "
            f"already raised {result.already_raised}; unresolved {len(result.unresolved)}"
        )
