"""The demo data of the accountability app (loaded by ``make run`` through org.demo, last).

It makes no breach of its own: it runs the scan over the demo province on the day the demo
is loaded, so the items are the ones the other modules' demo data really contain (a kind
with no breach in the demo has no item). Then the prefecture's head takes up the review of
one 天山区 item and concludes another, so that the pages show each state.
"""

from __future__ import annotations

from django.utils import timezone

from inspectorate.accountability import services
from inspectorate.accountability.models import AccountabilityItem, ItemState
from inspectorate.org.models import User

PROVINCE_PREFIX = "65"


def load_accountability_demo() -> None:
    today = timezone.localdate()
    services.accountability_scan(on=today, jurisdiction_prefix=PROVINCE_PREFIX)
    reviewer = User.objects.filter(username="pref_head").first()
    if reviewer is None:
        return
    items = list(
        AccountabilityItem.objects.filter(
            jurisdiction_code__startswith="6501", state=ItemState.RAISED
        )
        .exclude(person=reviewer)
        .order_by("kind", "id")[:2]
    )
    if not items:
        return
    concluded = items[0]
    services.item_review_start(actor=reviewer, item_id=concluded.pk, today=today)
    services.item_conclude(
        actor=reviewer,
        item_id=concluded.pk,
        outcome="criticism_education",
        finding="经审查，记录的事实属实，情节轻微，予以批评教育。",
        today=today,
    )
    if len(items) > 1:
        services.item_review_start(actor=reviewer, item_id=items[1].pk, today=today)
