"""The modules of CAPABILITIES.md, in the navigation. Unbuilt modules say so."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    slug: str
    label: str | Promise
    url_name: str | None  # None: not built yet
    capability: str  # the section of CAPABILITIES.md
    apps: tuple[str, ...] = ()  # the URL namespaces of its pages besides ``slug``

    @property
    def namespaces(self) -> tuple[str, ...]:
        return (self.slug, *self.apps)


MODULES = (
    Module("registry", _("Enterprise registry"), "registry:enterprise-list", "§1"),
    Module("planning", _("Planned inspection"), "planning:plan-list", "§2"),
    Module("inspections", _("Inspections"), "inspections:workbench", "§3"),
    Module("rectification", _("Rectification"), "rectification:order-list", "§4"),
    Module("cases", _("Penalty cases"), "cases:workbench", "§5"),
    Module("referrals", _("Crime transfers"), "referrals:list", "§6"),
    Module("accidents", _("Accidents"), "accidents:accident-list", "§7"),
    Module("oversight", _("Oversight"), "oversight:dashboard", "§8"),
    Module(
        "training",
        _("Officers and training"),
        "training:course-list",
        "§9",
        apps=("officers", "legal", "exams", "assessment"),
    ),
    Module("accountability", _("Accountability"), "accountability:item-list", "§10"),
    Module("disclosure", _("Public disclosure"), None, "§11"),
    Module("analytics", _("Statistics"), None, "§12"),
)
MODULES_BY_SLUG = {m.slug: m for m in MODULES}
