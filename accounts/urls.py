from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact_information, name="contact"),
    path("alternate-contacts/", views.alternate_contacts, name="alternate-contacts"),
    path("alternate-contacts/<slug:slug>/", views.edit_alternate_contact, name="alternate-contact"),
    path("alternate-contacts/<slug:slug>/delete/", views.delete_alternate_contact, name="alternate-contact-delete"),
    path("challenge-questions/", views.challenge_questions, name="challenge-questions"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:region_name>/enable/", views.enable_region, name="region-enable"),
    path("regions/<str:region_name>/disable/", views.disable_region, name="region-disable"),
    path("alias/", views.alias, name="alias"),
    path("alias/delete/", views.delete_alias, name="alias-delete"),
    path("billing-access/", views.billing_access, name="billing-access"),
    path("support-plan/", views.support_plan, name="support-plan"),
    path("close/", views.close, name="close"),
    path("reopen/", views.request_reopen, name="reopen"),
    path("recover/", views.recover, name="recover"),
]
