"""Print the enforcement certificates that expire soon (no mail service exists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from inspectorate.org.certificate_rules import REMINDER_DAYS
from inspectorate.org.selectors import certificates_expiring


class Command(BaseCommand):
    help = "List enforcement certificates whose validity ends within N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=REMINDER_DAYS)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        days = options["days"]
        rows = list(certificates_expiring(today=today, within_days=days))
        for cert in rows:
            officer = cert.officer
            agency = officer.agency
            self.stdout.write(
                "\t".join(
                    [
                        agency.jurisdiction_id if agency else "",
                        agency.name if agency else "",
                        officer.get_full_name() or officer.username,
                        cert.number,
                        cert.valid_until.isoformat(),
                        str((cert.valid_until - today).days),
                        cert.status,
                    ]
                )
            )
        self.stdout.write(
            f"{len(rows)} certificate(s) expire by {today + dt.timedelta(days=days)}."
        )
