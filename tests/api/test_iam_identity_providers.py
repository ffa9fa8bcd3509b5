"""SAML and OpenID Connect identity providers through boto3: lifecycle, AWS's validation and quotas, tags, paging."""

import pytest
from botocore.exceptions import ClientError

from tests.factories import allow
from tests.federation import saml_metadata

pytestmark = pytest.mark.django_db(transaction=True)
THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"


def failure(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_saml_provider_lifecycle(account, root_api):
    iam = root_api("iam")
    arn = iam.create_saml_provider(Name="Okta", SAMLMetadataDocument=saml_metadata(),
                                   Tags=[{"Key": "team", "Value": "id"}])["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{account.account_id}:saml-provider/Okta"
    assert failure(iam.create_saml_provider, Name="Okta", SAMLMetadataDocument=saml_metadata()) == (
        "EntityAlreadyExists", "SAMLProvider named Okta already exists")
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == saml_metadata() and got["ValidUntil"].year == 2036
    assert got["Tags"] == [{"Key": "team", "Value": "id"}] and got["AssertionEncryptionMode"] == "Allowed"
    assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [arn]

    iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=saml_metadata("https://idp.example.com/v2"))
    assert "https://idp.example.com/v2" in iam.get_saml_provider(SAMLProviderArn=arn)["SAMLMetadataDocument"]
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["team"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert iam.get_account_summary()["SummaryMap"]["Providers"] == 1

    iam.delete_saml_provider(SAMLProviderArn=arn)
    assert failure(iam.get_saml_provider, SAMLProviderArn=arn) == ("NoSuchEntity", f"Manifest not found for arn {arn}")
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_saml_metadata_must_be_an_entity_descriptor(root_api):
    iam = root_api("iam")
    not_xml = "x" * 1000
    assert failure(iam.create_saml_provider, Name="Bad", SAMLMetadataDocument=not_xml) == (
        "InvalidInput", "Could not parse metadata")
    other_root = "<md:Other xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata' entityID='x'>" + " " * 1000 + "</md:Other>"
    assert failure(iam.create_saml_provider, Name="Bad", SAMLMetadataDocument=other_root)[0] == "InvalidInput"
    entities = '<!DOCTYPE d [<!ENTITY e "e">]>' + saml_metadata()
    assert failure(iam.create_saml_provider, Name="Bad", SAMLMetadataDocument=entities)[0] == "InvalidInput"
    assert failure(iam.create_saml_provider, Name="bad name", SAMLMetadataDocument=saml_metadata())[0] == "ValidationError"
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_oidc_provider_lifecycle(account, root_api):
    iam = root_api("iam")
    arn = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=[THUMBPRINT], Tags=[{"Key": "ci", "Value": "github"}])["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{account.account_id}:oidc-provider/token.actions.githubusercontent.com"
    assert failure(iam.create_open_id_connect_provider, Url="https://token.actions.githubusercontent.com") == (
        "EntityAlreadyExists", "Provider with url https://token.actions.githubusercontent.com already exists.")

    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-2")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-2")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com")
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=["a" * 40, "b" * 40])
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["Url"], got["ClientIDList"], got["ThumbprintList"]) == (
        "token.actions.githubusercontent.com", ["app-2"], ["a" * 40, "b" * 40])
    assert [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]] == [arn]
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, RemoveContextProvider=True)

    iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "b", "Value": "2"},
                                                                        {"Key": "a", "Value": "1"}])
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["ci"])
    first = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, MaxItems=1)
    assert first["IsTruncated"] and first["Tags"] == [{"Key": "a", "Value": "1"}]
    rest = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, Marker=first["Marker"])
    assert rest["Tags"] == [{"Key": "b", "Value": "2"}] and not rest["IsTruncated"]

    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert failure(iam.get_open_id_connect_provider, OpenIDConnectProviderArn=arn) == (
        "NoSuchEntity", f"OpenIDConnect Provider not found for arn {arn}")


OIDC_REFUSALS = [
    ("example.com", [], [], ("ValidationError", "Invalid Open ID Connect Provider URL")),
    ("http://example.com", [], [], ("InvalidInput", "Invalid Open ID Connect Provider URL. The URL must begin with https://.")),
    ("https://example.com?a=1", [], [], ("InvalidInput", "Invalid Open ID Connect Provider URL.")),
    ("https://example.com", [c * 40 for c in "abcdef"], [], (
        "InvalidInput", "Thumbprint list must contain fewer than 5 entries.")),
    ("https://example.com", [], [str(i) for i in range(101)], (
        "LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")),
]


def test_oidc_provider_validation(root_api):
    iam = root_api("iam")
    for url, thumbprints, client_ids, expected in OIDC_REFUSALS:
        assert failure(iam.create_open_id_connect_provider, Url=url, ThumbprintList=thumbprints,
                       ClientIDList=client_ids) == expected, url
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


def test_provider_actions_are_authorized_per_provider(account, user_api, root_api):
    arn = root_api("iam").create_open_id_connect_provider(Url="https://idp.example.com")["OpenIDConnectProviderArn"]
    reader = user_api("iam", account, allow(["iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviders"]))
    assert reader.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["Url"] == "idp.example.com"
    assert failure(reader.delete_open_id_connect_provider, OpenIDConnectProviderArn=arn)[0] == "AccessDenied"
    assert failure(reader.create_saml_provider, Name="Okta", SAMLMetadataDocument=saml_metadata())[0] == "AccessDenied"
    assert len(reader.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1
