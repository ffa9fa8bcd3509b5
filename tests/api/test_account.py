"""The Account Management API through boto3: contacts, account name and information, Regions."""

import pytest
from botocore.exceptions import ClientError

from accounts.models import AlternateContact
from tests.factories import AccountFactory, allow

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = {
    "FullName": "Ana Ops", "AddressLine1": "1 Main Street", "City": "Seattle", "StateOrRegion": "WA",
    "PostalCode": "98101", "CountryCode": "US", "PhoneNumber": "+12065550100", "CompanyName": "Demo Corp",
}
ALTERNATE = {"Name": "Sam Sec", "Title": "CISO", "EmailAddress": "sec@example.com", "PhoneNumber": "+1 206 555 0101"}


def error(call, *args, **kwargs) -> dict:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response


@pytest.fixture
def account_api(root_api):
    return root_api("account")


def test_alternate_contacts_round_trip(account, account_api):
    missing = error(account_api.get_alternate_contact, AlternateContactType="SECURITY")
    assert missing["Error"]["Code"] == "ResourceNotFoundException"
    assert missing["ResponseMetadata"]["HTTPStatusCode"] == 404
    account_api.put_alternate_contact(AlternateContactType="SECURITY", **ALTERNATE)
    contact = account_api.get_alternate_contact(AlternateContactType="SECURITY")["AlternateContact"]
    assert contact == {"AlternateContactType": "SECURITY", **ALTERNATE}
    account_api.put_alternate_contact(AlternateContactType="SECURITY", **{**ALTERNATE, "Title": "CSO"})
    assert AlternateContact.objects.get(account=account, contact_type="SECURITY").title == "CSO"
    account_api.delete_alternate_contact(AlternateContactType="SECURITY")
    assert error(account_api.delete_alternate_contact, AlternateContactType="SECURITY")["Error"]["Code"] == \
        "ResourceNotFoundException"


def test_model_validation_lists_the_fields(account, keys, client_for):
    unchecked = client_for("account", *keys(account), parameter_validation=False)
    response = error(unchecked.put_alternate_contact, AlternateContactType="PARTY", Name="", Title="t",
                     EmailAddress="not-an-email", PhoneNumber="555")
    assert response["Error"]["Code"] == "ValidationException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["reason"] == "fieldValidationFailed"
    assert {field["name"] for field in response["fieldList"]} == {"Name", "EmailAddress", "AlternateContactType"}


def test_contact_information_round_trip(account_api):
    assert error(account_api.get_contact_information)["Error"]["Code"] == "ResourceNotFoundException"
    account_api.put_contact_information(ContactInformation=CONTACT)
    stored = account_api.get_contact_information()["ContactInformation"]
    assert stored == CONTACT


def test_domain_validation_names_the_field(account_api):
    response = error(account_api.put_contact_information, ContactInformation={**CONTACT, "CountryCode": "ZZ"})
    assert response["Error"]["Code"] == "ValidationException"
    assert [field["name"] for field in response["fieldList"]] == ["CountryCode"]


def test_account_information_and_name(account, account_api):
    information = account_api.get_account_information()
    assert (information["AccountId"], information["AccountName"], information["AccountState"]) == (
        account.account_id, account.name, "ACTIVE")
    assert information["AccountCreatedDate"].year >= 2026
    account_api.put_account_name(AccountName="Renamed Corp")
    assert account_api.get_account_information()["AccountName"] == "Renamed Corp"


def test_only_the_root_user_renames_the_account(account, user_api):
    admin = user_api("account", account, allow("account:*"), name="admin")
    assert error(admin.put_account_name, AccountName="Nope")["Error"]["Code"] == "AccessDeniedException"


def test_list_regions_pages_to_the_end_and_filters(account_api):
    pages = list(account_api.get_paginator("list_regions").paginate(PaginationConfig={"PageSize": 10}))
    regions = [region for page in pages for region in page["Regions"]]
    assert len(pages) > 1 and all(len(page["Regions"]) == 10 for page in pages[:-1])
    assert len({region["RegionName"] for region in regions}) == len(regions)
    assert {"RegionName": "us-east-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"} in regions
    disabled = account_api.list_regions(RegionOptStatusContains=["DISABLED"], MaxResults=50)["Regions"]
    assert disabled and {region["RegionOptStatus"] for region in disabled} == {"DISABLED"}


def test_a_region_in_transition_is_a_conflict(account, account_api, monkeypatch):
    from accounts import tasks
    from accounts.models import RegionOptIn
    from accounts.services.regions import settle_region

    monkeypatch.setattr(tasks.settle_region, "apply_async", lambda *args, **kwargs: None)  # the change stays pending
    assert account_api.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLED"
    account_api.enable_region(RegionName="af-south-1")
    assert account_api.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "ENABLING"
    assert {"RegionName": "af-south-1", "RegionOptStatus": "ENABLING"} in account_api.list_regions(
        RegionOptStatusContains=["ENABLING"])["Regions"]
    for change in (account_api.disable_region, account_api.enable_region):
        conflict = error(change, RegionName="af-south-1")
        assert (conflict["Error"]["Code"], conflict["ResponseMetadata"]["HTTPStatusCode"]) == ("ConflictException", 409)
        assert "wait until the change completes" in conflict["Error"]["Message"]
    settle_region(RegionOptIn.objects.get(account=account, region_name="af-south-1").pk, "ENABLING")
    assert account_api.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "ENABLED"
    account_api.disable_region(RegionName="af-south-1")
    assert account_api.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLING"


def test_list_regions_input_is_validated_with_a_field_list(account, keys, client_for):
    unchecked = client_for("account", *keys(account), parameter_validation=False)
    response = error(unchecked.list_regions, MaxResults=51, RegionOptStatusContains=["SOMETIMES"])
    assert response["Error"]["Code"] == "ValidationException"
    assert {field["name"] for field in response["fieldList"]} == {"MaxResults", "RegionOptStatusContains.1"}
    assert error(unchecked.list_regions, NextToken="forged")["Error"]["Code"] == "ValidationException"


def test_a_default_region_cannot_be_disabled(account_api):
    response = error(account_api.disable_region, RegionName="us-east-1")
    assert response["Error"]["Code"] == "ValidationException"
    assert response["reason"] == "invalidRegionOptTarget"
    assert error(account_api.get_region_opt_status, RegionName="xx-nowhere-9")["Error"]["Code"] == "ValidationException"


def test_a_denied_user_gets_access_denied_with_403(account, user_api):
    reader = user_api("account", account, allow("account:GetAccountInformation"), name="reader")
    assert reader.get_account_information()["AccountId"] == account.account_id
    response = error(reader.put_alternate_contact, AlternateContactType="BILLING", **ALTERNATE)
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDeniedException", 403)
    assert "is not authorized to perform: account:PutAlternateContact" in response["Error"]["Message"]


def test_another_account_id_is_refused_and_never_revealed(account, account_api):
    other = AccountFactory()
    AlternateContact.objects.create(account=other, contact_type="BILLING", name="Theirs", title="t",
                                    email_address="b@example.com", phone_number="1")
    response = error(account_api.get_alternate_contact, AlternateContactType="BILLING", AccountId=other.account_id)
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert "Theirs" not in str(response)
    assert error(account_api.get_alternate_contact, AlternateContactType="BILLING")["Error"]["Code"] == \
        "ResourceNotFoundException"
    assert account_api.get_account_information(AccountId=account.account_id)["AccountId"] == account.account_id
