"""``manage.py holiday_calendar``: enter (or withdraw) a year's statutory holiday arrangement.

For a year the ``chinese-calendar`` package does not have yet, from the State Council's
notice, e.g.::

    manage.py holiday_calendar enter 2027 --by prov_admin \\
        --source "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）" \\
        --holidays 2027-01-01 2027-02-06:2027-02-12 ... --workdays 2027-02-14 ...
    manage.py holiday_calendar withdraw 2027 --by prov_admin --reason "录入有误"
    manage.py holiday_calendar show 2027
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.core.calendar import is_working_day, package_knows
from inspectorate.core.errors import ApplicationError
from inspectorate.core.holidays import calendar_year_enter, calendar_year_withdraw, parse_days
from inspectorate.core.models import CalendarYear
from inspectorate.org.models import User


class Command(BaseCommand):
    help = "Enter, withdraw or show a year's statutory holiday arrangement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["enter", "withdraw", "show"])
        parser.add_argument("year", type=int)
        parser.add_argument("--by", default="", help="Username of the administrator.")
        parser.add_argument("--source", default="", help="The notice's title and number.")
        parser.add_argument("--holidays", nargs="*", default=[], help="Days off (or a:b ranges).")
        parser.add_argument("--workdays", nargs="*", default=[], help="Make-up working days.")
        parser.add_argument("--reason", default="", help="Why an entry is withdrawn.")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if options["action"] == "show":
            self._show(year)
            return
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError("--by: no active user with this username.")
        try:
            if options["action"] == "enter":
                calendar = calendar_year_enter(
                    actor=actor,
                    year=year,
                    source=options["source"],
                    holidays=parse_days(options["holidays"]),
                    workdays=parse_days(options["workdays"]),
                )
                self.stdout.write(f"{year}: entered ({calendar.days.count()} days).")
            else:
                calendar_year_withdraw(actor=actor, year=year, reason=options["reason"])
                self.stdout.write(f"{year}: withdrawn.")
        except ApplicationError as exc:
            fields = exc.extra.get("fields", {})
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc

    def _show(self, year: int) -> None:
        if package_knows(year):
            self.stdout.write(f"{year}: from the chinese-calendar package.")
        else:
            calendar = CalendarYear.objects.filter(year=year, withdrawn_at=None).first()
            if calendar is None:
                raise CommandError(f"{year}: not published (neither the package nor entered).")
            self.stdout.write(f"{year}: entered — {calendar.source}")
        import datetime as dt

        first = dt.date(year, 1, 1)
        working = sum(
            is_working_day(first + dt.timedelta(n))
            for n in range(366)
            if (first + dt.timedelta(n)).year == year
        )
        self.stdout.write(f"{year}: {working} working days.")
