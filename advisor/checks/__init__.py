"""Every check, registered by importing its module; the imports' order is the console's order."""

from . import identity  # noqa: F401, I001  (registration)
from . import account  # noqa: F401
from . import support  # noqa: F401
from . import service_limits  # noqa: F401
from .catalogue import CATALOGUE, Check, Finding, Outcome, worst_status

__all__ = ["CATALOGUE", "Check", "Finding", "Outcome", "worst_status"]
