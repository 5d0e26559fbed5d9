"""Thin DRF views for penalty cases: the offices, the upper levels and the party."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.cases import actions, selectors, services
from inspectorate.cases.models import CaseSource, PartyKind
from inspectorate.cases.workflows import CASE
from inspectorate.core.api import DeadlineOutput, paginated_response, validated
from inspectorate.core.errors import PermissionDenied
from inspectorate.core.idempotency import idempotent
from inspectorate.inspections.api import DocumentOutput
from inspectorate.org.roles import Role


class CaseListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    procedure = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    source = serializers.CharField()  # type: ignore[assignment]
    party_kind = serializers.CharField()
    party_name = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    summary = serializers.CharField()
    jurisdiction_code = serializers.CharField()
    applied_on = serializers.DateField()
    filed_on = serializers.DateField()
    fine = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField()


class ViolationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    act = serializers.IntegerField()
    provision = serializers.CharField(source="provision.code")
    citation = serializers.CharField(source="provision.citation")
    description = serializers.CharField()
    facts = serializers.JSONField()
    tier = serializers.CharField()
    range_min = serializers.IntegerField()
    range_max = serializers.IntegerField()
    recommended = serializers.IntegerField()
    reasons = serializers.JSONField()
    proposed = serializers.IntegerField()
    justification = serializers.CharField()
    notified = serializers.IntegerField(allow_null=True)
    decided = serializers.IntegerField(allow_null=True)
    decision_justification = serializers.CharField()
    absorbed = serializers.BooleanField()


def _party_view(request: Request) -> bool:
    return bool(request.user.has_role(Role.ENTERPRISE))  # type: ignore[union-attr]


def case_body(request: Request, case: Any) -> dict[str, Any]:
    today = timezone.localdate()
    party = _party_view(request)
    documents = selectors.documents_of(case)
    if party:
        documents = [d for d in documents if d.kind in selectors.PARTY_DOCUMENTS]
    pay = services.payment_state(case, today)
    body: dict[str, Any] = {
        **CaseListOutput(case).data,
        "facts": case.facts,
        "act_date": case.act_date,
        "notified_amount": case.notified_amount,
        "hearing_right": case.hearing_right,
        "decided_on": case.decided_on,
        "served_on": case.served_on,
        "payment_due": case.payment_due,
        "payment": {
            k: str(v) for k, v in pay.items() if k in ("fine", "surcharge", "paid", "owed")
        },
        "actions": [t.action for t in CASE.actions_for(case, request.user)],  # type: ignore[arg-type]
        "violations": ViolationOutput(
            case.violations.select_related("provision").order_by("act", "id"), many=True
        ).data,
        "deadlines": DeadlineOutput(selectors.case_deadlines(case), many=True).data,
        "documents": DocumentOutput(documents, many=True).data,
    }
    if not party:
        body.update(
            {
                "legal_review_required": case.legal_review_required,
                "discussion_required": case.discussion_required,
                "report": case.report,
                "investigators": [case.investigator_1_id, case.investigator_2_id],
            }
        )
    return body


class CaseInput(serializers.Serializer):
    enterprise = serializers.IntegerField()
    source = serializers.ChoiceField(choices=CaseSource.values)  # type: ignore[assignment]
    source_reference = serializers.CharField(required=False, allow_blank=True, default="")
    proposal = serializers.IntegerField(required=False, allow_null=True, default=None)
    summary = serializers.CharField()
    facts = serializers.CharField()
    act_date = serializers.DateField()
    act_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    discovered_on = serializers.DateField()
    endangered_life = serializers.BooleanField(required=False, default=False)
    complex_case = serializers.BooleanField(required=False, default=False)
    party_kind = serializers.ChoiceField(choices=PartyKind.values, default=PartyKind.UNIT)
    party_name = serializers.CharField(required=False, allow_blank=True, default="")
    party_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    party_position = serializers.CharField(required=False, allow_blank=True, default="")
    party_address = serializers.CharField(required=False, allow_blank=True, default="")
    second_investigator = serializers.IntegerField()


class CaseListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("state", str), OpenApiParameter("mine", bool)],
        responses=CaseListOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = selectors.case_list_for_user(
            user=request.user,
            state=str(request.query_params.get("state", ""))[:16],
            mine=request.query_params.get("mine") in ("1", "true"),
        )
        return paginated_response(request, self, qs, CaseListOutput)

    @extend_schema(request=CaseInput, responses={201: CaseListOutput})
    def post(self, request: Request) -> Response:
        def handle() -> Response:
            data = validated(CaseInput(data=request.data))
            case = services.case_open(
                actor=request.user,
                enterprise_id=data["enterprise"],
                source=data["source"],
                source_reference=data["source_reference"],
                proposal_id=data["proposal"],
                summary=data["summary"],
                facts=data["facts"],
                act_date=data["act_date"],
                act_end_date=data["act_end_date"],
                discovered_on=data["discovered_on"],
                endangered_life=data["endangered_life"],
                complex_case=data["complex_case"],
                party_kind=data["party_kind"],
                party_name=data["party_name"],
                party_id_number=data["party_id_number"],
                party_position=data["party_position"],
                party_address=data["party_address"],
                second_investigator_id=data["second_investigator"],
            )
            return Response(CaseListOutput(case).data, status=status.HTTP_201_CREATED)

        return idempotent(request, "case-open", handle)


class CaseDetailApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for_user(user=request.user, pk=pk)
        return Response(case_body(request, case))


class ActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(actions.STEPS))


class CaseActionApi(APIView):
    """Every step of the procedure: ``{"action": ..., "version": ..., <the step's fields>}``.
    A step the state does not allow is answered with 409 and changes nothing."""

    @extend_schema(request=ActionInput, responses={200: CaseListOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(ActionInput(data=request.data))
            case = actions.perform(
                actor=request.user,
                case_id=pk,
                action=data["action"],
                data=request.data,
                today=timezone.localdate(),
            )
            return Response(CaseListOutput(case).data)

        return idempotent(request, f"case-action:{pk}", handle)


class ViolationInput(serializers.Serializer):
    provision = serializers.CharField(max_length=48)
    description = serializers.CharField()
    facts = serializers.DictField(required=False, default=dict)
    act = serializers.IntegerField(min_value=1, default=1)
    proposed = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    justification = serializers.CharField(required=False, allow_blank=True, default="")


class CaseViolationsApi(APIView):
    @extend_schema(request=ViolationInput, responses={201: ViolationOutput})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(ViolationInput(data=request.data))
            violation = services.violation_add(
                actor=request.user,
                case_id=pk,
                provision_code=data["provision"],
                description=data["description"],
                facts=data["facts"],
                act=data["act"],
                proposed=data["proposed"],
                justification=data["justification"],
            )
            return Response(ViolationOutput(violation).data, status=status.HTTP_201_CREATED)

        return idempotent(request, f"case-violation:{pk}", handle)


class StatementInput(serializers.Serializer):
    text = serializers.CharField()
    waives = serializers.BooleanField(required=False, default=False)


class CaseStatementsApi(APIView):
    """The party's statement and defence (陈述申辩), from the portal or the office."""

    @extend_schema(request=StatementInput, responses={201: None})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(StatementInput(data=request.data))
            statement = services.statement_file(
                actor=request.user, case_id=pk, text=data["text"], waives=data["waives"]
            )
            return Response(
                {"id": statement.pk, "submitted_on": statement.submitted_on},
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, f"case-statement:{pk}", handle)


class PaymentInput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    receipt_number = serializers.CharField(max_length=64)
    channel = serializers.CharField(max_length=32)


class CasePaymentsApi(APIView):
    """A payment the bank received (罚缴分离): the office records the receipt."""

    @extend_schema(request=PaymentInput, responses={201: None})
    def post(self, request: Request, pk: int) -> Response:
        def handle() -> Response:
            data = validated(PaymentInput(data=request.data))
            payment = services.payment_record(
                actor=request.user,
                case_id=pk,
                paid_on=data["paid_on"],
                amount=data["amount"],
                receipt_number=data["receipt_number"],
                channel=data["channel"],
            )
            case = selectors.case_get_for_user(user=request.user, pk=pk)
            state = services.payment_state(case, timezone.localdate())
            return Response(
                {
                    "id": payment.pk,
                    "state": case.state,
                    "owed": str(state["owed"]),
                    "surcharge": str(state["surcharge"]),
                },
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, f"case-payment:{pk}", handle)


class DiscretionInput(serializers.Serializer):
    provision = serializers.CharField(max_length=48)
    facts = serializers.DictField(required=False, default=dict)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    jurisdiction = serializers.CharField(max_length=6, required=False, default="")


class DiscretionApi(APIView):
    """The discretion calculator: tier, range, recommended amount and the reasons."""

    @extend_schema(request=DiscretionInput, responses={200: None})
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.is_staff_member:
            raise PermissionDenied(_denied())
        data = validated(DiscretionInput(data=request.data))
        code = data["jurisdiction"] or user.agency.jurisdiction_id
        rec, provision, bench = services.discretion_compute(
            jurisdiction_code=code,
            provision_code=data["provision"],
            facts=data["facts"],
            on=data["on"] or timezone.localdate(),
        )
        return Response(
            {
                "provision": provision.code,
                "citation": provision.citation,
                "benchmark": bench.name,
                "outcome": rec.outcome,
                "tier": str(rec.tier),
                "range_min": rec.range_min,
                "range_max": rec.range_max,
                "amount": rec.amount,
                "statutory_min": rec.statutory_min,
                "statutory_max": rec.statutory_max,
                "other_penalties": rec.other_penalties,
                "reasons": [str(r) for r in rec.reasons],
            }
        )


def _denied() -> str:
    from django.utils.translation import gettext as _

    return _("Your role may not perform this action.")
