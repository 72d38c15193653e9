"""Exports of social_orgs (django-import-export): text cells are shown, never run
(SafeResource). Imports go through the staged import (social_orgs/imports.py)."""

from __future__ import annotations

from import_export import fields

from civil_affairs.core.resources import SafeResource

from .models import Inspection, Organisation


class OrganisationResource(SafeResource):
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "org_type",
            "registration",
            "supervising_unit",
            "direct_registration",
            "legal_representative",
            "funds",
            "members",
            "registered_on",
            "status",
            "status_on",
            "area_code",
        ]
        export_order = fields


class InspectionResource(SafeResource):
    organisation_name = fields.Field(attribute="organisation__name", column_name="organisation")
    credit_code = fields.Field(attribute="organisation__credit_code", column_name="credit_code")

    class Meta:
        model = Inspection
        fields = ["organisation_name", "credit_code", "year", "reported_on", "result", "reasons"]
        export_order = fields
