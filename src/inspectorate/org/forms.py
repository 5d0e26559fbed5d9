from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form; django-axes counts failures and locks the username."""


class CertificateStepForm(forms.Form):
    """One form for renew / suspend / reinstate / revoke; the service checks what each needs."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(
        label=_("Effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(
        label=_("New validity from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=_("New validity until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    number = forms.CharField(
        label=_("New certificate number (if it changes)"), required=False, max_length=32
    )
