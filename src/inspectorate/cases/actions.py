"""One entry point for every step of a case, for the API and the pages alike.

``perform(actor, case_id, action, data, today)`` parses the step's fields from ``data`` (a
dict of strings, as a form or JSON gives them) into field errors or typed values, then
calls the service. What the step may do, and who may do it, stays in the services and the
workflow table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.cases import services
from inspectorate.cases.models import Case
from inspectorate.core.errors import ValidationFailed


class Data:
    """Typed reads of a submitted mapping, collecting field errors."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, list[str]] = {}

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.errors[name] = [_("This field is required.")]
        return text

    def date(self, name: str, default: dt.date | None = None) -> dt.date:
        value = self.raw.get(name)
        if value in (None, "") and default is not None:
            return default
        try:
            return dt.date.fromisoformat(str(value))
        except (TypeError, ValueError):
            self.errors[name] = [_("Enter a valid date (YYYY-MM-DD).")]
            return default or dt.date.min

    def flag(self, name: str) -> bool:
        return self.raw.get(name) in (True, "true", "on", "1", 1, "True")

    def version(self) -> int | None:
        value = self.raw.get("version")
        if value in (None, ""):
            return None
        try:
            return int(str(value))
        except ValueError:
            self.errors["version"] = [_("Enter a whole number.")]
            return None

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed.of_fields(self.errors)


def _amounts(raw: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    nested = raw.get(prefix + "s")
    if isinstance(nested, Mapping):
        return {str(k): v for k, v in nested.items()}
    return {k[len(prefix) + 1 :]: v for k, v in raw.items() if k.startswith(prefix + "_")}


Step = Callable[[Any, Any, Data, dt.date], Case]


def _plain(name: str) -> Step:
    def run(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
        version = d.version()
        d.check()
        service = {
            "approve_filing": services.filing_approve,
            "request_hearing": services.hearing_request,
            "to_decision": services.proceed_to_decision,
            "close": services.case_close,
            "paid": services.execution_complete,
            "archive": services.case_archive,
        }[name]
        result: Case = service(actor=actor, case_id=case_id, expected_version=version, today=today)
        return result

    return run


def _with_reason(name: str) -> Step:
    def run(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
        version = d.version()
        reason = d.text("reason", required=True)
        d.check()
        if name == "reject_filing":
            return services.filing_reject(
                actor=actor, case_id=case_id, reason=reason, expected_version=version, today=today
            )
        if name == "no_penalty":
            return services.no_penalty(
                actor=actor, case_id=case_id, reason=reason, expected_version=version, today=today
            )
        if name == "enforcement_concluded":
            return services.enforcement_conclude(
                actor=actor, case_id=case_id, result=reason, expected_version=version, today=today
            )
        return services.case_end(
            actor=actor,
            case_id=case_id,
            action=name,
            reason=reason,
            expected_version=version,
            today=today,
        )

    return run


def _report(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
    version = d.version()
    report = d.text("report", required=True)
    d.check()
    return services.report_submit(
        actor=actor, case_id=case_id, report=report, expected_version=version, today=today
    )


def _review(name: str) -> Step:
    def run(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
        version = d.version()
        opinion = d.text("opinion", required=True)
        complex_case = d.flag("complex_case") if "complex_case" in d.raw else None
        d.check()
        return services.review_conclude(
            actor=actor,
            case_id=case_id,
            action=name,
            opinion=opinion,
            complex_case=complex_case,
            expected_version=version,
            today=today,
        )

    return run


def _legal(name: str) -> Step:
    def run(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
        version = d.version()
        opinion = d.text("opinion", required=True)
        d.check()
        return services.legal_review_conclude(
            actor=actor,
            case_id=case_id,
            action=name,
            opinion=opinion,
            expected_version=version,
            today=today,
        )

    return run


def _discussion(name: str) -> Step:
    def run(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
        version = d.version()
        participants = d.text("participants", required=True)
        record = d.text("record", required=True)
        d.check()
        return services.discussion_conclude(
            actor=actor,
            case_id=case_id,
            action=name,
            participants=participants,
            record=record,
            expected_version=version,
            today=today,
        )

    return run


def _hold(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
    version = d.version()
    record = d.text("record", required=True)
    present = d.flag("party_present") if "party_present" in d.raw else True
    d.check()
    return services.hearing_hold(
        actor=actor,
        case_id=case_id,
        record=record,
        party_present=present,
        expected_version=version,
        today=today,
    )


def _decide(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
    version = d.version()
    d.check()
    return services.decide(
        actor=actor,
        case_id=case_id,
        amounts=_amounts(d.raw, "amount"),
        justifications={k: str(v) for k, v in _amounts(d.raw, "justification").items()},
        expected_version=version,
        today=today,
    )


def _serve(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
    version = d.version()
    served_on = d.date("served_on", today)
    method = d.text("method", required=True)
    recipient = d.text("recipient", required=True)
    d.check()
    return services.serve(
        actor=actor,
        case_id=case_id,
        served_on=served_on,
        method=method,
        recipient=recipient,
        expected_version=version,
        today=today,
    )


def _enforce(actor: Any, case_id: Any, d: Data, today: dt.date) -> Case:
    version = d.version()
    court = d.text("court", required=True)
    d.check()
    return services.enforcement_apply(
        actor=actor, case_id=case_id, court=court, expected_version=version, today=today
    ).case


STEPS: dict[str, Step] = {
    "approve_filing": _plain("approve_filing"),
    "reject_filing": _with_reason("reject_filing"),
    "submit_report": _report,
    "return_investigation": _review("return_investigation"),
    "to_legal_review": _review("to_legal_review"),
    "to_discussion": _review("to_discussion"),
    "notify": _review("notify"),
    "legal_return": _legal("legal_return"),
    "legal_to_discussion": _legal("legal_to_discussion"),
    "legal_notify": _legal("legal_notify"),
    "discussion_notify": _discussion("discussion_notify"),
    "discussion_return": _discussion("discussion_return"),
    "request_hearing": _plain("request_hearing"),
    "to_decision": _plain("to_decision"),
    "hold_hearing": _hold,
    "decide": _decide,
    "no_penalty": _with_reason("no_penalty"),
    "serve": _serve,
    "apply_enforcement": _enforce,
    "enforcement_concluded": _with_reason("enforcement_concluded"),
    "paid": _plain("paid"),
    "close": _plain("close"),
    "archive": _plain("archive"),
    "terminate": _with_reason("terminate"),
    "transfer": _with_reason("transfer"),
}

#: The fields each step's form shows (besides ``version``), for the pages.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "reject_filing": ("reason",),
    "submit_report": ("report",),
    "return_investigation": ("opinion",),
    "to_legal_review": ("opinion", "complex_case"),
    "to_discussion": ("opinion", "complex_case"),
    "notify": ("opinion", "complex_case"),
    "legal_return": ("opinion",),
    "legal_to_discussion": ("opinion",),
    "legal_notify": ("opinion",),
    "discussion_notify": ("participants", "record"),
    "discussion_return": ("participants", "record"),
    "hold_hearing": ("record", "party_present"),
    "decide": ("amounts",),
    "no_penalty": ("reason",),
    "serve": ("served_on", "method", "recipient"),
    "apply_enforcement": ("court",),
    "enforcement_concluded": ("reason",),
    "terminate": ("reason",),
    "transfer": ("reason",),
}

FIELD_LABELS = {
    "reason": gettext_lazy("Reason"),
    "report": gettext_lazy("Investigation report"),
    "opinion": gettext_lazy("Opinion"),
    "complex_case": gettext_lazy("Complex or major case (collective discussion)"),
    "participants": gettext_lazy("Participants"),
    "record": gettext_lazy("Written record"),
    "party_present": gettext_lazy("The party was present"),
    "served_on": gettext_lazy("Served on"),
    "method": gettext_lazy("Method of service"),
    "recipient": gettext_lazy("Received by"),
    "court": gettext_lazy("Court"),
}


def perform(
    *, actor: Any, case_id: Any, action: str, data: Mapping[str, Any], today: dt.date
) -> Case:
    step = STEPS.get(action)
    if step is None:
        raise ValidationFailed.of_fields({"action": [_("Unknown action.")]})
    return step(actor, case_id, Data(data), today)
