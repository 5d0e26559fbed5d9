"""``manage.py load_demo``: the demo province (idempotent), then the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from inspectorate.org.demo import DEMO_PASSWORD, demo_loaded, demo_logins, load_demo

LEVELS = {
    "prov": "省级 province",
    "pref": "地市级 prefecture",
    "county": "县级 county",
    "enterprise": "企业 enterprise",
}


class Command(BaseCommand):
    help = "Load the demo province (新疆维吾尔自治区) unless it is there, and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--enterprises", type=int, default=3000)

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("zh-hans")
        if demo_loaded():
            self.stdout.write("Demo province already loaded.")
        else:
            result = load_demo(seed=options["seed"], enterprises=options["enterprises"])
            self.stdout.write(
                f"Demo province loaded: {result.agencies} agencies, {result.officers} officers, "
                f"{result.enterprises} enterprises."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for level, role, username, agency in demo_logins():
            self.stdout.write(f"  {LEVELS[level]:<22} {role:<10} {username:<18} {agency}")
