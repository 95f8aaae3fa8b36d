from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.models import Organization
from kechuang.core.files import DOCUMENTS, inspect_upload
from kechuang.core.models import District
from kechuang.core.validators import normalize_mobile, normalize_uscc, validate_mobile, validate_uscc


class SignInForm(forms.Form):
    login = forms.CharField(label=_("E-mail or mobile number"), max_length=120)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class PasswordFields(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, help_text=password_validators_help_text_html()
    )
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class RegistrationStartForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))


class AccountFields(PasswordFields):
    """A new account's details; its e-mail address comes from the registration link."""

    name = forms.CharField(label=_("Your name"), max_length=60)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, validators=[validate_mobile])
    field_order = ["name", "mobile", "password1", "password2"]

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class OrganizationFields(forms.Form):
    org_name = forms.CharField(label=_("Organisation name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18,
                           validators=[validate_uscc])
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.filter(is_active=True))
    address = forms.CharField(label=_("Address"), max_length=200)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=60, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, validators=[validate_mobile])

    def clean_uscc(self):
        return normalize_uscc(self.cleaned_data["uscc"])

    def clean_contact_phone(self):
        return normalize_mobile(self.cleaned_data["contact_phone"])

    def organization_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["org_name"], "kind": data["kind"], "uscc": data["uscc"], "district": data["district"],
            "address": data["address"], "legal_representative": data["legal_representative"],
            "contact_name": data["contact_name"], "contact_phone": data["contact_phone"],
        }


class LicenceField(forms.Form):
    licence = forms.FileField(
        label=_("Business licence or registration certificate (PDF or image)"), required=False
    )

    def clean_licence(self):
        licence = self.cleaned_data.get("licence")
        if licence:
            inspect_upload(licence, DOCUMENTS)
        return licence


class RegistrationForm(AccountFields, OrganizationFields, LicenceField):
    field_order = ["name", "mobile", "password1", "password2", "org_name", "kind", "uscc", "district",
                   "address", "legal_representative", "contact_name", "contact_phone", "licence"]


class OrganizationOnlyForm(OrganizationFields, LicenceField):
    """For a signed-in user without an organisation."""


class ResubmitForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "uscc", "district", "address", "legal_representative", "contact_name",
                  "contact_phone"]

    def clean_contact_phone(self):
        phone = normalize_mobile(self.cleaned_data["contact_phone"])
        validate_mobile(phone)
        return phone


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=1000)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role in the organisation"), choices=OrgRole.choices, initial=OrgRole.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the organisation"), choices=OrgRole.choices)


class InvitationSignUpForm(PasswordFields):
    name = forms.CharField(label=_("Your name"), max_length=60)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, validators=[validate_mobile])
    field_order = ["name", "mobile", "password1", "password2"]

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PlatformRole.choices)
    department = forms.CharField(label=_("Department (bureau officers)"), max_length=60, required=False)


class PasswordChangeForm(PasswordFields):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    field_order = ["old_password", "password1", "password2"]

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError(_("The current password is wrong."))
        return self.cleaned_data["old_password"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60)
