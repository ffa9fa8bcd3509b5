"""AssumeRoleWithWebIdentity and AssumeRoleWithSAML: unsigned calls whose credential is an identity provider's token.

The role's account must have registered the provider; the token is read by iam.federation (see its sandbox rule:
no JWKS is fetched and no XML signature is checked) and the role's trust policy must name the provider
(Principal {"Federated": <provider ARN>}) for the action, with the provider's claims as condition keys.
"""

from iam.exceptions import AccessDenied
from iam.federation import IDPCommunicationError, read_saml_assertion, read_web_identity
from iam.models import OpenIDConnectProvider
from iam.principals import Principal
from iam.selectors import federated_trust_allows, find_role_by_arn, identity_provider_by_arn

from . import operations, role_session


def _not_authorized(call) -> AccessDenied:
    return AccessDenied(f"Not authorized to perform {call.action}", action=call.action, resource=call.params["RoleArn"])


def _role(call):
    role = find_role_by_arn(call.params["RoleArn"])
    if role is None:
        raise _not_authorized(call)
    return role


def _record_as(call, role, session_name: str, identity: dict) -> None:
    """The event goes to the role's account history, as the federated identity that called."""
    call.principal = Principal(account=role.account, role=role, role_session_name=session_name)
    call.identity = {"accountId": role.account.account_id, **identity}


@operations("AssumeRoleWithWebIdentity")
def assume_role_with_web_identity(call):
    params = call.params
    if "ProviderId" in params:  # OAuth 2.0 providers (Login with Amazon, Facebook) are asked over the internet
        raise IDPCommunicationError(f"The sandbox cannot reach the identity provider {params['ProviderId']}; "
                                    "register an OpenID Connect provider and send its ID token instead.")
    role = _role(call)
    session_name = params["RoleSessionName"]
    providers = OpenIDConnectProvider.objects.select_related("account").filter(account=role.account)
    provider, web_identity = read_web_identity(params["WebIdentityToken"], list(providers))
    _record_as(call, role, session_name, {
        "type": "WebIdentityUser", "principalId": f"{provider.url}:{web_identity.audience}:{web_identity.subject}",
        "userName": web_identity.subject, "identityProvider": provider.url,
    })
    if not federated_trust_allows(role, call.action, provider.arn, web_identity.condition_keys()):
        raise _not_authorized(call)
    output = role_session(call, role, session_name)
    return {**output, "SubjectFromWebIdentityToken": web_identity.subject, "Provider": web_identity.claims["iss"],
            "Audience": web_identity.audience}


@operations("AssumeRoleWithSAML")
def assume_role_with_saml(call):
    params = call.params
    role = _role(call)
    provider = identity_provider_by_arn(params["PrincipalArn"], account=role.account)
    if provider is None or isinstance(provider, OpenIDConnectProvider):
        raise _not_authorized(call)
    saml = read_saml_assertion(params["SAMLAssertion"], provider)
    _record_as(call, role, saml.session_name, {
        "type": "SAMLUser", "principalId": f"{saml.name_qualifier(provider)}:{saml.subject}", "userName": saml.subject,
        "identityProvider": provider.arn,
    })
    granted = (role.arn, provider.arn) in saml.role_pairs
    if not granted or not federated_trust_allows(role, call.action, provider.arn, saml.condition_keys(provider)):
        raise _not_authorized(call)
    output = role_session(call, role, saml.session_name)
    return {**output, "Subject": saml.subject, "SubjectType": saml.subject_type, "Issuer": saml.issuer,
            "Audience": saml.audience, "NameQualifier": saml.name_qualifier(provider)}
