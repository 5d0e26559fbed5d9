"""The certificate office's work in the demo province (called last by ``load_demo``).

Through the services, with fixed dates in November 2026:

* the region's administrator renews the lapsed certificate of one officer of the region
  (克拉玛依's, expired in 2024; the officer passed the qualification exam again) on
  2026-11-10, and renews in advance the certificate of one of the region's own officers
  that expires on 2026-12-30 (the new period starts on 2026-12-31; the expiring list keeps
  the others);
* 乌鲁木齐's administrator suspends the certificate of one 新市区 officer on 2026-11-18
  while a complaint about the officer's conduct is investigated (the officer takes part in
  no enforcement act in the demo; 天山区's officers are left alone, since the planning and
  training demos count on them);
* a 米东区 certificate suspended on 2026-11-03 is reinstated on 2026-11-16.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.org import services
from inspectorate.org.models import Certificate, CertificateStatus, User

D = dt.date


def _admin(username: str) -> User:
    return User.objects.get(username=username)


def _certificate(username: str) -> Certificate:
    return Certificate.objects.get(officer__username=username)


def load_officers_demo() -> None:
    today = D(2026, 11, 30)
    expired = (
        Certificate.objects.filter(
            officer__agency__jurisdiction__code__startswith="65",
            valid_until__lt=today,
            status=CertificateStatus.VALID,
        )
        .order_by("officer__username")
        .first()
    )
    if expired is not None and expired.officer.agency is not None:
        services.certificate_renew(
            actor=_admin("prov_admin"),
            certificate_id=expired.pk,
            valid_from=D(2026, 11, 10),
            valid_until=D(2029, 11, 9),
            number=f"{expired.officer.agency.jurisdiction_id}20269{expired.pk:03d}",
            reason="参加2026年度执法资格考试合格，换发执法证",
        )
    expiring = (
        Certificate.objects.filter(
            officer__agency__jurisdiction_id="650000",
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=60),
            status=CertificateStatus.VALID,
        )
        .order_by("valid_until", "officer__username")
        .first()
    )
    if expiring is not None:
        services.certificate_renew(
            actor=_admin("prov_admin"),
            certificate_id=expiring.pk,
            valid_from=expiring.valid_until + dt.timedelta(days=1),
            valid_until=expiring.valid_until + dt.timedelta(days=3 * 365),
            reason="有效期届满前申请换证，经审核同意",
        )
    services.certificate_suspend(
        actor=_admin("pref_admin"),
        certificate_id=_certificate("officer_650104_2").pk,
        on=D(2026, 11, 18),
        reason="群众投诉执法行为不规范，调查核实期间暂停执法资格",
    )
    reinstated = _certificate("officer_650109_1")
    services.certificate_suspend(
        actor=_admin("pref_admin"),
        certificate_id=reinstated.pk,
        on=D(2026, 11, 3),
        reason="未按期参加执法资格年度审验",
    )
    services.certificate_reinstate(
        actor=_admin("pref_admin"),
        certificate_id=reinstated.pk,
        on=D(2026, 11, 16),
        reason="已补参加年度审验，审验合格",
    )
