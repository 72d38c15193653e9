"""Exports of governance (django-import-export): text cells are shown, never run
(SafeResource). Imports go through the staged import (governance/imports.py)."""

from __future__ import annotations

from import_export import fields

from civil_affairs.core.resources import SafeResource

from .models import Committee, Member


class CommitteeResource(SafeResource):
    area_code = fields.Field(attribute="area__code", column_name="area_code")
    area_name = fields.Field(attribute="area__name", column_name="area_name")

    class Meta:
        model = Committee
        fields = ["area_code", "area_name", "kind", "elected_on", "term_ends_on", "dissolved_on"]
        export_order = fields


class MemberResource(SafeResource):
    """Members without ID numbers: name, sex, post and term."""

    area_code = fields.Field(attribute="committee__area__code", column_name="area_code")
    committee_kind = fields.Field(attribute="committee__kind", column_name="committee")

    class Meta:
        model = Member
        fields = [
            "area_code",
            "committee_kind",
            "name",
            "sex",
            "post",
            "elected_on",
            "by_election",
            "left_on",
            "left_reason",
        ]
        export_order = fields
