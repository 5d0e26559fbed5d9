"""Every read of the accountability app, scoped: an office sees its own items and an upper
level its lower offices' (a jurisdiction-code prefix). The matrix is the user's province's:
the national default rows with the province's own rows in their place."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from inspectorate.accountability.models import (
    AccountabilityItem,
    Duty,
    ItemKind,
    ItemState,
    OutcomeKind,
    Post,
)
from inspectorate.core.errors import NotFound
from inspectorate.org.models import Agency, User


def province_code_of(code: str) -> str:
    """The province's 6-digit code of a jurisdiction code (650102 → 650000)."""
    return code[:2].ljust(6, "0") if code else ""


def item_queryset_for_user(*, user: Any) -> QuerySet[AccountabilityItem]:
    scope = user.scope
    if scope.prefix is None:  # enterprise users and users without an office see none
        return AccountabilityItem.objects.none()
    return AccountabilityItem.objects.filter(scope.q("jurisdiction_code"))


def item_list_for_user(
    *,
    user: Any,
    kind: str = "",
    state: str = "",
    agency_id: int | None = None,
    person_id: int | None = None,
) -> QuerySet[AccountabilityItem]:
    qs = item_queryset_for_user(user=user).select_related("person", "agency", "outcome")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("-detected_on", "-id")


def item_get_for_user(*, user: Any, pk: Any) -> AccountabilityItem:
    try:
        return (
            item_queryset_for_user(user=user)
            .select_related("person", "agency", "outcome", "reviewer")
            .get(pk=pk)
        )
    except (AccountabilityItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def offices_for_user(*, user: Any) -> QuerySet[Agency]:
    if user.scope.prefix is None:
        return Agency.objects.none()
    return Agency.objects.filter(user.scope.q("jurisdiction_id")).order_by(
        "jurisdiction_id", "code"
    )


def persons_with_items(*, user: Any) -> QuerySet[User]:
    ids = item_queryset_for_user(user=user).values("person_id")
    return User.objects.filter(pk__in=ids).order_by("agency__jurisdiction_id", "username")


def outcomes() -> QuerySet[OutcomeKind]:
    return OutcomeKind.objects.filter(active=True).order_by("sort", "code")


# --- the matrix ---------------------------------------------------------------------------


def duties_in_force(province_code: str) -> list[Duty]:
    """The duties in force in a province: its own rows where it has them, else the
    national default rows (a province's inactive row takes the default away)."""
    rows = Duty.objects.filter(jurisdiction_code__in=["", province_code]).select_related("post")
    cells: dict[tuple[str, int], Duty] = {}
    for duty in sorted(rows, key=lambda d: d.jurisdiction_code != ""):
        cells[(duty.act, duty.post_id)] = duty  # the province's row comes last and wins
    return sorted(
        (d for d in cells.values() if d.active), key=lambda d: (d.sort, d.act, d.post.sort)
    )


@dataclass
class MatrixRow:
    act: str
    act_name: str
    cells: list[Duty | None] = field(default_factory=list)


@dataclass
class Matrix:
    province_code: str
    posts: list[Post]
    rows: list[MatrixRow]


def matrix_for(province_code: str) -> Matrix:
    posts = list(Post.objects.order_by("sort", "code"))
    duties = duties_in_force(province_code)
    by_act: dict[str, dict[int, Duty]] = defaultdict(dict)
    names: dict[str, str] = {}
    for duty in duties:
        by_act[duty.act][duty.post_id] = duty
        names.setdefault(duty.act, duty.act_name)
    rows = [
        MatrixRow(act=act, act_name=names[act], cells=[cells.get(p.pk) for p in posts])
        for act, cells in by_act.items()
    ]
    return Matrix(province_code=province_code, posts=posts, rows=rows)


def matrix_for_user(*, user: Any) -> Matrix:
    agency = getattr(user, "agency", None)
    code = province_code_of(agency.jurisdiction_id) if agency is not None else ""
    return matrix_for(code)


# --- the summary --------------------------------------------------------------------------


@dataclass
class SummaryRow:
    key: int
    label: str
    office: str
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)


@dataclass
class Summary:
    offices: list[SummaryRow]
    persons: list[SummaryRow]
    outcomes: list[OutcomeKind]
    kinds: list[tuple[str, str]]


def summary_for_user(*, user: Any) -> Summary:
    """Counts of the items in the user's scope, per office and per person: by kind, by
    state and by outcome (one grouped query)."""
    qs = item_queryset_for_user(user=user)
    grouped = (
        qs.values("agency_id", "person_id", "kind", "state", "outcome_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    outcome_list = list(OutcomeKind.objects.order_by("sort", "code"))
    outcome_code = {o.pk: o.code for o in outcome_list}
    offices: dict[int, Counter[str]] = defaultdict(Counter)
    persons: dict[int, Counter[str]] = defaultdict(Counter)
    person_office: dict[int, int] = {}
    for row in grouped:
        keys = [f"kind:{row['kind']}", f"state:{row['state']}", "total"]
        if row["outcome_id"]:
            keys.append(f"outcome:{outcome_code[row['outcome_id']]}")
        for key in keys:
            offices[row["agency_id"]][key] += row["n"]
            persons[row["person_id"]][key] += row["n"]
        person_office[row["person_id"]] = row["agency_id"]
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=offices)}
    users = {u.pk: u for u in User.objects.filter(pk__in=persons)}

    def make(key: int, label: str, office: str, counts: Counter[str]) -> SummaryRow:
        return SummaryRow(
            key=key,
            label=label,
            office=office,
            total=counts["total"],
            by_kind={k: counts[f"kind:{k}"] for k in ItemKind.values},
            by_state={s: counts[f"state:{s}"] for s in ItemState.values},
            by_outcome={o.code: counts[f"outcome:{o.code}"] for o in outcome_list},
        )

    office_rows = [
        make(pk, agencies[pk].name, agencies[pk].jurisdiction_id, counts)
        for pk, counts in offices.items()
    ]
    office_rows.sort(key=lambda r: (r.office, r.label))
    person_rows = [
        make(
            pk,
            users[pk].get_full_name() or users[pk].username,
            agencies[person_office[pk]].name,
            counts,
        )
        for pk, counts in persons.items()
    ]
    person_rows.sort(key=lambda r: (-r.total, r.label))
    return Summary(
        offices=office_rows,
        persons=person_rows,
        outcomes=outcome_list,
        kinds=[(k.value, str(k.label)) for k in ItemKind],
    )
