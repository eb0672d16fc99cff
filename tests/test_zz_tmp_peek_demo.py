import pytest
from django.core.management import call_command
from accounts_app.models import Disclosure
pytestmark = pytest.mark.django_db
def test_peek(client, settings):
    settings.DEBUG = True
    call_command("load_demo")
    d = Disclosure.objects.get(department__name="中共上海市普陀区委社会工作部")
    v = d.current_version
    print(v.status, [ (f.severity, f.code, f.message[:80]) for f in v.findings.all()])
    html = client.get(f"/disclosures/{d.pk}/").content.decode()
    import re
    for s in ("未填写", "纳入本决算编制范围的单位共 2 个", "指导社会工作人才队伍建设等", "175.52", "主要原因是单位于 2024 年成立"):
        print(s, s in html)
