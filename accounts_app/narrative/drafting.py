"""第三部分 情况说明, drafted from the figures of a version and its extra facts.

Every number in a draft comes from a table, an extra fact (specs/facts.py) or last year's
published disclosure; people only write the parts a table cannot know (主要原因, 主要用于,
成效), declared as `WrittenField`s and merged into the paragraphs where they belong. The
phrasing follows the seeds: “2023 年度收、支总计均为 373.64 万元。与上年度相比，收、支总计
各增加 34.22 万元，增长 10.08%。主要原因是……”; shares to two decimals; “持平” when equal;
a 完成年初预算% only where there is a 年初预算; the standard “无…” sentence where a section
has no data.

Drafts are recomputed on every read of a draft version (figures and facts may change; the
written text is kept apart and merged in) and frozen into `Version.narrative_sections` at
publication, so a published text never changes."""

from __future__ import annotations

from dataclasses import asdict

from ..snapshot import Snapshot
from ..specs.outline import OUTLINES
from ..specs.tables.common import chinese_ordinal
from .context import Builder, Context, Section, WrittenField, context_of
from .sections_other import assets, operating, performance, procurement, three_public
from .sections_tables import basic, expense, fiscal, gov_fund, gpb, income, overview, soe


# Each section of the outlines (specs.outline) is written by the builder of the same name.
BUILDERS = {
    builder.__name__: builder
    for builder in (
        overview, income, expense, fiscal, gpb, basic, gov_fund, soe,
        three_public, operating, procurement, assets, performance,
    )
}


def draft(ctx: Context) -> list[Section]:
    """The sections in the region's outline; a group heads the sections it holds."""
    sections = []
    for number, entry in enumerate(OUTLINES[ctx.outline], 1):
        if len(entry) == 3:
            key, title, members = entry
            group = Section(key=key, number=chinese_ordinal(number), title=title)
            for n, (member, member_title) in enumerate(members, 1):
                builder = Builder(ctx, member, member_title, number=f"（{chinese_ordinal(n)}）")
                BUILDERS[member](ctx, builder)
                group.subsections.append(builder.section)
            sections.append(group)
            continue
        key, title = entry
        builder = Builder(ctx, key, title, number=chinese_ordinal(number))
        BUILDERS[key](ctx, builder)
        sections.append(builder.section)
    return sections


def draft_sections(snapshot: Snapshot) -> list[Section]:
    return draft(context_of(snapshot))


# -- stored form -------------------------------------------------------------------------


def sections_to_data(sections) -> list[dict]:
    return [asdict(s) for s in sections]


def sections_from_data(data) -> list[Section]:
    return [
        Section(
            key=d["key"], number=d["number"], title=d["title"], paragraphs=list(d["paragraphs"]),
            fields=[WrittenField(**f) for f in d["fields"]], subsections=sections_from_data(d["subsections"]),
        )
        for d in data
    ]


def sections_for(snapshot: Snapshot) -> list[Section]:
    """The frozen text of a published version, else a fresh draft."""
    if snapshot.narrative_sections is not None:
        return sections_from_data(snapshot.narrative_sections)
    return draft_sections(snapshot)


def section_fields(snapshot: Snapshot) -> list[tuple[Section, WrittenField]]:
    """Every written part of the draft, with the section it belongs to (the form reads it)."""
    pairs = []

    def walk(sections):
        for s in sections:
            pairs.extend((s, w) for w in s.fields)
            walk(s.subsections)

    walk(draft_sections(snapshot))
    return pairs
