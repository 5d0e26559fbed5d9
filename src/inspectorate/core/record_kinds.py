"""Every kind of event in the enforcement record. Each app's services append these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    # org
    USER_CREATED = "org.user_created", _("User created")
    ROLES_CHANGED = "org.roles_changed", _("Roles changed")
    CERTIFICATE_ISSUED = "org.certificate_issued", _("Enforcement certificate issued")
    CERTIFICATE_RENEWED = "org.certificate_renewed", _("Enforcement certificate renewed")
    CERTIFICATE_SUSPENDED = "org.certificate_suspended", _("Enforcement certificate suspended")
    CERTIFICATE_REINSTATED = "org.certificate_reinstated", _("Enforcement certificate reinstated")
    CERTIFICATE_REVOKED = "org.certificate_revoked", _("Enforcement certificate revoked")
    # registry
    ENTERPRISE_REGISTERED = "registry.enterprise_registered", _("Enterprise registered")
    ENTERPRISE_UPDATED = "registry.enterprise_updated", _("Enterprise updated")
    ENTERPRISE_STATUS_CHANGED = "registry.enterprise_status_changed", _("Enterprise status changed")
    ENTERPRISE_IMPORTED = "registry.enterprise_imported", _("Enterprises imported")
    LICENCE_ADDED = "registry.licence_added", _("Licence added")
    HAZARD_SOURCE_ADDED = "registry.hazard_source_added", _("Major hazard source added")
    # planning
    PLAN_CREATED = "planning.plan_created", _("Inspection plan created")
    PLAN_CAPACITY_SET = "planning.capacity_set", _("Plan capacity set")
    PLAN_COMPOSED = "planning.plan_composed", _("Plan composed")
    DRAW_COMMITTED = "planning.draw_committed", _("Random draw committed")
    DRAW_EXECUTED = "planning.draw_executed", _("Random draw executed")
    PLAN_ASSIGNED = "planning.plan_assigned", _("Teams assigned")
    PLAN_STATE_CHANGED = "planning.plan_state_changed", _("Plan state changed")
    PLAN_ADJUSTED = "planning.plan_adjusted", _("Plan adjusted")
    RISK_SIGNAL_ADDED = "planning.risk_signal_added", _("Risk signal recorded")
    CLASSIFICATION_RULE_ADDED = "planning.classification_rule_added", _("Classification rule added")
    # inspections
    CHECKLIST_VERSION_CREATED = (
        "inspections.checklist_version_created",
        _("Checklist version drafted"),
    )
    CHECKLIST_VERSION_PUBLISHED = (
        "inspections.checklist_version_published",
        _("Checklist version published"),
    )
    INSPECTION_STARTED = "inspections.inspection_started", _("Inspection started")
    INSPECTION_ANSWERED = "inspections.answers_saved", _("Inspection answers saved")
    FINDING_RECORDED = "inspections.finding_recorded", _("Finding recorded")
    FINDING_EVIDENCE_ADDED = "inspections.finding_evidence_added", _("Evidence added to a finding")
    MEASURE_DECIDED = "inspections.measure_decided", _("On-site measure decided")
    INSPECTION_SIGNED = "inspections.record_signed", _("Inspection record signed")
    INSPECTION_CLOSED = "inspections.inspection_closed", _("Inspection closed")
    # rectification
    ORDER_ISSUED = "rectification.order_issued", _("Rectification order issued")
    ORDER_STATE_CHANGED = (
        "rectification.order_state_changed",
        _("Rectification order state changed"),
    )
    ORDER_SUBMISSION = "rectification.submission", _("Enterprise submission received")
    ORDER_EXTENDED = "rectification.order_extended", _("Rectification deadline extended")
    ORDER_REVIEWED = "rectification.order_reviewed", _("Re-inspection concluded")
    PENALTY_PROPOSED = "rectification.penalty_proposed", _("Penalty case proposed")
    CLOSURE_CHECK_OPENED = (
        "rectification.closure_check_opened",
        _("Closure check opened (Art. 113)"),
    )
    # cases
    CASE_OPENED = "cases.case_opened", _("Penalty case proposed for filing")
    CASE_STATE_CHANGED = "cases.case_state_changed", _("Penalty case state changed")
    CASE_VIOLATION_RECORDED = "cases.violation_recorded", _("Violation and discretion recorded")
    CASE_VIOLATION_REMOVED = "cases.violation_removed", _("Violation removed")
    CASE_EVIDENCE_ADDED = "cases.evidence_added", _("Case evidence added")
    CASE_INTERVIEW_RECORDED = "cases.interview_recorded", _("Interview recorded")
    CASE_REVIEWED = "cases.reviewed", _("Case review step concluded")
    CASE_NOTIFIED = "cases.notified", _("Party notified of the intended penalty")
    CASE_STATEMENT_FILED = "cases.statement_filed", _("Party's statement filed")
    CASE_HEARING_SCHEDULED = "cases.hearing_scheduled", _("Hearing scheduled")
    CASE_DECIDED = "cases.decided", _("Penalty decided")
    CASE_SIMPLE_DECIDED = "cases.simple_decided", _("On-the-spot penalty decided")
    CASE_EXTENDED = "cases.extended", _("Decision limit extended")
    CASE_PAYMENT_RECORDED = "cases.payment_recorded", _("Payment recorded")
    CASE_PAYMENT_ARRANGED = "cases.payment_arranged", _("Deferral or instalments approved")
    CASE_PAYMENT_SUSPENDED = "cases.payment_suspended", _("Surcharge suspended")
    CASE_PAYMENT_RESUMED = "cases.payment_resumed", _("Surcharge resumed")
    CASE_REMINDED = "cases.reminded", _("Payment reminder sent")
    CASE_ENFORCEMENT_APPLIED = "cases.enforcement_applied", _("Court enforcement applied for")
    CASE_CONSISTENCY_FLAGGED = "cases.consistency_flagged", _("Decision flagged as an outlier")
    CASE_FLAG_ACKNOWLEDGED = "cases.flag_acknowledged", _("Outlier flag acknowledged")
    CASE_FILE_ASSEMBLED = "cases.case_file_assembled", _("Case file assembled")
    # referrals (涉嫌犯罪案件移送)
    REFERRAL_FLAGGED = "referrals.flagged", _("Case flagged for transfer to the police")
    REFERRAL_FLAG_DISMISSED = "referrals.flag_dismissed", _("Transfer flag dismissed")
    REFERRAL_OPENED = "referrals.opened", _("Transfer report drafted")
    REFERRAL_STATE_CHANGED = "referrals.state_changed", _("Transfer state changed")
    REFERRAL_ATTACHMENT_ADDED = "referrals.attachment_added", _("Transfer attachment added")
    REFERRAL_POLICE_ANSWER = "referrals.police_answer", _("Police answer recorded")
    REFERRAL_ITEMS_HANDED_OVER = "referrals.items_handed_over", _("Items handed over to the police")
    # accidents (生产安全事故)
    ACCIDENT_REPORTED = "accidents.reported", _("Accident reported")
    ACCIDENT_CHAIN_REPORTED = "accidents.chain_reported", _("Accident reported to the next level")
    ACCIDENT_AUTHORITY_INFORMED = (
        "accidents.authority_informed",
        _("Police, labour, union or procuratorate informed of an accident"),
    )
    ACCIDENT_CASUALTIES_UPDATED = "accidents.casualties_updated", _("Accident casualties updated")
    ACCIDENT_STATE_CHANGED = "accidents.state_changed", _("Accident investigation state changed")
    ACCIDENT_INVESTIGATION_EXTENDED = (
        "accidents.investigation_extended",
        _("Accident investigation extended"),
    )
    ACCIDENT_RESPONSIBILITY_FOUND = (
        "accidents.responsibility_found",
        _("Accident responsibility finding recorded"),
    )
    # oversight (督办, 案卷评查)
    SUPERVISION_ISSUED = "oversight.supervision_issued", _("Supervision order issued")
    SUPERVISION_STATE_CHANGED = (
        "oversight.supervision_state_changed",
        _("Supervision order state changed"),
    )
    SCORING_SHEET_PUBLISHED = (
        "oversight.scoring_sheet_published",
        _("Case-file scoring sheet published"),
    )
    CASE_FILE_REVIEWED = "oversight.case_file_reviewed", _("Case file reviewed")
    # accountability (行政执法责任追究)
    RESPONSIBILITY_DEFINED = (
        "accountability.responsibility_defined",
        _("Post responsibility defined"),
    )
    ACCOUNTABILITY_RAISED = "accountability.raised", _("Accountability item raised")
    ACCOUNTABILITY_STATE_CHANGED = (
        "accountability.state_changed",
        _("Accountability item state changed"),
    )
    # training
    LIBRARY_CASE_ADDED = "training.library_case_added", _("Case added to the case library")
    LIBRARY_COMMENTED = "training.library_commented", _("Case library entry commented")
    COURSE_SAVED = "training.course_saved", _("Training course saved")
    SESSION_SAVED = "training.session_saved", _("Training session saved")
    SESSION_CANCELLED = "training.session_cancelled", _("Training session cancelled")
    ATTENDANCE_RECORDED = "training.attendance_recorded", _("Training attendance recorded")
    STUDY_NOTE_ADDED = "training.study_note_added", _("Study note or discussion added")
    TRAINING_PLAN_SAVED = "training.plan_saved", _("Yearly training plan saved")
    # legal (law library and law-update study)
    LAW_SAVED = "legal.law_saved", _("Law saved in the library")
    LAW_VERSION_ADDED = "legal.version_added", _("New version of a law added")
    STUDY_ASSIGNED = "legal.study_assigned", _("Law-update study assigned")
    STUDY_COMPLETED = "legal.study_completed", _("Law-update study completed")
    # exams
    QUESTION_SAVED = "exams.question_saved", _("Question saved")
    QUESTION_RETIRED = "exams.question_retired", _("Question retired")
    EXAM_SAVED = "exams.exam_saved", _("Exam saved")
    EXAM_PUBLISHED = "exams.exam_published", _("Exam published")
    EXAM_CLOSED = "exams.exam_closed", _("Exam closed")
    ATTEMPT_STARTED = "exams.attempt_started", _("Exam attempt started")
    ATTEMPT_SUBMITTED = "exams.attempt_submitted", _("Exam attempt submitted")
    ATTEMPT_MARKED = "exams.attempt_marked", _("Exam attempt marked")
    # assessment
    ASSESSMENT_SCHEME_SAVED = "assessment.scheme_saved", _("Assessment scheme saved")
    ASSESSMENT_COMPUTED = "assessment.computed", _("Annual assessment computed")
    ASSESSMENT_CONFIRMED = "assessment.confirmed", _("Annual assessment confirmed")
    CASE_CHALLENGE_RECORDED = "cases.challenge_recorded", _("Reconsideration or lawsuit recorded")
    CASE_CHALLENGE_DECIDED = (
        "cases.challenge_decided",
        _("Reconsideration or court result recorded"),
    )
    # documents
    DOCUMENT_ISSUED = "core.document_issued", _("Document issued")
    # core
    CALENDAR_YEAR_ENTERED = "core.calendar_year_entered", _("Holiday calendar of a year entered")
    CALENDAR_YEAR_WITHDRAWN = (
        "core.calendar_year_withdrawn",
        _("Holiday calendar of a year withdrawn"),
    )
    EVIDENCE_STORED = "core.evidence_stored", _("Evidence file stored")
    DEADLINE_PAUSED = "core.deadline_paused", _("Deadline paused")
    DEADLINE_RESUMED = "core.deadline_resumed", _("Deadline resumed")
    DEADLINE_EXTENDED = "core.deadline_extended", _("Deadline extended")
