"""The classification table page: what is in force in the user's province, and (for a
province administrator) a form to add a rule version."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from inspectorate.core.errors import ApplicationError
from inspectorate.core.http import AuthedHttpRequest
from inspectorate.org.models import JurisdictionLevel
from inspectorate.org.roles import Role
from inspectorate.planning.classification import (
    CLASS_VALUES,
    classification_rule_add,
    province_of_user,
    table_rows,
)
from inspectorate.planning.models import ClassBasis
from inspectorate.registry.models import Sector


class RuleForm(forms.Form):
    sector = forms.ChoiceField(label=gettext_lazy("Sector"))
    basis = forms.ChoiceField(label=gettext_lazy("Classified by"), choices=ClassBasis.choices)
    class_value = forms.ChoiceField(label=gettext_lazy("Class"))
    min_per_year = forms.CharField(label=gettext_lazy("Minimum inspections a year"), max_length=3)
    max_per_year = forms.CharField(label=gettext_lazy("Maximum inspections a year"), max_length=3)
    days_per_inspection = forms.CharField(
        label=gettext_lazy("On-site days per inspection"), max_length=4
    )
    effective_from = forms.DateField(
        label=gettext_lazy("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sector"].choices = [  # type: ignore[attr-defined]
            (s.code, str(s)) for s in Sector.objects.all()
        ]
        self.fields["class_value"].choices = [  # type: ignore[attr-defined]
            (str(c), f"{ClassBasis(basis).label} · {c.label}")
            for basis, enum in CLASS_VALUES.items()
            for c in enum
        ]


def _can_edit(request: AuthedHttpRequest) -> bool:
    agency = request.user.agency
    return bool(
        agency is not None
        and request.user.has_role(Role.ADMIN)
        and agency.jurisdiction.level == JurisdictionLevel.PROVINCE
    )


@login_required
@require_http_methods(["GET", "POST"])
def classification(request: AuthedHttpRequest) -> HttpResponse:
    province = province_of_user(request.user)
    if province is None or not request.user.is_staff_member:
        raise DjangoPermissionDenied
    can_edit = _can_edit(request)
    form = RuleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                classification_rule_add(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                for field, msgs in exc.extra.get("fields", {}).items():
                    for message in msgs:
                        form.add_error(field if field in form.fields else None, message)
                if not exc.extra.get("fields"):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The rule was added."))
                return redirect("planning:classification")
    day = timezone.localdate()
    context = {"rows": table_rows(province, day), "day": day, "form": form}
    status = 400 if form is not None and form.errors else 200
    return render(request, "planning/classification.html", context, status=status)
