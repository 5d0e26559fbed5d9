"""``manage.py verify_records``: prove the enforcement record's hash chains."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.core.record import verify_all, verify_evidence


class Command(BaseCommand):
    help = "Verify the hash chains of the enforcement record (and, optionally, evidence files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jurisdiction", default="", help="Only chains whose code starts with this prefix."
        )
        parser.add_argument(
            "--evidence", action="store_true", help="Also re-hash every stored evidence file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["jurisdiction"]
        chains, problems = verify_all(jurisdiction_prefix=prefix)
        if options["evidence"]:
            problems.extend(verify_evidence(jurisdiction_prefix=prefix))
        for p in problems:
            where = f"seq={p.seq}" if p.seq is not None else ""
            ident = f"id={p.event_id}" if p.event_id is not None else ""
            self.stdout.write(f"{p.jurisdiction_code} {where} {ident} {p.code}: {p.message}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {chains} chain(s)")
        self.stdout.write(self.style.SUCCESS(f"OK: {chains} chain(s) verified, no problems"))
