"""The comparison's 合计 kept per year, region and kind (ListingCount.key_totals): the sums of
the key figures of the current versions and how many disclosures know each, so that
/compare/ reads one row instead of summing a region's disclosures on every request; filled
here from the disclosures (the migration's own copy of selectors.key_total_aggregates)."""

from django.db import migrations, models
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

COMPARED = ("income_grand", "expense_grand", "fiscal_income", "basic", "project", "three_public")  # as of this migration
AMOUNT = DecimalField(max_digits=20, decimal_places=2)


def fill(apps, schema_editor):
    Disclosure, ListingCount = apps.get_model("accounts_app", "Disclosure"), apps.get_model("accounts_app", "ListingCount")
    aggregates = {}
    for key in COMPARED:
        aggregates[f"{key}_sum"] = Sum(Cast(KeyTextTransform(key, "current_version__summary"), AMOUNT), output_field=AMOUNT)
        known = Q(**{f"current_version__summary__{key}__isnull": False}) & ~Q(**{f"current_version__summary__{key}": None})
        aggregates[f"{key}_known"] = Count("pk", filter=known)
    grouped = (
        Disclosure.objects.filter(current_version__isnull=False)
        .order_by()
        .values("listed_year", "listed_region", "kind")
        .annotate(**aggregates)
    )
    for row in grouped:
        totals = {
            key: [None if row[f"{key}_sum"] is None else str(row[f"{key}_sum"]), row[f"{key}_known"]] for key in COMPARED
        }
        ListingCount.objects.filter(year=row["listed_year"], region=row["listed_region"], kind=row["kind"]).update(key_totals=totals)


class Migration(migrations.Migration):
    dependencies = [("accounts_app", "0020_listing_cells")]

    operations = [
        migrations.AddField(
            model_name="listingcount",
            name="key_totals",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="主要数据合计",
                help_text="主要数据键 → [已知数之和（万元，文本）, 已知该数的决算数]：部门对比的合计行由此读出。",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
