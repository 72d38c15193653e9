from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm
from civil_affairs.core.validators import clean_id_number

from .models import Person


class PersonForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18, min_length=1)
    name = forms.CharField(label=_("name"), max_length=50)
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    bank_name = forms.CharField(label=_("bank"), max_length=100, required=False)
    bank_account = forms.CharField(label=_("bank account"), max_length=40, required=False)

    def __init__(self, *args: Any, user: Any, person: Person | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = policy.scope(user, Area.objects.all())
        if person is not None:
            # an ID number never changes once registered: shown masked, never sent whole
            self.fields["id_number"].disabled = True
            self.fields["id_number"].initial = person.masked_id_number
            # the account is never shown whole on a page: a blank field replaces it
            account = self.fields["bank_account"]
            account.label = _("new bank account")
            account.help_text = (
                _("Now %(account)s. Leave empty to keep it.")
                % {"account": person.masked_bank_account}
                if person.bank_account
                else _("None on file.")
            )

    def clean_id_number(self) -> str:
        if self.fields["id_number"].disabled:
            return ""
        return clean_id_number(self.cleaned_data["id_number"])
