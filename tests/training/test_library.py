"""The case library: de-identification, tags and articles, scoping, refused writes."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.cases.models import Case
from inspectorate.core.errors import NotFound, PermissionDenied, ValidationFailed
from inspectorate.core.models import RecordEvent
from inspectorate.registry.models import Enterprise
from inspectorate.training import selectors, services
from inspectorate.training.models import LibraryCase, LibraryComment
from tests.cases.conftest import CaseWorld, investigated
from tests.training.conftest import closed_case

DAY = dt.date(2026, 11, 30)


def _add(cw: CaseWorld, case: Case, **kw: object) -> LibraryCase:
    params: dict[str, object] = {
        "actor": cw.officer,
        "case_id": case.pk,
        "title": "隐患排查台账缺失案",
        "teaching_notes": "注意第九十七条第（五）项的适用。",
        "tags": ["台账", "隐患排查"],
        "today": DAY,
    }
    params.update(kw)
    return services.library_case_add(**params)  # type: ignore[arg-type]


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return exc.value.extra["fields"]  # type: ignore[no-any-return]


def test_entry_is_deidentified_and_tagged(cw: CaseWorld) -> None:
    case = closed_case(cw)
    entry = _add(cw, case)
    assert entry.party_label == "某危险化学品生产企业"
    assert entry.facts == (
        "经查，某危险化学品生产企业（统一社会信用代码＊＊＊）2025年未建立事故隐患排查治理台账，"
        "法定代表人张某对此知情。某危险化学品生产企业已整改。"
    )
    assert entry.replacements == {"party_name": 2, "credit_code": 1, "person_name": 1}
    assert "乌鲁木齐天山化工有限公司" not in entry.facts + entry.summary + entry.title
    assert cw.w.ent_tianshan.credit_code not in entry.facts
    assert [p.code for p in entry.provisions.all()] == ["97-5-unit-base"]
    provision_violation = entry.provisions.get().violation
    assert entry.tags == [provision_violation, "台账", "隐患排查"]
    assert entry.fine == 50000
    assert entry.jurisdiction_code == "650102"
    assert entry.share_prefix == "650102"
    event = RecordEvent.objects.get(kind="training.library_case_added")
    assert event.jurisdiction_code == "650102"
    assert event.payload["replacements"] == {"party_name": 2, "credit_code": 1, "person_name": 1}


def test_person_party_becomes_surname_mou(cw: CaseWorld) -> None:
    case = closed_case(cw)
    Case.objects.filter(pk=case.pk).update(
        party_kind="person",
        party_name="王小明",
        party_id_number="650102199001011234",
        party_address="天山区解放北路1号",
        facts="王小明（身份证号650102199001011234，住天山区解放北路1号）擅自拆除安全设施。",
    )
    case.refresh_from_db()
    entry = _add(cw, case)
    assert entry.party_label == "王某"
    assert entry.facts == "王某（身份证号＊＊＊，住＊＊＊）擅自拆除安全设施。"
    assert entry.replacements == {"party_name": 1, "id_number": 1, "address": 1}


def test_unit_of_the_sector_other_is_plain(cw: CaseWorld) -> None:
    case = closed_case(cw)
    Enterprise.objects.filter(pk=cw.w.ent_tianshan.pk).update(sector_id="other")
    case.refresh_from_db()
    entry = _add(cw, case)
    assert (entry.party_label, entry.sector_name) == ("某企业", "")
    assert entry.facts.startswith("经查，某企业（统一社会信用代码＊＊＊）")


def test_only_a_closed_or_archived_case(cw: CaseWorld) -> None:
    case = investigated(cw)
    with pytest.raises(ValidationFailed) as exc:
        _add(cw, case)
    assert _fields(exc) == {"case": ["Only a closed or archived case can enter the case library."]}
    assert LibraryCase.objects.count() == 0
    assert not RecordEvent.objects.filter(kind="training.library_case_added").exists()


def test_bad_input_is_field_errors_and_changes_nothing(cw: CaseWorld) -> None:
    case = closed_case(cw)
    with pytest.raises(ValidationFailed) as exc:
        _add(cw, case, title=" ", teaching_notes="")
    assert _fields(exc) == {
        "title": ["This field is required."],
        "teaching_notes": ["Write the teaching notes."],
    }
    with pytest.raises(ValidationFailed) as exc:
        _add(cw, case, tags="台账")
    assert _fields(exc) == {"tags": ["Give the tags as a list of words."]}
    _add(cw, case)
    with pytest.raises(ValidationFailed) as exc:
        _add(cw, case)
    assert _fields(exc) == {"case": ["This case is already in the case library."]}
    assert LibraryCase.objects.count() == 1


def test_out_of_scope_case_and_roles(cw: CaseWorld) -> None:
    case = closed_case(cw)
    with pytest.raises(ValidationFailed) as exc:
        _add(cw, case, actor=cw.w.karamay_officer)
    assert _fields(exc) == {"case": ["No such case in your jurisdiction."]}
    with pytest.raises(PermissionDenied):
        _add(cw, case, actor=cw.w.tianshan_admin)
    with pytest.raises(PermissionDenied):
        _add(cw, case, actor=cw.w.enterprise_user)
    assert LibraryCase.objects.count() == 0
    # an officer of the upper office may add the case of an office below
    entry = _add(cw, case, actor=cw.w.prefecture_officer)
    assert entry.share_prefix == "6501"
    assert entry.agency == cw.w.prefecture


def test_scope_subtree_above_and_province(cw: CaseWorld) -> None:
    w = cw.w
    entry = _add(cw, closed_case(cw))

    def sees(user: object) -> bool:
        return selectors.library_queryset_for_user(user=user).filter(pk=entry.pk).exists()

    assert sees(w.tianshan_officer)
    assert sees(w.prefecture_officer)
    assert sees(w.province_officer)
    assert not sees(w.shayibake_officer)
    assert not sees(w.karamay_officer)
    assert not sees(w.enterprise_user)
    assert not sees(w.inactive_officer)
    with pytest.raises(NotFound):
        selectors.library_get_for_user(user=w.karamay_officer, pk=entry.pk)
    LibraryCase.objects.filter(pk=entry.pk).update(province_wide=True, share_prefix="65")
    assert sees(w.shayibake_officer)
    assert sees(w.karamay_officer)
    assert not sees(w.enterprise_user)


def test_prefecture_entry_is_seen_by_its_counties(cw: CaseWorld) -> None:
    w = cw.w
    entry = _add(cw, closed_case(cw), actor=w.prefecture_officer)
    assert (
        selectors.library_queryset_for_user(user=w.shayibake_officer).filter(pk=entry.pk).exists()
    )
    assert not selectors.library_queryset_for_user(user=w.karamay_officer).exists()


def test_province_wide_on_add(cw: CaseWorld) -> None:
    entry = _add(cw, closed_case(cw), province_wide=True)
    assert entry.share_prefix == "65"
    assert selectors.library_queryset_for_user(user=cw.w.karamay_officer).get() == entry


def test_filters(cw: CaseWorld) -> None:
    entry = _add(cw, closed_case(cw))
    user = cw.w.tianshan_officer
    assert list(selectors.library_list_for_user(user=user, article="97-5-unit-base")) == [entry]
    assert list(selectors.library_list_for_user(user=user, article="99-1-unit")) == []
    assert list(selectors.library_list_for_user(user=user, tag="台账")) == [entry]
    assert list(selectors.library_list_for_user(user=user, tag="无此标签")) == []
    assert selectors.library_tags_for_user(user=user) == sorted(entry.tags)


def test_comments(cw: CaseWorld) -> None:
    entry = _add(cw, closed_case(cw))
    comment = services.library_comment_add(
        actor=cw.w.prefecture_officer, entry_id=entry.pk, text="取证要点值得学习。", today=DAY
    )
    assert (comment.author_name, comment.agency_name, comment.created_on) == (
        cw.w.prefecture_officer.get_full_name(),
        "乌鲁木齐市应急管理局",
        DAY,
    )
    assert RecordEvent.objects.filter(kind="training.library_commented").count() == 1
    with pytest.raises(NotFound):
        services.library_comment_add(actor=cw.w.karamay_officer, entry_id=entry.pk, text="x")
    with pytest.raises(ValidationFailed) as exc:
        services.library_comment_add(actor=cw.officer, entry_id=entry.pk, text="  ")
    assert _fields(exc) == {"text": ["Write the comment."]}
    assert LibraryComment.objects.count() == 1
    assert RecordEvent.objects.filter(kind="training.library_commented").count() == 1
