"""Filters of the public lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from .models import Disclosure, FiscalYear, Region


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

    def keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(department__name__icontains=value) | Q(unit__name__icontains=value) | Q(department__region__name__icontains=value)
        )
