from cases import plans, selectors
from cases.models import ContactMethod, Language

from . import operations

# Chat and phone are staffed around the clock on the plans that offer them.
ALWAYS = [{"startTime": "00:00 AM", "endTime": "11:59 PM"}]
COMMUNICATION_TYPES = {ContactMethod.CHAT: "chat", ContactMethod.PHONE: "call"}


@operations("DescribeServices")
def describe_services(call):
    services = selectors.describe_services(call.principal, call.params.get("serviceCodeList", ()))
    return {
        "services": [
            {
                "code": service.code,
                "name": service.name,
                "categories": [{"code": category.code, "name": category.name} for category in service.categories.all()],
            }
            for service in services
        ]
    }


@operations("DescribeSeverityLevels")
def describe_severity_levels(call):
    levels = selectors.describe_severity_levels(call.principal)
    return {"severityLevels": [{"code": level.code, "name": level.name} for level in levels]}


@operations("DescribeSupportedLanguages")
def describe_supported_languages(call):
    call.authorize()
    return {
        "supportedLanguages": [
            {"code": language.value, "language": language.label, "display": language.label} for language in Language
        ]
    }


@operations("DescribeCreateCaseOptions")
def describe_create_case_options(call):
    call.authorize()
    methods = plans.rules_for(call.principal.account).contact_methods
    available = call.params["language"] in Language.values
    return {
        "languageAvailability": "available" if available else "unavailable",
        "communicationTypes": [
            {"type": wire_name, "supportedHours": ALWAYS, "datesWithoutSupport": []}
            for method, wire_name in COMMUNICATION_TYPES.items()
            if method in methods
        ],
    }
