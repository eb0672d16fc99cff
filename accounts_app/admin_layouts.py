"""Admin pages for the regions' table sets (order, numbers, titles) and the sheet mappings
departments made. Imported by admin.py. Saving a table set rebuilds every cached page, so
the public pages show the new numbers and titles at once."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from . import caching
from .models import Region, SheetMapping, TableLayout, TableLayoutEntry


class TableLayoutEntryInline(admin.TabularInline):
    model = TableLayoutEntry
    extra = 0
    fields = ("position", "family", "form", "label", "title")


@admin.register(TableLayout)
class TableLayoutAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "label_format", "line_numbers", "outline", "updated_at")
    search_fields = ("key", "name")
    inlines = [TableLayoutEntryInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        caching.forget_all_pages()


class RegionForm(forms.ModelForm):
    """The region's 公开表格式 chosen among the table sets kept in the admin."""

    table_set = forms.ChoiceField(label="公开表格式", help_text=Region._meta.get_field("table_set").help_text)

    class Meta:
        model = Region
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table_set"].choices = list(TableLayout.objects.values_list("key", "name"))


@admin.register(SheetMapping)
class SheetMappingAdmin(admin.ModelAdmin):
    list_display = ("department", "sheet_name", "table", "created_by", "created_at")
    list_filter = ("department__region",)
    search_fields = ("department__name", "sheet_name")
