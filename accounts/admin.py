from django.contrib import admin, messages

from .exceptions import ConflictException
from .models import Account, AlternateContact, ContactInformation, RegionOptIn
from .services import reopen_account


class ContactInformationInline(admin.StackedInline):
    model = ContactInformation
    extra = 0


class AlternateContactInline(admin.TabularInline):
    model = AlternateContact
    extra = 0


class RegionOptInInline(admin.TabularInline):
    model = RegionOptIn
    extra = 0
    readonly_fields = ("region_name", "status", "changed_at", "settles_at")
    can_delete = False


@admin.action(description="Reopen selected closed accounts (post-closure period only)", permissions=["change"])
def reopen_selected(modeladmin, request, queryset):
    for account in queryset:
        try:
            reopen_account(account)
        except ConflictException as refusal:
            modeladmin.message_user(request, f"{account}: {refusal.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{account} was reopened.", messages.SUCCESS)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("account_id", "name", "support_plan", "status", "root_email", "created_at", "closed_at", "reopen_requested_at")
    list_filter = ("support_plan", "status")
    search_fields = ("account_id", "name", "alias", "root_email")
    exclude = ("root_password",)  # a credential: not for staff eyes
    readonly_fields = ("account_id", "canonical_user_id", "created_at", "status", "closed_at", "terminated_at", "reopen_requested_at")
    inlines = [ContactInformationInline, AlternateContactInline, RegionOptInInline]
    actions = [reopen_selected]
