"""Contact information, alternate contacts and security challenge questions."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from portal.console import console_view

from .. import selectors, services
from ..countries import COUNTRIES, business_timezone, seller
from ..exceptions import ResourceNotFoundException
from ..forms import AlternateContactForm, ChallengeQuestionsForm, ContactInformationForm
from ..models import AlternateContactType, ContactInformation
from ..permissions import allows, alternate_contact_context
from ..validation import CONTACT_INFORMATION
from .common import Panel, act, panel_page, render_section, submit


def _contact_information(request) -> ContactInformation | None:
    try:
        return selectors.get_contact_information(request.principal)
    except ResourceNotFoundException:
        return None


def _country_facts(country_code: str) -> dict:
    return {
        "country_name": COUNTRIES.get(country_code, (country_code,))[0],
        "seller": seller(country_code),
        "business_zone": business_timezone(country_code).key,
    }


@console_view("account:GetContactInformation", event="account:PutContactInformation")
def contact_information(request):
    contact = _contact_information(request)
    panels = {
        "contact": Panel(
            ContactInformationForm,
            lambda data: services.put_contact_information(request.principal, **data),
            "The contact information was updated.",
            initial=lambda: {rule.field: getattr(contact, rule.field) for rule in CONTACT_INFORMATION} if contact else {},
        )
    }
    return panel_page(
        request,
        "accounts/contact_information.html",
        panels,
        {
            "contact": contact,
            "may_edit": allows(request.principal, "account:PutContactInformation"),
            **(_country_facts(contact.country_code) if contact else {}),
        },
    )


@console_view()
def alternate_contacts(request):
    return render_section(
        request, "accounts/alternate_contacts.html", {"slots": selectors.alternate_contact_slots(request.principal)}
    )


def _contact_type(slug: str) -> str:
    contact_type = slug.upper()
    if contact_type not in AlternateContactType.values:
        raise Http404("No such alternate contact type.")
    return contact_type


@console_view(event="account:PutAlternateContact")
def edit_alternate_contact(request, slug):
    contact_type = _contact_type(slug)
    principal = request.principal
    if request.method == "POST":
        form = AlternateContactForm(request.POST)
        label = AlternateContactType(contact_type).label
        if submit(
            request,
            form,
            lambda data: services.put_alternate_contact(principal, contact_type, **data),
            f"The {label.lower()} contact was saved.",
        ):
            return redirect("accounts:alternate-contacts")
    else:
        contact = None
        # Someone allowed to write but not to read this type starts from an empty form.
        if allows(principal, "account:GetAlternateContact", alternate_contact_context(contact_type)):
            try:
                contact = selectors.get_alternate_contact(principal, contact_type)
            except ResourceNotFoundException:
                pass
        fields = ("name", "title", "email_address", "phone_number")
        form = AlternateContactForm(initial={field: getattr(contact, field) for field in fields} if contact else None)
    slots = [
        {**vars(slot), "form": form} if slot.contact_type == contact_type else vars(slot)
        for slot in selectors.alternate_contact_slots(principal)
    ]
    return render_section(request, "accounts/alternate_contacts.html", {"slots": slots, "editing": contact_type})


@require_POST
@console_view(event="account:DeleteAlternateContact")
def delete_alternate_contact(request, slug):
    contact_type = _contact_type(slug)
    return act(
        request,
        lambda: services.delete_alternate_contact(request.principal, contact_type),
        f"The {AlternateContactType(contact_type).label.lower()} contact was removed.",
        "accounts:alternate-contacts",
    )


@console_view("aws-portal:ViewAccount")
def challenge_questions(request):
    panels = {
        "questions": Panel(
            ChallengeQuestionsForm,
            lambda data: services.put_security_challenge_questions(
                request.principal, [(data[f"question_{n}"], data[f"answer_{n}"]) for n in (1, 2, 3)]
            ),
            "Your security challenge questions were updated.",
        )
    }
    return panel_page(
        request,
        "accounts/challenge_questions.html",
        panels,
        {
            "questions": selectors.security_challenge_questions(request.principal),
            "may_edit": allows(request.principal, "aws-portal:ModifyAccount"),
        },
    )
