"""SAML and OpenID Connect identity providers over the wire, on iam.services.identity_providers."""

from iam.exceptions import InvalidInput, NoSuchEntity
from iam.models import OpenIDConnectProvider, SAMLProvider
from iam.selectors import identity_provider_by_arn
from iam.services import identity_providers as services

from . import operations
from .common import tags
from .tags import request_tag_context, tags_page

# What each kind is called in the operation names, its ARN member, and IAM's words when it is missing.
SAML = ("SAMLProvider", "SAMLProviderArn", "Manifest not found for arn {arn}")
OIDC = ("OpenIDConnectProvider", "OpenIDConnectProviderArn", "OpenIDConnect Provider not found for arn {arn}")


def _provider(call, kind):
    _, member, missing = kind
    arn = call.params[member]
    provider = identity_provider_by_arn(arn, account=call.principal.account)
    if provider is None or not isinstance(provider, SAMLProvider if kind is SAML else OpenIDConnectProvider):
        raise NoSuchEntity(missing.format(arn=arn))
    return provider


def _authorized(call, kind):
    """The provider the call names, once the caller may perform the call's action on it."""
    provider = _provider(call, kind)
    call.authorize(provider.arn)
    return provider


def _given_tags(call) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in call.params.get("Tags", ())}


def _no_identity_center(call) -> None:
    """Trusted identity propagation names an IAM Identity Center instance; a standalone sandbox account has none."""
    if call.params.get("IdentityCenterInstanceArn") or call.params.get("ContextProvider"):
        raise InvalidInput("Trusted identity propagation needs an IAM Identity Center instance; this account has none.")


def _saml_shape(provider: SAMLProvider) -> dict:
    return {
        "SAMLProviderUUID": provider.provider_uuid, "SAMLMetadataDocument": provider.metadata_document,
        "CreateDate": provider.created_at, "ValidUntil": provider.valid_until, "Tags": tags(provider.tags),
        "AssertionEncryptionMode": provider.assertion_encryption_mode,
        "PrivateKeyList": [{"KeyId": key["KeyId"], "Timestamp": key["Timestamp"]} for key in provider.private_keys],
    }


@operations("CreateSAMLProvider")
def create_saml(call):
    _no_identity_center(call)
    given = _given_tags(call)
    account = call.principal.account
    call.authorize(f"arn:aws:iam::{account.account_id}:saml-provider/{call.params['Name']}", request_tag_context(given))
    provider = services.create_saml_provider(
        account, call.params["Name"], call.params["SAMLMetadataDocument"], tags=given,
        encryption_mode=call.params.get("AssertionEncryptionMode"), private_key=call.params.get("AddPrivateKey"),
    )
    return {"SAMLProviderArn": provider.arn, "Tags": tags(provider.tags)}


@operations("GetSAMLProvider")
def get_saml(call):
    return _saml_shape(_authorized(call, SAML))


@operations("UpdateSAMLProvider")
def update_saml(call):
    _no_identity_center(call)
    provider = _authorized(call, SAML)
    params = call.params
    services.update_saml_provider(
        provider, metadata=params.get("SAMLMetadataDocument"), encryption_mode=params.get("AssertionEncryptionMode"),
        add_private_key=params.get("AddPrivateKey"), remove_private_key=params.get("RemovePrivateKey"),
    )
    return {"SAMLProviderArn": provider.arn}


@operations("ListSAMLProviders")
def list_saml(call):
    """Not paged in IAM: at most 100 providers."""
    call.authorize()
    providers = SAMLProvider.objects.select_related("account").filter(account=call.principal.account).order_by("name")
    return {"SAMLProviderList": [
        {"Arn": provider.arn, "ValidUntil": provider.valid_until, "CreateDate": provider.created_at}
        for provider in providers
    ]}


@operations("CreateOpenIDConnectProvider")
def create_oidc(call):
    _no_identity_center(call)
    given = _given_tags(call)
    account = call.principal.account
    issuer = services.oidc_issuer(call.params["Url"])
    call.authorize(f"arn:aws:iam::{account.account_id}:oidc-provider/{issuer}", request_tag_context(given))
    provider = services.create_oidc_provider(
        account, call.params["Url"], client_ids=call.params.get("ClientIDList", []),
        thumbprints=call.params.get("ThumbprintList", []), tags=given,
    )
    return {"OpenIDConnectProviderArn": provider.arn, "Tags": tags(provider.tags)}


@operations("GetOpenIDConnectProvider")
def get_oidc(call):
    provider = _authorized(call, OIDC)
    return {"Url": provider.url, "ClientIDList": provider.client_ids, "ThumbprintList": provider.thumbprints,
            "CreateDate": provider.created_at, "Tags": tags(provider.tags)}


@operations("UpdateOpenIDConnectProvider")
def update_oidc(call):
    """Only trusted identity propagation settings can change here; removing what is not set changes nothing."""
    _authorized(call, OIDC)
    _no_identity_center(call)


@operations("ListOpenIDConnectProviders")
def list_oidc(call):
    """Not paged in IAM: at most 100 providers."""
    call.authorize()
    providers = OpenIDConnectProvider.objects.select_related("account").filter(account=call.principal.account)
    return {"OpenIDConnectProviderList": [{"Arn": provider.arn} for provider in providers.order_by("url")]}


@operations("AddClientIDToOpenIDConnectProvider")
def add_client_id(call):
    services.add_client_id(_authorized(call, OIDC), call.params["ClientID"])


@operations("RemoveClientIDFromOpenIDConnectProvider")
def remove_client_id(call):
    services.remove_client_id(_authorized(call, OIDC), call.params["ClientID"])


@operations("UpdateOpenIDConnectProviderThumbprint")
def update_thumbprint(call):
    services.update_thumbprints(_authorized(call, OIDC), call.params["ThumbprintList"])


def _register_common(kind) -> None:
    noun = kind[0]

    @operations(f"Delete{noun}")
    def delete(call):
        services.delete_provider(_authorized(call, kind))

    @operations(f"Tag{noun}")
    def tag(call):
        provider = _provider(call, kind)
        given = _given_tags(call)
        call.authorize(provider.arn, request_tag_context(given))
        services.tag_provider(provider, given)

    @operations(f"Untag{noun}")
    def untag(call):
        provider = _provider(call, kind)
        call.authorize(provider.arn, {"aws:TagKeys": call.params["TagKeys"]})
        services.untag_provider(provider, call.params["TagKeys"])

    @operations(f"List{noun}Tags")
    def list_tags(call):
        provider = _authorized(call, kind)
        return tags_page(call, provider.tags, f"List{noun}Tags:{provider.pk}")


for _kind in (SAML, OIDC):
    _register_common(_kind)
