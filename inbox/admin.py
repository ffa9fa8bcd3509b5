from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Staff read every account's mailbox here; mail is only ever written by the portal sending it."""

    list_display = ["received_at", "account", "subject", "sender", "read_at"]
    list_filter = ["received_at"]
    search_fields = ["account__account_id", "subject", "to", "cc"]
    list_select_related = ["account"]
    readonly_fields = ["account", "sender", "to", "cc", "subject", "text_body", "html_body", "received_at", "read_at"]

    # Support engineers read the mail the portal sent about the cases they work: whoever may view
    # cases may view the mailboxes (a group permission of its own would need the old group migrations
    # to know this app).
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and request.user.has_perm("cases.view_case")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
