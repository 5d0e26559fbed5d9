"""Every kind of event in the enforcement record. Each app's services append these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    # org
    USER_CREATED = "org.user_created", _("User created")
    ROLES_CHANGED = "org.roles_changed", _("Roles changed")
    CERTIFICATE_ISSUED = "org.certificate_issued", _("Enforcement certificate issued")
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
