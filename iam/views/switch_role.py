"""Switch role from the console's account menu: an IAM user acts as a role of the account it may assume,
then switches back (as the console's "Switch role" does, without leaving the account)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from portal.console import console_view

from ..selectors import roles_to_switch_to
from ..sessions import switch_console_role


class SwitchRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect,
                             error_messages={"invalid_choice": "You can't switch to this role: it does not trust you, "
                                             "or your policies don't allow sts:AssumeRole on it."})

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {role.name: role for role in roles}
        self.fields["role"].choices = [(role.name, role.name) for role in roles]


def _recorded_event(request) -> str | None:
    """Switching to a role is an sts:AssumeRole in the history; switching back is not."""
    return None if request.POST.get("back") else "sts:AssumeRole"


@console_view(event=_recorded_event)
def switch_role(request):
    principal = request.principal
    if request.method == "POST" and request.POST.get("back"):
        if principal.is_role_session:
            switch_console_role(request, None)
            messages.success(request, f"You switched back from the role {principal.role.name}.")
        return redirect("home")
    roles = roles_to_switch_to(principal)
    form = SwitchRoleForm(roles, request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = form.roles[form.cleaned_data["role"]]
        switch_console_role(request, role)
        messages.success(request, f"You are now acting as the role {role.name}. Switch back from the account menu.")
        return redirect("home")
    return render(request, "iam/switch_role.html", {"form": form, "roles": roles})
