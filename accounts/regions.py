"""The AWS Regions (commercial partition) and their opt-in state machine.

The Regions that existed before March 2019 are enabled by default and can't be
disabled; every later Region is opt-in and starts DISABLED.
"""

from types import MappingProxyType

ENABLED_BY_DEFAULT = "ENABLED_BY_DEFAULT"
ENABLED = "ENABLED"
ENABLING = "ENABLING"
DISABLING = "DISABLING"
DISABLED = "DISABLED"

# code -> (name, opt-in?)
REGIONS = MappingProxyType(
    {
        "af-south-1": ("Africa (Cape Town)", True),
        "ap-east-1": ("Asia Pacific (Hong Kong)", True),
        "ap-east-2": ("Asia Pacific (Taipei)", True),
        "ap-northeast-1": ("Asia Pacific (Tokyo)", False),
        "ap-northeast-2": ("Asia Pacific (Seoul)", False),
        "ap-northeast-3": ("Asia Pacific (Osaka)", False),
        "ap-south-1": ("Asia Pacific (Mumbai)", False),
        "ap-south-2": ("Asia Pacific (Hyderabad)", True),
        "ap-southeast-1": ("Asia Pacific (Singapore)", False),
        "ap-southeast-2": ("Asia Pacific (Sydney)", False),
        "ap-southeast-3": ("Asia Pacific (Jakarta)", True),
        "ap-southeast-4": ("Asia Pacific (Melbourne)", True),
        "ap-southeast-5": ("Asia Pacific (Malaysia)", True),
        "ap-southeast-6": ("Asia Pacific (New Zealand)", True),
        "ap-southeast-7": ("Asia Pacific (Thailand)", True),
        "ca-central-1": ("Canada (Central)", False),
        "ca-west-1": ("Canada West (Calgary)", True),
        "eu-central-1": ("Europe (Frankfurt)", False),
        "eu-central-2": ("Europe (Zurich)", True),
        "eu-north-1": ("Europe (Stockholm)", False),
        "eu-south-1": ("Europe (Milan)", True),
        "eu-south-2": ("Europe (Spain)", True),
        "eu-west-1": ("Europe (Ireland)", False),
        "eu-west-2": ("Europe (London)", False),
        "eu-west-3": ("Europe (Paris)", False),
        "il-central-1": ("Israel (Tel Aviv)", True),
        "me-central-1": ("Middle East (UAE)", True),
        "me-south-1": ("Middle East (Bahrain)", True),
        "mx-central-1": ("Mexico (Central)", True),
        "sa-east-1": ("South America (São Paulo)", False),
        "us-east-1": ("US East (N. Virginia)", False),
        "us-east-2": ("US East (Ohio)", False),
        "us-west-1": ("US West (N. California)", False),
        "us-west-2": ("US West (Oregon)", False),
    }
)

# The only moves a Region's opt-in status ever makes. ENABLED_BY_DEFAULT never moves.
TRANSITIONS = MappingProxyType(
    {
        DISABLED: frozenset({ENABLING}),
        ENABLING: frozenset({ENABLED}),
        ENABLED: frozenset({DISABLING}),
        DISABLING: frozenset({DISABLED}),
        ENABLED_BY_DEFAULT: frozenset(),
    }
)

# Where an asynchronous change lands once it has settled.
SETTLES_TO = MappingProxyType({ENABLING: ENABLED, DISABLING: DISABLED})


def is_opt_in(region_name: str) -> bool:
    return REGIONS[region_name][1]


def region_display_name(region_name: str) -> str:
    return REGIONS[region_name][0]


def may_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]
