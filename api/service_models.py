"""The services the wire API serves, described by the models that ship inside botocore.

Shapes, operation names, HTTP routes and error names all come from these models;
nothing about the wire format is written down twice.
"""

from dataclasses import dataclass
from functools import cache

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel


@dataclass(frozen=True)
class Service:
    name: str  # as boto3.client() and the IAM action prefix know it
    api_version: str
    event_source: str
    internal_error: str  # the model's error for a failure on the service's side

    @property
    def model(self) -> ServiceModel:
        return _load(self.name, self.api_version)

    @property
    def protocol(self) -> str:
        return self.model.metadata["protocol"]

    @property
    def signing_name(self) -> str:
        return self.model.signing_name

    def operation(self, name: str) -> OperationModel | None:
        return self.model.operation_model(name) if name in self.model.operation_names else None


SUPPORT = Service("support", "2013-04-15", "support.amazonaws.com", "InternalServerError")
ACCOUNT = Service("account", "2021-02-01", "account.amazonaws.com", "InternalServerException")
IAM = Service("iam", "2010-05-08", "iam.amazonaws.com", "ServiceFailure")
STS = Service("sts", "2011-06-15", "sts.amazonaws.com", "InternalFailure")
# Only LookupEvents, over the event history (the console's Event history page reads the same).
CLOUDTRAIL = Service("cloudtrail", "2013-11-01", "cloudtrail.amazonaws.com", "InternalFailure")


@cache
def _load(name: str, api_version: str) -> ServiceModel:
    return ServiceModel(Loader().load_service_model(name, "service-2", api_version), service_name=name)
