"""manage.py import_workbook: the upload's service from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts_app.models import AuditEntry, Version
from accounts_app.services.organisations import SEED_REGIONS, region_ensure
from accounts_app.models import Department
from tests.conftest import FIXTURES, seed_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def putuo(catalogs):
    region = region_ensure(info=SEED_REGIONS["上海市普陀区"])
    return Department.objects.create(region=region, name="中共上海市普陀区委社会工作部", code="PT-SGB")


def test_it_stores_a_draft_and_prints_what_was_read(putuo, capsys):
    call_command("import_workbook", str(seed_workbook("shanghai_2024")), department="PT-SGB", year=2024)
    out = capsys.readouterr().out
    version = Version.objects.get(disclosure__department=putuo)
    assert version.status == "draft" and version.number == 1
    assert "工作表「表七」：已读取：表七「财政拨款“三公”经费支出决算表」，1 行，0 个数据" in out
    assert "工作表「表一」：已读取：表一「收入支出决算总表」，62 行，9 个数据，合计 307.82" in out
    assert "已保存为中共上海市普陀区委社会工作部 2024年度部门决算第 1 版（草稿）：错误 0 处，提示 2 条。" in out
    assert AuditEntry.objects.filter(version=version, action="upload").exists()  # as the upload does


def test_a_workbook_with_errors_is_still_stored_and_exits_zero(putuo, capsys):
    call_command("import_workbook", str(seed_workbook("000")), department="中共上海市普陀区委社会工作部", year=2024)
    out = capsys.readouterr().out
    assert Version.objects.filter(disclosure__department=putuo).count() == 1
    assert "错误 [公开01表 A3] 公开01表「收入支出决算总表」：部门/单位名称不符：本次上传的是「中共上海市普陀区委社会工作部」，表中为「新乡市凤泉区医疗保障局」。" in out


def test_a_file_that_cannot_be_opened_stores_nothing_and_fails(putuo, capsys):
    bad = FIXTURES / "bad" / "18_empty_file.xlsx"
    with pytest.raises(CommandError, match="未保存"):
        call_command("import_workbook", str(bad), department="PT-SGB", year=2024)
    assert "上传的文件是空的。" in capsys.readouterr().out
    assert not Version.objects.exists()


def test_an_unknown_department_is_refused(putuo):
    with pytest.raises(CommandError, match="没有名称或编码为「不存在的局」的部门。"):
        call_command("import_workbook", str(seed_workbook("000")), department="不存在的局", year=2024)
