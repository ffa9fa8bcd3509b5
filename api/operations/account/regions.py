from accounts import selectors, services

from ...paging import page
from . import operations

DEFAULT_MAX_RESULTS = 20


@operations("ListRegions")
def list_regions(call):
    states = selectors.list_regions(call.principal, call.params.get("RegionOptStatusContains"))
    rows, token = page(
        states, limit=call.params.get("MaxResults", DEFAULT_MAX_RESULTS), token=call.params.get("NextToken"),
        scope=f"account:ListRegions:{call.principal.account.pk}",
    )
    return {
        "Regions": [{"RegionName": state.region_name, "RegionOptStatus": state.region_opt_status} for state in rows],
        "NextToken": token,
    }


@operations("GetRegionOptStatus")
def get_region_opt_status(call):
    state = selectors.get_region_opt_status(call.principal, call.params["RegionName"])
    return {"RegionName": state.region_name, "RegionOptStatus": state.region_opt_status}


@operations("EnableRegion")
def enable_region(call):
    services.enable_region(call.principal, call.params["RegionName"])


@operations("DisableRegion")
def disable_region(call):
    services.disable_region(call.principal, call.params["RegionName"])
