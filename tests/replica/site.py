"""The content of the replica test's site, made on the cluster's primary by a child process
(the test process's own settings point at its test database, not at the cluster):

    DATABASE_URL=<primary> python tests/replica/site.py

One demo disclosure (武汉市青山区医疗保障局, the demo's smallest seed workbook) taken the way
`make run`'s demo data takes it — upload by its 填报人, the text parts from the seed's
narrative file, submitted, approved by the 审核人 — and stopped there: the test publishes it
over HTTP. Prints the ids the test needs as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTITY = "武汉市青山区医疗保障局"


def prepare() -> dict:
    from django.contrib.auth import get_user_model

    from accounts_app.models import Membership
    from accounts_app.services import narrative, workflow
    from accounts_app.services.catalogs import catalogs_load
    from accounts_app.services.completion import statements_complete
    from accounts_app.services.demo import DEMO_DISCLOSURES, DEMO_PASSWORD, SEEDS, WORKBOOKS
    from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure

    catalogs_load()
    demo = next(demo for demo in DEMO_DISCLOSURES if demo.entity == ENTITY)
    region = region_ensure(info=SEED_REGIONS[demo.region])
    disclosure = disclosure_ensure(region=region, entity=demo.entity, year=demo.year, kind=demo.kind)
    User = get_user_model()
    accountant = User.objects.create_user(demo.username, password=DEMO_PASSWORD, is_staff=True)
    reviewer = User.objects.create_user(demo.reviewer, password=DEMO_PASSWORD, is_staff=True)
    Membership.objects.create(user=accountant, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    Membership.objects.create(user=reviewer, role=Membership.Role.REVIEWER, region=region)

    path = WORKBOOKS / demo.workbook
    outcome = workflow.version_upload(disclosure=disclosure, data=path.read_bytes(), filename=path.name,
                                      actor=workflow.Actor(accountant))
    assert outcome.accepted, [str(problem) for problem in outcome.errors]
    version = outcome.version
    seed_text = SEEDS / f"narrative_{path.stem.removeprefix('seed_')}.json"
    if seed_text.exists():
        narrative.narrative_apply(version=version, data=json.loads(seed_text.read_text(encoding="utf-8")))
    statements_complete(version=version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(accountant), text="金额换算为万元时四舍五入产生的尾差。")
    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    workflow.version_approve(version=version, actor=workflow.Actor(reviewer))
    return {"disclosure": disclosure.pk, "version": version.pk, "reviewer": reviewer.username, "password": DEMO_PASSWORD,
            "entity": demo.entity}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    print(json.dumps(prepare()))
