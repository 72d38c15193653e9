from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.core.forms import BootstrapForm

from . import staged


class UploadForm(BootstrapForm):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK), headers in the first row."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > staged.max_bytes():
            raise forms.ValidationError(staged._size_message(upload.size))
        return upload


class ConfirmForm(BootstrapForm):
    valid_only = forms.BooleanField(required=False, widget=forms.HiddenInput())
