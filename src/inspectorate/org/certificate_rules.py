"""Certificate parameters kept as data, not as constants in logic.

``REMINDER_DAYS``: how long before the end of validity an officer's certificate is listed
as expiring soon. This is an administrative choice of the system (no law fixes it): the
renewal of a 行政执法证 goes through the issuing people's government (新疆维吾尔自治区行政执法
证件管理办法 and the like), which takes weeks, so 60 days leaves time to apply.
"""

from __future__ import annotations

REMINDER_DAYS = 60
