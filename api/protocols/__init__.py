"""Wire codecs, one per protocol family of the botocore models: JSON 1.1, REST-JSON and Query (XML)."""

from ..service_models import Service
from .json_protocols import JsonProtocol, RestJsonProtocol
from .query import QueryProtocol

_CODECS = {"json": JsonProtocol, "rest-json": RestJsonProtocol, "query": QueryProtocol}


def protocol_for(service: Service):
    return _CODECS[service.protocol](service)
