"""One step of a transfer from plain input (the API's JSON or a page's form): the fields
each step takes, how they are read, and the service each step calls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.core.errors import ValidationFailed
from inspectorate.referrals import services
from inspectorate.referrals.models import Referral

#: (name, kind, label) of each step's fields; kinds: text, textarea, date, items.
Field = tuple[str, str, Any]
_POLICE_NOTICE: list[Field] = [
    ("document_number", "text", gettext_lazy("Number of the police's notice")),
    ("decided_on", "date", gettext_lazy("Date of the police's decision")),
    ("notice_received_on", "date", gettext_lazy("Notice received on")),
    ("reasons", "textarea", gettext_lazy("Reasons the police gave (for a refusal)")),
]
STEP_FIELDS: dict[str, list[Field]] = {
    "submit": [],
    "approve": [],
    "refuse": [("reasons", "textarea", gettext_lazy("Reasons for not approving"))],
    "transfer": [],
    "receipt": [
        ("received_on", "date", gettext_lazy("Receipt signed on")),
        ("signed_by", "text", gettext_lazy("Signed by")),
        ("forwarded_to", "text", gettext_lazy("Forwarded to (if not their jurisdiction)")),
    ],
    "police_accept": _POLICE_NOTICE[:3],
    "police_refuse": _POLICE_NOTICE,
    "hand_over": [
        ("handed_over_on", "date", gettext_lazy("Handed over on")),
        ("receiver", "text", gettext_lazy("Received for the police by")),
        ("items", "items", gettext_lazy("Items and materials (one a line: name, quantity, note)")),
    ],
    "request_reconsideration": [
        ("grounds", "textarea", gettext_lazy("Why the police should file the case"))
    ],
    "propose_supervision": [("procuratorate", "text", gettext_lazy("Procuratorate"))],
    "accept_refusal": [("reasons", "textarea", gettext_lazy("How the office will proceed"))],
    "reconsideration_accept": _POLICE_NOTICE[:3],
    "reconsideration_refuse": _POLICE_NOTICE,
    "supervision_filed": [
        ("outcome", "textarea", gettext_lazy("Outcome of the supervision")),
        ("concluded_on", "date", gettext_lazy("Concluded on")),
        ("document_number", "text", gettext_lazy("Number of the police's filing notice")),
    ],
    "supervision_rejected": [
        ("outcome", "textarea", gettext_lazy("Outcome of the supervision")),
        ("concluded_on", "date", gettext_lazy("Concluded on")),
    ],
    "police_return": [
        ("returned_on", "date", gettext_lazy("Returned on")),
        ("document_number", "text", gettext_lazy("Number of the police's letter")),
        ("reasons", "textarea", gettext_lazy("Reasons the police gave")),
    ],
}


def parse_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed.of_fields({field: [_("Enter a date.")]}) from None


def parse_items(value: Any) -> Any:
    """A list of {name, quantity, note}, or lines of "name, quantity, note"."""
    if not isinstance(value, str):
        return value
    rows = []
    for line in value.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,，|；;]", line, maxsplit=2)]
        parts += [""] * (3 - len(parts))
        rows.append({"name": parts[0], "quantity": parts[1], "note": parts[2]})
    return rows


def _version(data: Mapping[str, Any]) -> int | None:
    raw = data.get("version")
    text = "" if raw is None else str(raw)
    return int(text) if text.isdigit() else None


def _s(data: Mapping[str, Any], name: str) -> str:
    return str(data.get(name, "") or "")


def perform(
    *,
    actor: Any,
    referral_id: Any,
    action: str,
    data: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Referral:
    """Run ``action`` on the transfer with ``data``; errors as the services raise them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    common = {"actor": actor, "referral_id": referral_id, "expected_version": _version(data)}

    def police(accepted: bool, call: Callable[..., Referral]) -> Referral:
        return call(
            **common,
            accepted=accepted,
            document_number=_s(data, "document_number"),
            decided_on=parse_date(data.get("decided_on"), "decided_on"),
            notice_received_on=parse_date(data.get("notice_received_on"), "notice_received_on"),
            reasons=_s(data, "reasons"),
            today=today,
        )

    steps: dict[str, Callable[[], Referral]] = {
        "submit": lambda: services.referral_submit(**common, now=now),
        "approve": lambda: services.referral_approve(**common, now=now),
        "refuse": lambda: services.referral_refuse(**common, reasons=_s(data, "reasons"), now=now),
        "transfer": lambda: services.referral_transfer(**common, now=now),
        "receipt": lambda: services.referral_receipt(
            **common,
            received_on=parse_date(data.get("received_on"), "received_on"),
            signed_by=_s(data, "signed_by"),
            forwarded_to=_s(data, "forwarded_to"),
            today=today,
        ),
        "police_accept": lambda: police(True, services.referral_police_decide),
        "police_refuse": lambda: police(False, services.referral_police_decide),
        "reconsideration_accept": lambda: police(True, services.referral_reconsideration_decide),
        "reconsideration_refuse": lambda: police(False, services.referral_reconsideration_decide),
        "hand_over": lambda: services.referral_hand_over(
            **common,
            handed_over_on=parse_date(data.get("handed_over_on"), "handed_over_on"),
            receiver=_s(data, "receiver"),
            items=parse_items(data.get("items")),
            today=today,
        ),
        "request_reconsideration": lambda: services.referral_reconsideration_request(
            **common, grounds=_s(data, "grounds"), today=today
        ),
        "propose_supervision": lambda: services.referral_supervision_request(
            **common, procuratorate=_s(data, "procuratorate"), today=today
        ),
        "accept_refusal": lambda: services.referral_accept_refusal(
            **common, reasons=_s(data, "reasons"), today=today
        ),
        "supervision_filed": lambda: services.referral_supervision_outcome(
            **common,
            filed=True,
            outcome=_s(data, "outcome"),
            concluded_on=parse_date(data.get("concluded_on"), "concluded_on"),
            document_number=_s(data, "document_number"),
            today=today,
        ),
        "supervision_rejected": lambda: services.referral_supervision_outcome(
            **common,
            filed=False,
            outcome=_s(data, "outcome"),
            concluded_on=parse_date(data.get("concluded_on"), "concluded_on"),
            today=today,
        ),
        "police_return": lambda: services.referral_police_return(
            **common,
            returned_on=parse_date(data.get("returned_on"), "returned_on"),
            document_number=_s(data, "document_number"),
            reasons=_s(data, "reasons"),
            today=today,
        ),
    }
    step = steps.get(action)
    if step is None:
        raise ValidationFailed.of_fields({"action": [_("Choose a step of the transfer.")]})
    return step()
