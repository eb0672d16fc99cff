"""Atom feeds of the publications and corrections (Django's syndication framework): every
published version is an entry, newest first — a first publication, or a correction
(a version published with its 更正说明 over an earlier one). One feed for the whole portal,
one per region (by 行政区划代码) and one per department, linked from their pages with
<link rel="alternate" type="application/atom+xml">. Published versions only, GET (and HEAD) only."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.timezone import localtime
from django.views.decorators.http import require_safe

from ..models import Department, Region, Version

ITEMS = 50  # the newest entries a feed carries
SITE = "部门决算公开平台"
PUBLISHED = "公开"
CORRECTED = "更正"


class PublicationsFeed(Feed):
    """All regions and departments. Subclasses narrow `versions` to one organisation."""

    feed_type = Atom1Feed
    author_name = SITE
    title = f"{SITE}：决算公开和更正"
    subtitle = "各地区、各部门新公开的部门决算和单位决算，以及对已公开决算的更正。"

    def link(self, obj=None) -> str:
        return reverse("home")

    def feed_url(self, obj=None) -> str:
        return reverse("feed_all")

    def versions(self, obj):
        return Version.objects.published()

    def items(self, obj=None):
        return (
            self.versions(obj)
            .select_related("disclosure__department__region", "disclosure__unit", "disclosure__year")
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_title(self, version: Version) -> str:
        disclosure = version.disclosure
        name = f"{disclosure.entity_name} {disclosure.year.year}年度{disclosure.get_kind_display()}"
        if version.correction_note:
            return f"{CORRECTED}：{name}（第 {version.number} 版）"
        return f"{PUBLISHED}：{name}"

    def item_description(self, version: Version) -> str:
        disclosure = version.disclosure
        text = format_html(
            "<p>{} · {} · 公开于 {} · 第 {} 版</p>",
            disclosure.department.region.name,
            disclosure.department.name,
            f"{localtime(version.published_at):%Y-%m-%d %H:%M}",
            version.number,
        )
        if version.correction_note:
            text += format_html("<p>更正说明：</p>{}", linebreaks(version.correction_note, autoescape=True))
        return text

    def item_link(self, version: Version) -> str:
        """The page of this very version (a correction's entry and the first one's differ)."""
        return reverse("disclosure_version", args=[version.disclosure_id, version.number])

    def item_pubdate(self, version: Version):
        return version.published_at

    item_updateddate = item_pubdate

    def item_author_name(self, version: Version) -> str:
        return version.disclosure.department.name

    def item_categories(self, version: Version) -> tuple[str, ...]:
        return (CORRECTED if version.correction_note else PUBLISHED, version.disclosure.department.region.name)


class RegionFeed(PublicationsFeed):
    def get_object(self, request, code: str) -> Region:
        return get_object_or_404(Region, code=code)

    def title(self, region: Region) -> str:
        return f"{region.name}：决算公开和更正 · {SITE}"

    def subtitle(self, region: Region) -> str:
        return f"{region.name}各部门新公开的决算和对已公开决算的更正。"

    def link(self, region: Region) -> str:
        return f"{reverse('home')}?region={region.code}"

    def feed_url(self, region: Region) -> str:
        return reverse("feed_region", args=[region.code])

    def versions(self, region: Region):
        return Version.objects.published().filter(disclosure__department__region=region)


class DepartmentFeed(PublicationsFeed):
    def get_object(self, request, pk: int) -> Department:
        return get_object_or_404(Department.objects.select_related("region"), pk=pk)

    def title(self, department: Department) -> str:
        return f"{department.name}：决算公开和更正 · {SITE}"

    def subtitle(self, department: Department) -> str:
        return f"{department.region.name} {department.name}（含所属单位）新公开的决算和对已公开决算的更正。"

    def link(self, department: Department) -> str:
        return reverse("department", args=[department.pk])

    def feed_url(self, department: Department) -> str:
        return reverse("feed_department", args=[department.pk])

    def versions(self, department: Department):
        return Version.objects.published().filter(disclosure__department=department)


publications = require_safe(PublicationsFeed())
region = require_safe(RegionFeed())
department = require_safe(DepartmentFeed())
