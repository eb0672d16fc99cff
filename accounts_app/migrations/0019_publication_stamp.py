"""The published versions' ids as a partial index: the newest one in one lookup for the public
cache's stamp (accounts_app.caching `_stamp_of`), which was a count(*) and max(id) over every
published version."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts_app", "0018_listing_search")]

    operations = [
        migrations.AddIndex(
            model_name="version",
            index=models.Index(fields=["id"], name="version_published_id", condition=models.Q(status="published")),
        ),
    ]
