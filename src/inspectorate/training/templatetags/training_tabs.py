"""The tabs shared by the pages of §9 (officers, training, law study, case library, exams,
annual assessment): ``{% load training_tabs %}{% training_tabs "courses" %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

TABS = (
    ("courses", _("Training"), "training:course-list"),
    ("study", _("Law updates"), "legal:study-list"),
    ("library", _("Case library"), "training:library-list"),
    ("exams", _("Exams"), "exams:exam-list"),
    ("assessment", _("Annual assessment"), "assessment:report"),
    ("officers", _("Certificates"), "officers:officer-list"),
)


@register.inclusion_tag("training/_tabs.html")
def training_tabs(active: str) -> dict[str, Any]:
    tabs = []
    for key, label, name in TABS:
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app whose pages are not mounted in this deployment
            continue
        tabs.append({"key": key, "label": label, "url": url, "active": key == active})
    return {"tabs": tabs}
