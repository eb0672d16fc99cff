"""The figures of the listed disclosures' current versions counted per year, region, kind and
cell (ListingCell), so that /api/figures counts a code or column filter from kept counts
instead of matching the figures of a whole region's year, and an index that walks a region's
year in the figures' order; filled here from the figures (the
migration's own copy of services.listing's count: migrations keep their historical code)."""

from django.db import migrations, models
from django.db.models import Count, F

BATCH = 5_000


def fill(apps, schema_editor):
    Disclosure, ListingCell = apps.get_model("accounts_app", "Disclosure"), apps.get_model("accounts_app", "ListingCell")
    tables = "current_version__tables__"
    cells = (
        Disclosure.objects.filter(current_version__isnull=False, **{f"{tables}lines__figures__year": F("listed_year")})
        .order_by()
        .values_list("listed_year", "listed_region", "kind", f"{tables}table", f"{tables}lines__key", f"{tables}lines__figures__column")
        .annotate(n=Count("pk"))
    )
    batch = []
    for year, region, kind, table, key, column, n in cells.iterator(chunk_size=BATCH):
        batch.append(ListingCell(year=year, region=region, kind=kind, table=table, key=key, column=column, figures=n))
        if len(batch) == BATCH:
            ListingCell.objects.bulk_create(batch)
            batch = []
    ListingCell.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("accounts_app", "0019_publication_stamp")]

    operations = [
        migrations.CreateModel(
            name="ListingCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("region", models.CharField(max_length=12, verbose_name="行政区划代码")),
                ("kind", models.CharField(choices=[("department", "部门决算"), ("unit", "单位决算")], max_length=20, verbose_name="类型")),
                ("table", models.CharField(max_length=40, verbose_name="表")),
                ("key", models.CharField(max_length=30, verbose_name="行键（科目编码或行次）")),
                ("column", models.CharField(max_length=40, verbose_name="栏")),
                ("figures", models.PositiveIntegerField(verbose_name="现行版本数据个数")),
            ],
            options={
                "verbose_name": "公开数据计数",
                "verbose_name_plural": "公开数据计数",
                "constraints": [
                    models.UniqueConstraint(fields=("year", "region", "table", "column", "key", "kind"), name="listing_cell_unique_key")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                condition=models.Q(current_version__isnull=False),
                fields=["listed_year", "listed_region", "current_version_id"],
                name="disclosure_listed_figures",
            ),
        ),
    ]
