"""The public lists' own columns on Disclosure, their indexes and the counts per year, region
and kind (services.listing); on PostgreSQL, pg_trgm indexes for the substring search of names.

The trigram indexes are on UPPER(column::text), the expression Django's `icontains` compares
on PostgreSQL, and over the listed disclosures only, as the lists filter; SQLite has neither
the extension nor the need (the search there scans, as before). The columns and counts are
filled here once from the rows they copy, with the models of this migration (the same
computation as services.listing.listing_refresh, which keeps them up to date from now on)."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

SEARCHED = ("listed_department", "listed_unit", "listed_region_name")


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS disclosure_{column}_trgm ON accounts_app_disclosure "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops) WHERE current_version_id IS NOT NULL"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS disclosure_{column}_trgm")


def fill(apps, schema_editor):
    Disclosure, ListingCount = apps.get_model("accounts_app", "Disclosure"), apps.get_model("accounts_app", "ListingCount")
    Department, FiscalYear = apps.get_model("accounts_app", "Department"), apps.get_model("accounts_app", "FiscalYear")
    Unit, Version = apps.get_model("accounts_app", "Unit"), apps.get_model("accounts_app", "Version")
    VersionTable = apps.get_model("accounts_app", "VersionTable")

    def of(model, field, pk):
        return Subquery(model.objects.filter(pk=OuterRef(pk)).order_by().values(field)[:1])  # no ordering join

    Disclosure.objects.update(
        listed_year=of(FiscalYear, "year", "year_id"),
        listed_region=of(Department, "region__code", "department_id"),
        listed_region_name=of(Department, "region__name", "department_id"),
        listed_department=of(Department, "name", "department_id"),
        listed_unit=Coalesce(of(Unit, "name", "unit_id"), Value("")),
        listed_at=of(Version, "published_at", "current_version_id"),
        listed_figures=Coalesce(of(Version, "figure_count", "current_version_id"), Value(0)),
    )
    listed = Disclosure.objects.filter(current_version__isnull=False)
    counts = {}
    for year, region, kind, n, figures in (
        listed.order_by().values_list("listed_year", "listed_region", "kind").annotate(n=Count("pk"), f=Sum("listed_figures"))
    ):
        counts[(year, region, kind)] = ListingCount(year=year, region=region, kind=kind, disclosures=n, figures=figures or 0, table_figures={})
    for year, region, kind, table, figures in (
        VersionTable.objects.filter(version__in=listed.values("current_version"))
        .order_by()
        .values_list("version__disclosure__listed_year", "version__disclosure__listed_region", "version__disclosure__kind", "table")
        .annotate(f=Sum("figure_count"))
    ):
        counts[(year, region, kind)].table_figures[table] = figures or 0
    ListingCount.objects.bulk_create(counts.values())


class Migration(migrations.Migration):

    dependencies = [
        ('accounts_app', '0017_figures_by_year'),
    ]

    operations = [
        migrations.CreateModel(
            name='ListingCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('region', models.CharField(max_length=12, verbose_name='行政区划代码')),
                ('kind', models.CharField(choices=[('department', '部门决算'), ('unit', '单位决算')], max_length=20, verbose_name='类型')),
                ('disclosures', models.PositiveIntegerField(default=0, verbose_name='已公开决算数')),
                ('figures', models.PositiveBigIntegerField(default=0, verbose_name='现行版本数据个数')),
                ('table_figures', models.JSONField(blank=True, default=dict, help_text='表键 → 现行版本中该表的数据个数之和。', verbose_name='各表数据个数')),
            ],
            options={
                'verbose_name': '公开数量',
                'verbose_name_plural': '公开数量',
            },
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='现行版本公开时间'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_department',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='部门名称（列表）'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_figures',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='现行版本数据个数'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_region',
            field=models.CharField(blank=True, editable=False, max_length=12, verbose_name='行政区划代码（列表）'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_region_name',
            field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='行政区划（列表）'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_unit',
            field=models.CharField(blank=True, editable=False, help_text='部门决算为空。', max_length=200, verbose_name='单位名称（列表）'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='listed_year',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='年度（列表）'),
        ),
        migrations.AddIndex(
            model_name='disclosure',
            index=models.Index(condition=models.Q(('current_version__isnull', False)), fields=['-listed_year', 'listed_region', 'listed_department', 'listed_unit', 'id'], name='disclosure_listed_by_year'),
        ),
        migrations.AddIndex(
            model_name='disclosure',
            index=models.Index(condition=models.Q(('current_version__isnull', False)), fields=['listed_region', '-listed_year', 'listed_department', 'listed_unit', 'id'], name='disclosure_listed_by_region'),
        ),
        migrations.AddIndex(
            model_name='disclosure',
            index=models.Index(condition=models.Q(('current_version__isnull', False)), fields=['kind', '-listed_year', 'listed_region', 'listed_department', 'listed_unit', 'id'], name='disclosure_listed_by_kind'),
        ),
        migrations.AddIndex(
            model_name='disclosure',
            index=models.Index(condition=models.Q(('current_version__isnull', False)), fields=['listed_department', 'listed_unit', 'id'], name='disclosure_listed_by_name'),
        ),
        migrations.AddIndex(
            model_name='disclosure',
            index=models.Index(condition=models.Q(('current_version__isnull', False)), fields=['listed_at', 'id'], name='disclosure_listed_by_time'),
        ),
        migrations.AddConstraint(
            model_name='listingcount',
            constraint=models.UniqueConstraint(fields=('year', 'region', 'kind'), name='listing_count_unique_key'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
