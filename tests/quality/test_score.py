"""公开质量 as a pure function of a version's snapshot, findings and dates: seed 000's workbook
imported with its narrative (概况, facts, written parts), then one input changed at a time;
each dimension gains or loses exactly the points its items say, and names why."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from accounts_app.checking.quality import Score, grade_of, quality_score, split
from accounts_app.narrative.consistency import CODE as CONTRADICTION
from accounts_app.narrative.requirements import FACT_MISSING, PROFILE_MISSING, REASON_MISSING
from accounts_app.selectors import table_set, version_snapshot
from accounts_app.services import workflow
from accounts_app.services.deadlines import LIMIT_DAYS
from accounts_app.services.narrative import narrative_apply
from accounts_app.snapshot import UNIT, Profile
from accounts_app.specs import TOTAL_ROW
from accounts_app.specs import quality as spec
from tests.conftest import seed_workbook

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
APPROVED = date(2024, 6, 1)
DEADLINE = APPROVED + timedelta(days=20)
TODAY = date(2024, 9, 1)


@pytest.fixture
def seed(seed_disclosure, django_user_model):
    """Seed 000 as a draft with its narrative: (snapshot, the region's table set)."""
    disclosure = seed_disclosure("000")
    user = django_user_model.objects.create_superuser("scorer", "scorer@example.gov.cn", "x")
    path = seed_workbook("000")
    outcome = workflow.version_upload(disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(user))
    version = outcome.version
    narrative_apply(version=version, data=json.loads((SEEDS / "narrative_000.json").read_text(encoding="utf-8")))
    return version_snapshot(version), table_set(version.table_set)


def score(seed, *, snapshot=None, findings=(), approval=APPROVED, published=DEADLINE, today=TODAY, units=None, scheme=spec.DEFAULT_SCHEME):
    base, tables = seed
    return quality_score(
        snapshot or base, findings, approval_date=approval, published=published, today=today,
        table_set=tables, units=units, scheme=scheme,
    )


def dimension(result: Score, key: str):
    return next(d for d in result.dimensions if d.key == key)


def lost_to(result: Score, rule: str) -> Decimal:
    """The points the items naming `rule` did not give."""
    return sum((i.possible - i.gained for d in result.dimensions for i in d.items if i.rule == rule), Decimal(0))


def test_every_point_is_named_and_the_parts_add_up(seed):
    result = score(seed)
    assert sum(d.weight for d in result.dimensions) == 100
    assert [d.label for d in result.dimensions] == ["完整性", "细化程度", "及时性", "一致性", "公开方式"]
    for d in result.dimensions:
        assert sum(i.possible for i in d.items) == d.weight, d.key
        assert all(Decimal(0) <= i.gained <= i.possible and i.rule and i.label for i in d.items)
    assert result.total == sum(d.points for d in result.dimensions)
    assert result.grade == grade_of(result.total)
    assert Score.from_data(json.loads(json.dumps(result.as_data()))) == result


def test_a_missing_table_loses_its_share_of_completeness(seed):
    base = score(seed)
    snapshot = copy.deepcopy(seed[0])
    family = seed[1].families[1]
    del snapshot.dataset.tables[snapshot.dataset.family(family).spec.key]
    result = score(seed, snapshot=snapshot, findings=[("table.missing", "error")])
    share = split(Decimal(16), [Decimal(1)] * len(seed[1].families))[1]
    assert dimension(base, "completeness").points - dimension(result, "completeness").points == share
    assert lost_to(result, "table.missing") == share
    assert dimension(result, "consistency").points == dimension(base, "consistency").points  # not counted twice


def test_the_profile_and_the_reasons_count_in_completeness(seed):
    base = score(seed)
    snapshot = copy.deepcopy(seed[0])
    snapshot.profile = Profile()
    result = score(seed, snapshot=snapshot, findings=[(PROFILE_MISSING, "error")] * 3)
    assert lost_to(result, PROFILE_MISSING) == Decimal(6)
    newly_lost = lost_to(result, PROFILE_MISSING) - lost_to(base, PROFILE_MISSING)
    assert dimension(base, "completeness").points - dimension(result, "completeness").points == newly_lost
    assert dimension(result, "consistency").points == dimension(base, "consistency").points

    snapshot = copy.deepcopy(seed[0])
    snapshot.written = {}
    unwritten = score(seed, snapshot=snapshot)
    assert lost_to(unwritten, REASON_MISSING) == Decimal(8)  # every required 主要原因 now missing
    assert lost_to(base, REASON_MISSING) < Decimal(8)
    assert all("未写" in i.label for d in unwritten.dimensions for i in d.items if i.rule == REASON_MISSING)


def test_missing_facts_and_a_missing_evaluation_lose_completeness(seed):
    base = score(seed)
    result = score(seed, findings=[(FACT_MISSING, "error")] * 3)
    assert dimension(base, "completeness").points - dimension(result, "completeness").points == Decimal(3)
    assert lost_to(result, FACT_MISSING) == Decimal(3)
    snapshot = copy.deepcopy(seed[0])
    snapshot.evaluations = []
    result = score(seed, snapshot=snapshot)
    assert lost_to(result, "performance.evaluations") == Decimal(4)


def test_detail_down_to_the_item_and_the_economic_class(seed):
    base = score(seed)
    assert dimension(base, "detail").points == Decimal(15)
    snapshot = copy.deepcopy(seed[0])
    gpb = snapshot.dataset.get(spec.DETAILS[0].table)
    items = [key for key in gpb.lines if len(key) == 7]
    for key in items:
        del gpb.lines[key]
    result = score(seed, snapshot=snapshot)
    lost = lost_to(result, "detail.gpb_items")
    assert Decimal(0) < lost < Decimal(7)  # the 款 no longer detailed; the 类 still are
    assert "未细化到项" in next(i.label for i in dimension(result, "detail").items if i.rule == "detail.gpb_items" and not i.gained)

    basic = snapshot.dataset.get(spec.DETAILS[1].table)
    for key in [key for key in basic.lines if len(key) == 5]:
        del basic.lines[key]
    assert lost_to(score(seed, snapshot=snapshot), "detail.basic_economic") == Decimal(5)

    snapshot = copy.deepcopy(seed[0])
    table, (column, _) = spec.SPLIT_TABLES[0]
    del snapshot.dataset.get(table).lines[TOTAL_ROW].values[column]
    assert lost_to(score(seed, snapshot=snapshot), "detail.basic_project") == Decimal("1.5")


def test_a_late_publication_loses_timeliness_by_the_day(seed):
    assert spec.DEADLINE_DAYS == LIMIT_DAYS
    on_time = score(seed, published=DEADLINE)
    assert dimension(on_time, "timeliness").points == Decimal(20)
    assert dimension(on_time, "timeliness").items[0].rule == "timeliness.on_time"
    for late in (1, 4, 19):
        result = score(seed, published=DEADLINE + timedelta(days=late))
        assert dimension(result, "timeliness").points == Decimal(20 - late)
        assert lost_to(result, "timeliness.late") == Decimal(late)
        assert f"逾期 {late} 天" in next(i.label for i in dimension(result, "timeliness").items if i.rule == "timeliness.late")
        assert on_time.total - result.total == Decimal(late)
    assert dimension(score(seed, published=DEADLINE + timedelta(days=30)), "timeliness").points == 0


def test_an_unpublished_version_counts_to_today_and_no_approval_date_earns_nothing(seed):
    pending = score(seed, published=None, today=DEADLINE - timedelta(days=3))
    assert dimension(pending, "timeliness").points == Decimal(20)
    assert dimension(pending, "timeliness").items[0].rule == "timeliness.pending"
    overdue = score(seed, published=None, today=DEADLINE + timedelta(days=5))
    assert lost_to(overdue, "timeliness.overdue") == Decimal(5)
    unknown = score(seed, approval=None)
    assert dimension(unknown, "timeliness").points == 0
    assert dimension(unknown, "timeliness").items[0].rule == "timeliness.no_approval_date"


def test_errors_contradictions_and_warnings_lose_consistency(seed):
    base = dimension(score(seed), "consistency")
    assert base.points == Decimal(15)
    result = score(
        seed,
        findings=[("check.mismatch", "error")] * 2 + [(CONTRADICTION, "error"), ("rule.three_public_total", "warning")]
        + [("check.rounding", "warning")] * 5,
    )
    consistency = dimension(result, "consistency")
    assert lost_to(result, "check.mismatch") == Decimal(4)
    assert lost_to(result, CONTRADICTION) == Decimal(2)
    assert lost_to(result, "rule.three_public_total") == Decimal("0.5")
    assert lost_to(result, "check.rounding") == 0  # 尾差 within the tolerance costs nothing
    assert consistency.points == Decimal("8.5")
    many = dimension(score(seed, findings=[("check.mismatch", "error")] * 10), "consistency")
    assert many.points == Decimal(7)  # the errors' 8 points are gone, no more


def test_unit_coverage_counts_in_openness(seed):
    assert dimension(score(seed, units=None), "openness").points == Decimal(10)
    third = score(seed, units=(1, 3))
    assert dimension(third, "openness").points == Decimal("2.33") + Decimal(3)
    assert lost_to(third, "openness.units_unpublished") == Decimal("4.67")
    snapshot = copy.deepcopy(seed[0])
    snapshot.kind = UNIT
    assert dimension(score(seed, snapshot=snapshot, units=(0, 3)), "openness").points == Decimal(10)


def test_a_region_weights_the_dimensions_otherwise():
    overrides = {"310107": {"weights": {"timeliness": 30, "completeness": 30}, "late_days_to_zero": 10}, "jiangxi": {"weights": {}}}
    scheme = spec.scheme_for(region_code="310107", table_set="national_2023", overrides=overrides)
    assert scheme.weight("timeliness") == 30 and scheme.late_days_to_zero == 10 and scheme.name == "310107"
    assert spec.scheme_for(region_code="360113", table_set="jiangxi", overrides=overrides).name == "jiangxi"
    assert spec.scheme_for(region_code="410704", table_set="standard", overrides=overrides) == spec.DEFAULT_SCHEME
    with pytest.raises(ValueError, match="之和应为 100"):
        spec.scheme_for(region_code="1", overrides={"1": {"weights": {"timeliness": 50}}})


def test_an_overridden_scheme_scales_the_items(seed):
    scheme = spec.scheme_for(region_code="x", overrides={"x": {"weights": {"timeliness": 30, "completeness": 30}, "late_days_to_zero": 10}})
    result = score(seed, published=DEADLINE + timedelta(days=2), scheme=scheme)
    timeliness = dimension(result, "timeliness")
    assert timeliness.weight == 30 and timeliness.points == Decimal(24)  # 3 points a day over 10 days
    assert sum(i.possible for i in dimension(result, "completeness").items) == 30


def test_grades():
    assert [grade_of(Decimal(n)) for n in ("90", "89.99", "80", "70", "69.99")] == ["A", "B", "B", "C", "D"]
