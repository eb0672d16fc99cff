"""Everything a disclosure shows, gathered once for the web page and the PDF: the version's
snapshot (read once, the 情况说明 drafted from it), rendered by the pure renderers."""

from __future__ import annotations

from ..checking.quality import Score
from ..models import FunctionSubject, Version
from ..narrative.drafting import sections_for
from ..rendering.charts import disclosure_charts
from ..rendering.tables import render_dataset
from ..selectors import version_snapshot
from ..specs import RowKind
from .catalogs import glossary_for
from .narrative import profile_of

PARTS = (
    ("part-1", "第一部分", "部门概况"),
    ("part-2", "第二部分", "部门决算表"),
    ("part-3", "第三部分", "部门决算情况说明"),
    ("part-4", "第四部分", "名词解释"),
    ("part-5", "第五部分", "附件"),
)


def disclosure_content(version: Version) -> dict:
    """The five parts of one version (概况, tables and charts, 情况说明 and other sections,
    名词解释, 附件), in a fixed number of queries."""
    disclosure = version.disclosure
    drafted = version.narrative_sections is None  # a draft compares with last year, and reads the texts
    snapshot = version_snapshot(version, last_year=drafted, texts=drafted)
    dataset = snapshot.dataset
    codes = {key for table in dataset.tables.values() if table.spec.row_kind is RowKind.SUBJECT for key in table.lines}
    subjects = list(FunctionSubject.objects.for_year(dataset.year).filter(code__in=codes).order_by("code"))
    profile, glossary = profile_of(version), glossary_for(dataset.year)
    # A part with nothing in it is left out, heading and contents entry (a version published
    # before 概况 was required has none): nothing is printed as 「未填写」.
    empty = {"part-1": profile.is_empty, "part-4": not glossary and not subjects}
    return {
        "disclosure": disclosure,
        "version": version,
        "parts": [part for part in PARTS if not empty.get(part[0])],
        "shown": {anchor for anchor, _, _ in PARTS if not empty.get(anchor)},
        "tables": render_dataset(dataset),
        "charts": disclosure_charts(dataset, version.summary, snapshot.last_summary),
        "subjects": subjects,
        "glossary": glossary,
        "profile": profile,
        "sections": sections_for(snapshot),
        "extra_sections": snapshot.extra_sections if drafted else list(version.extra_sections.all()),
        "evaluations": list(version.evaluations.prefetch_related("funds", "indicators")),
        "quality": Score.from_data(version.quality) if version.quality else None,  # stored: services.quality
    }
