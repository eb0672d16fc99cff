"""Filters of the public lists and of the workspace's audit log (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import AuditEntry, Disclosure, FiscalYear, Region
from .services.audit import ACTION_LABELS


class DisclosureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="keyword", label="关键词")
    # In the address as people say them: ?year=2023&region=410704 (the year, the 行政区划代码).
    year = django_filters.ModelChoiceFilter(
        field_name="year", to_field_name="year", queryset=FiscalYear.objects.all(), label="年度", empty_label="全部年度"
    )
    region = django_filters.ModelChoiceFilter(
        field_name="department__region",
        to_field_name="code",
        queryset=Region.objects.all(),
        label="地区",
        empty_label="全部地区",
    )
    kind = django_filters.ChoiceFilter(choices=Disclosure.Kind.choices, label="类型", empty_label="全部类型")

    class Meta:
        model = Disclosure
        fields = ["q", "year", "region", "kind"]

    def listing(self) -> dict:
        """The valid filters as selectors.disclosures_listed takes them (an invalid one, like an
        unknown year, is left out, as django-filter leaves it out of `qs`); the list reads the
        listing columns and their indexes, not the joins `qs` would filter on."""
        cleaned = {}
        if self.is_bound:
            self.form.is_valid()  # fills cleaned_data with the fields that are valid
            cleaned = self.form.cleaned_data
        year, region = cleaned.get("year"), cleaned.get("region")
        return {
            "year": year.year if year else None,
            "region": region.code if region else None,
            "kind": cleaned.get("kind") or None,
            "q": (cleaned.get("q") or "").strip(),
        }

    def keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(department__name__icontains=value) | Q(unit__name__icontains=value) | Q(department__region__name__icontains=value)
        )


class AuditFilter(django_filters.FilterSet):
    """The audit log (/work/audit/) by action, person and date range (days in the portal's time
    zone, both ends included), or one disclosure (?disclosure=<id>, from its pages)."""

    action = django_filters.ChoiceFilter(label="操作", empty_label="全部操作", choices=())
    actor = django_filters.ModelChoiceFilter(label="操作人", empty_label="全部操作人", queryset=None)
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="自", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="至", widget=forms.DateInput(attrs={"type": "date"})
    )
    disclosure = django_filters.NumberFilter(field_name="disclosure_id", widget=forms.HiddenInput)

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until", "disclosure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = list(ACTION_LABELS.items())
        # the people who appear in the log the user reads
        self.filters["actor"].queryset = get_user_model().objects.filter(
            pk__in=self.queryset.order_by().values("actor").distinct()
        ).order_by("username")
