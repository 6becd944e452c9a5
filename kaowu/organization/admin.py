"""基础数据维护 (province admin site): regions, the province configuration, offices, staff."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kaowu.accounts.models import User
from kaowu.accounts.passwords import password_validate
from kaowu.backoffice.admin_site import ProvinceModelAdmin, province_admin_site
from kaowu.core.text import ModelForm, PersonNameField

from .models import Office, Province, Region, StaffMember
from .selectors import home_province_forget


@admin.register(Region, site=province_admin_site)
class RegionAdmin(ProvinceModelAdmin):
    """Imported from the national region-code table (regions_import): read-only here."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProvinceForm(ModelForm):
    class Meta:
        model = Province
        fields = ["region", "name", "authority_name", "platform_name", "logo_text", "hotline", "address",
                  "postcode", "is_home", "runs_kaowu", "transfer_public_key"]
        widgets = {"transfer_public_key": forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField",
                                                                "placeholder": "-----BEGIN PUBLIC KEY-----"})}

    def clean_transfer_public_key(self):
        from kaowu.transfers.package import load_public_key

        value = (self.cleaned_data.get("transfer_public_key") or "").strip()
        if value and load_public_key(value) is None:
            raise forms.ValidationError(gettext("请填写该省提供的 Ed25519 公钥（PEM 格式，以 -----BEGIN PUBLIC KEY----- 开头）。"))
        return value + "\n" if value else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_home"):
            other = Province.objects.filter(is_home=True).exclude(pk=self.instance.pk).first()
            if other is not None:
                self.add_error("is_home", gettext("本平台服务的省份已设为%(name)s，请先取消该设置。") % {"name": other.name})
        return cleaned


@admin.register(Province, site=province_admin_site)
class ProvinceAdmin(ProvinceModelAdmin):
    form = ProvinceForm
    list_display = ["name", "authority_name", "platform_name", "hotline", "is_home", "runs_kaowu"]
    list_filter = ["is_home", "runs_kaowu"]
    search_fields = ["name", "authority_name"]
    autocomplete_fields = ["region"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        home_province_forget()  # the header of every page shows it


@admin.register(Office, site=province_admin_site)
class OfficeAdmin(ProvinceModelAdmin):
    list_display = ["code", "name", "kind", "region", "parent", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["region", "parent"]
    list_per_page = 50

    def has_delete_permission(self, request, obj=None):
        return False  # offices are referenced by candidates and history: disable instead


class StaffMemberCreateForm(ModelForm):
    """A staff account and its role in one step."""

    username = forms.CharField(label=_("用户名"), max_length=40, help_text=_("登录管理端使用，建议使用字母和数字。"))
    real_name = PersonNameField(label=_("姓名"), max_length=50)
    initial_password = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(render_value=False),
                                       help_text=_("首次登录时须修改。密码长度8-64位，不能是常见密码或纯数字。"))

    class Meta:
        model = StaffMember
        fields = ["office", "role", "title"]
        labels = {"office": _("所属机构")}

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(gettext("该用户名已被使用"))
        return username

    def clean_initial_password(self):
        password = self.cleaned_data["initial_password"]
        password_validate(password=password)
        return password


class StaffMemberChangeForm(ModelForm):
    class Meta:
        model = StaffMember
        fields = ["office", "role", "title"]
        labels = {"office": _("所属机构")}


@admin.register(StaffMember, site=province_admin_site)
class StaffMemberAdmin(ProvinceModelAdmin):
    form = StaffMemberChangeForm
    list_display = ["real_name", "username", "office_name", "role", "title", "account_active"]
    list_filter = ["role", "office__kind"]
    search_fields = ["user__username", "user__real_name", "office__name", "office__code"]
    list_select_related = ["user", "office"]
    autocomplete_fields = ["office"]
    actions = ["deactivate_accounts", "activate_accounts"]

    @admin.display(description=_("姓名"), ordering="user__real_name")
    def real_name(self, obj):
        return obj.user.real_name

    @admin.display(description=_("用户名"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("所属机构"), ordering="office__name")
    def office_name(self, obj):
        return obj.office.name

    @admin.display(description=_("账号"))
    def account(self, obj):
        return f"{obj.user.real_name}（{obj.user.username}）"

    @admin.display(description=_("账号启用"), boolean=True)
    def account_active(self, obj):
        return obj.user.is_active

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StaffMemberCreateForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(gettext("账号"), {"fields": ["username", "real_name", "initial_password"]}),
                    (gettext("岗位"), {"fields": ["office", "role", "title"]})]
        return [(None, {"fields": ["account", "office", "role", "title"]})]

    def get_readonly_fields(self, request, obj=None):
        return ["account"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        from kaowu.backoffice.services import staff_member_create, staff_member_update

        if change:
            staff_member_update(staff=obj)
            return
        created = staff_member_create(
            username=form.cleaned_data["username"], real_name=form.cleaned_data["real_name"],
            initial_password=form.cleaned_data["initial_password"], office=obj.office, role=obj.role,
            title=obj.title, actor=request.user, request=request)
        obj.pk, obj.user = created.pk, created.user

    def log_addition(self, request, obj, message):
        # staff_member_create writes the audit row; only Django's own history entry here.
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def has_delete_permission(self, request, obj=None):
        return False  # staff appear in history and audit rows: disable the account instead

    @admin.action(description=_("停用所选工作人员的账号"))
    def deactivate_accounts(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("启用所选工作人员的账号"))
    def activate_accounts(self, request, queryset):
        self._set_active(request, queryset, active=True)

    def _set_active(self, request, queryset, *, active: bool):
        from kaowu.backoffice.services import staff_accounts_set_active

        count = staff_accounts_set_active(staff_members=queryset.select_related("user"), active=active,
                                          actor=request.user, request=request)
        if active:
            done = ngettext("已启用 %(n)s 个账号。", "已启用 %(n)s 个账号。", count)
        else:
            done = ngettext("已停用 %(n)s 个账号。（不能停用自己的账号。）", "已停用 %(n)s 个账号。（不能停用自己的账号。）", count)
        messages.success(request, done % {"n": count})
