"""Inspections through the services: two certified officers, 不缺项, findings, measures, the record."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from PIL import Image

from inspectorate.core.errors import (
    ApplicationError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inspectorate.core.models import EvidenceFile, IssuedDocument, RecordEvent
from inspectorate.core.record import verify_chain
from inspectorate.inspections import services
from inspectorate.inspections.models import (
    Answer,
    Finding,
    FindingEvidence,
    FindingStatus,
    Inspection,
    InspectionState,
    MeasureKind,
    Origin,
)
from inspectorate.org.models import CertificateStatus
from tests.inspections.conftest import DAY, NOW, InspectionWorld, answer_all, at, line, start

pytestmark = pytest.mark.django_db


def test_start_by_two_certified_officers_with_a_line_per_item(iw: InspectionWorld) -> None:
    inspection = start(iw)
    assert inspection.lead_certificate == iw.officer.valid_certificate(DAY).number
    assert inspection.second_certificate == iw.lead.valid_certificate(DAY).number
    codes = list(inspection.answers.values_list("item__code", flat=True))
    # the general checklist (17) then the hazchem major-hazard criteria (15)
    assert len(codes) == 32
    assert codes[0] == "GEN-01"
    assert codes[16] == "GEN-17"
    assert codes[17] == "HC-01"
    assert set(inspection.answers.values_list("result", flat=True)) == {""}
    assert inspection.place == iw.w.ent_tianshan.address
    event = RecordEvent.objects.get(kind="inspections.inspection_started")
    assert event.payload["officers"] == [
        {"id": iw.officer.pk, "certificate": inspection.lead_certificate},
        {"id": iw.lead.pk, "certificate": inspection.second_certificate},
    ]
    assert event.payload["checklists"] == ["general@1", "major-hazchem-2017@1"]


def test_start_refused_without_a_second_certified_officer(iw: InspectionWorld) -> None:
    iw.lead.certificates.update(status=CertificateStatus.SUSPENDED)
    with pytest.raises(ValidationFailed) as exc:
        start(iw)
    assert "second_officer" in exc.value.extra["fields"]
    with pytest.raises(ValidationFailed) as exc:
        start(iw, second_officer_id=iw.officer.pk)
    assert "second_officer" in exc.value.extra["fields"]
    with pytest.raises(ValidationFailed) as exc:  # another office's officer
        start(iw, second_officer_id=iw.w.shayibake_officer.pk)
    assert "second_officer" in exc.value.extra["fields"]
    assert Inspection.objects.count() == 0
    assert Answer.objects.count() == 0


def test_expired_certificate_stops_the_lead_officer(iw: InspectionWorld) -> None:
    iw.officer.certificates.update(valid_until=dt.date(2026, 9, 27))
    with pytest.raises(ValidationFailed) as exc:
        start(iw)
    assert list(exc.value.extra["fields"]) == ["lead_officer"]
    assert Inspection.objects.count() == 0


def test_start_checks_scope_origin_and_role(iw: InspectionWorld) -> None:
    with pytest.raises(NotFound):
        start(iw, enterprise_id=iw.w.ent_karamay.pk)
    with pytest.raises(ValidationFailed) as exc:
        start(iw, origin_note="")
    assert "origin_note" in exc.value.extra["fields"]
    with pytest.raises(ValidationFailed) as exc:
        start(iw, origin=Origin.PLANNED, planned_visit_id=999999)
    assert "planned_visit" in exc.value.extra["fields"]
    with pytest.raises(PermissionDenied):
        start(iw, actor=iw.w.tianshan_head)
    assert Inspection.objects.count() == 0


def test_not_applicable_needs_a_reason_and_nothing_is_half_written(iw: InspectionWorld) -> None:
    inspection = start(iw)
    first, second = inspection.answers.all()[:2]
    with pytest.raises(ValidationFailed) as exc:
        services.answers_save(
            actor=iw.officer,
            inspection_id=inspection.pk,
            changes=[
                services.AnswerChange(first.pk, "compliant", "", 0),
                services.AnswerChange(second.pk, "na", "  ", 0),
            ],
            now=NOW,
        )
    assert list(exc.value.extra["fields"]) == [f"answers.{second.pk}"]
    assert set(inspection.answers.values_list("result", flat=True)) == {""}


def test_a_change_made_on_an_old_revision_is_a_conflict_not_an_overwrite(
    iw: InspectionWorld,
) -> None:
    inspection = start(iw)
    a = line(inspection, "GEN-05")
    saved = services.answers_save(
        actor=iw.officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, "compliant", "培训档案齐全", 0)],
        now=NOW,
    )
    assert saved.applied == [a.pk]
    assert not saved.conflicts
    # the second officer, offline since revision 0, says otherwise
    late = services.answers_save(
        actor=iw.lead,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, "finding", "三名新员工无培训记录", 0)],
        now=NOW,
    )
    assert late.applied == []
    assert late.conflicts == [
        {
            "answer_id": a.pk,
            "item": "GEN-05",
            "server": {
                "result": "compliant",
                "note": "培训档案齐全",
                "revision": 1,
                "by": iw.officer.get_full_name(),
            },
            "yours": {"result": "finding", "note": "三名新员工无培训记录"},
        }
    ]
    a.refresh_from_db()
    assert (a.result, a.note, a.revision) == ("compliant", "培训档案齐全", 1)
    # the same change again (a replayed request) changes nothing and is no conflict
    again = services.answers_save(
        actor=iw.officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, "compliant", "培训档案齐全", 0)],
        now=NOW,
    )
    assert again.unchanged == [a.pk]
    assert not again.conflicts
    # decided on the current revision, it applies
    services.answers_save(
        actor=iw.lead,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, "finding", "三名新员工无培训记录", 1)],
        now=NOW,
    )
    a.refresh_from_db()
    assert (a.result, a.revision) == ("finding", 2)


def test_a_finding_on_an_official_criterion_is_a_major_hazard(iw: InspectionWorld) -> None:
    inspection = start(iw)
    criterion_line = line(inspection, "HC-12")
    finding = services.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={
            "answer_id": criterion_line.pk,
            "description": "罐区可燃气体检测报警器停用",
            "grade": "general",
        },
        now=NOW,
    )
    assert finding.grade == "major"
    assert finding.criterion == "121号 化工第（十二）项"
    assert finding.violated_article == "安监总管三〔2017〕121号"
    assert finding.found_on == DAY
    criterion_line.refresh_from_db()
    assert criterion_line.result == "finding"
    # a major hazard on an ordinary item must name its criterion
    with pytest.raises(ValidationFailed) as exc:
        services.finding_record(
            actor=iw.officer,
            inspection_id=inspection.pk,
            data={
                "answer_id": line(inspection, "GEN-07").pk,
                "description": "无警示标志",
                "grade": "major",
            },
            now=NOW,
        )
    assert "criterion" in exc.value.extra["fields"]
    assert Finding.objects.count() == 1


def test_only_the_two_officers_record_the_inspection(iw: InspectionWorld) -> None:
    inspection = start(iw)
    with pytest.raises(PermissionDenied):
        services.answers_save(
            actor=iw.w.tianshan_head, inspection_id=inspection.pk, changes=[], now=NOW
        )
    with pytest.raises(NotFound):
        services.answers_save(
            actor=iw.w.karamay_officer, inspection_id=inspection.pk, changes=[], now=NOW
        )


def _jpeg(exif: bool) -> bytes:
    image = Image.new("RGB", (32, 24), (200, 50, 50))
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0132] = "2026:09:28 10:41:07"  # DateTime
        gps = {1: "N", 2: (43.0, 47.0, 30.0), 3: "E", 4: (87.0, 36.0, 0.0)}
        data[0x8825] = gps
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def test_evidence_keeps_time_and_place_from_the_photo_or_the_device(iw: InspectionWorld) -> None:
    inspection = start(iw)
    finding = services.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "HC-12").pk, "description": "报警器停用"},
        now=NOW,
    )
    photo = _jpeg(exif=True)
    evidence = services.finding_evidence_add(
        actor=iw.officer, finding_id=finding.pk, content=photo, name="IMG_0001.jpg"
    )
    assert evidence.metadata_source == "exif"
    assert evidence.taken_at == at(DAY, 10).replace(minute=41, second=7)
    assert evidence.latitude == Decimal("43.791667")
    assert evidence.longitude == Decimal("87.600000")
    # the same photo sent again (a retried upload) is stored once
    again = services.finding_evidence_add(
        actor=iw.officer, finding_id=finding.pk, content=photo, name="IMG_0001.jpg"
    )
    assert again.pk == evidence.pk
    assert FindingEvidence.objects.count() == 1
    assert EvidenceFile.objects.count() == 1
    plain = services.finding_evidence_add(
        actor=iw.officer,
        finding_id=finding.pk,
        content=_jpeg(exif=False),
        name="plain.jpg",
        taken_at=NOW,
        latitude="43.8",
        longitude="87.6",
    )
    assert (plain.metadata_source, plain.latitude, plain.taken_at) == (
        "device",
        Decimal("43.800000"),
        NOW,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.finding_evidence_add(
            actor=iw.officer, finding_id=finding.pk, content=b"x", name="a", latitude="91"
        )
    assert "latitude" in exc.value.extra["fields"]


def test_closing_is_refused_while_an_item_is_unanswered(iw: InspectionWorld) -> None:
    inspection = start(iw)
    lines = list(inspection.answers.all())
    services.answers_save(
        actor=iw.officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(a.pk, "compliant", "", 0) for a in lines[:-1]],
        now=NOW,
    )
    services.record_sign(
        actor=iw.officer,
        inspection_id=inspection.pk,
        handling="未发现问题",
        unit_head_name="王伟",
        signature="signed",
        now=NOW,
    )
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        services.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=NOW)
    assert exc.value.code == "inspection_incomplete"
    assert exc.value.extra["fields"] == {"answers": ["Not answered (不缺项): HC-15"]}
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.IN_PROGRESS
    assert not IssuedDocument.objects.exists()
    # not applicable, with its reason, is an answer
    services.answers_save(
        actor=iw.officer,
        inspection_id=inspection.pk,
        changes=[services.AnswerChange(lines[-1].pk, "na", "本单位无安全阀、爆破片", 0)],
        now=NOW,
    )
    closed = services.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=NOW)
    assert closed.state == InspectionState.CLOSED
    doc = IssuedDocument.objects.get(kind="inspection_record")
    assert doc.number.endswith("〔2026〕1号")


def test_open_findings_need_a_measure_and_the_record_a_signature(iw: InspectionWorld) -> None:
    inspection = start(iw)
    finding = services.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "GEN-13").pk, "description": "安全出口上锁"},
        now=NOW,
    )
    answer_all(iw, inspection)
    with pytest.raises(ApplicationError) as exc:
        services.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=NOW)
    assert set(exc.value.extra["fields"]) == {"measures", "signature"}
    services.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.CORRECT_NOW,
        finding_ids=[finding.pk],
        description="当场打开安全出口门锁并清除堆放物",
        now=NOW,
    )
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on) == (FindingStatus.CORRECTED_ON_SITE, DAY)
    with pytest.raises(ValidationFailed) as exc:
        services.record_sign(
            actor=iw.officer,
            inspection_id=inspection.pk,
            handling="当场改正",
            unit_head_name="王伟",
            signature="refused",
            now=NOW,
        )
    assert "refusal_note" in exc.value.extra["fields"]
    services.record_sign(
        actor=iw.officer,
        inspection_id=inspection.pk,
        handling="安全出口当场改正",
        unit_head_name="王伟",
        signature="refused",
        refusal_note="负责人称需请示总公司，拒绝签字；已报告局领导",
        now=NOW,
    )
    closed = services.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=NOW)
    assert closed.state == InspectionState.CLOSED
    assert closed.unit_head_refusal_note.startswith("负责人称")
    with pytest.raises(IllegalTransition):
        services.answers_save(actor=iw.officer, inspection_id=inspection.pk, changes=[], now=NOW)
    kinds = sorted(IssuedDocument.objects.values_list("kind", flat=True))
    assert kinds == ["inspection_record", "measure_decision"]
    assert verify_chain("650102") == []


def test_seal_and_seize_list_what_they_cover(iw: InspectionWorld) -> None:
    inspection = start(iw)
    finding = services.finding_record(
        actor=iw.officer,
        inspection_id=inspection.pk,
        data={"answer_id": line(inspection, "HC-11").pk, "description": "使用淘汰的釜式反应工艺"},
        now=NOW,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.measure_decide(
            actor=iw.officer,
            inspection_id=inspection.pk,
            kind=MeasureKind.SEAL,
            finding_ids=[finding.pk],
            description="查封淘汰设备",
            items=[],
            now=NOW,
        )
    assert "items" in exc.value.extra["fields"]
    measure = services.measure_decide(
        actor=iw.officer,
        inspection_id=inspection.pk,
        kind=MeasureKind.SEAL,
        finding_ids=[finding.pk],
        description="查封淘汰的釜式反应装置",
        items=[{"name": "釜式反应器", "quantity": "2台", "location": "一车间"}],
        now=NOW,
    )
    assert measure.document is not None
    assert measure.document.kind == "seal_seize"
    assert measure.legal_basis.endswith("《行政强制法》第二十四条")
    assert measure.items == [{"name": "釜式反应器", "quantity": "2台", "location": "一车间"}]


def test_a_changed_document_file_is_detected(iw: InspectionWorld) -> None:
    from inspectorate.core.record import verify_evidence

    inspection = start(iw)
    answer_all(iw, inspection)
    services.record_sign(
        actor=iw.officer,
        inspection_id=inspection.pk,
        handling="未发现问题",
        unit_head_name="王伟",
        signature="signed",
        now=NOW,
    )
    services.inspection_close(actor=iw.officer, inspection_id=inspection.pk, now=NOW)
    document = IssuedDocument.objects.get()
    assert verify_evidence() == []
    with document.pdf.open("wb") as fh:
        fh.write(b"%PDF-1.7 altered")
    problems = verify_evidence()
    assert [(p.code, p.event_id) for p in problems] == [("document_modified", document.pk)]
