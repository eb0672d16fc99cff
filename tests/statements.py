"""What a department states before it submits, for tests whose subject is something else:
every required fact it has not entered stated as 「无」, a 概况, a reason for each difference
the draft asks about, and the 附件 cells its source printed as NaN left blank, through the
same write services the forms use (services.completion)."""

from __future__ import annotations

from accounts_app.models import Version
from accounts_app.services.completion import statements_complete

PROFILE = {
    "duties": {"duties": ["负责本部门职责范围内的各项工作。"]},
    "organisation": {"organisation": "本部门内设办公室等机构。"},
    "staff_in_service": {"staff_in_service": 10},
}
REASON = "主要原因是工作任务调整。"


def state_the_rest(version: Version) -> None:
    statements_complete(version=version, reason=REASON, profile=PROFILE, nil_facts=True)
