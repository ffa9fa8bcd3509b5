"""Which operations of each service model are served, refused as AWS refuses a standalone account, or missing."""

from dataclasses import dataclass
from importlib import import_module

from .refusals import refusal_for, wire_error
from .service_models import ACCOUNT, IAM, STS, SUPPORT, Service

SERVICES = (SUPPORT, ACCOUNT, IAM, STS)


@dataclass(frozen=True)
class Coverage:
    service: Service
    served: tuple[str, ...]
    refused: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.served) + len(self.refused) + len(self.missing)

    def __str__(self) -> str:
        return f"{self.service.name}: {len(self.served)} served, {len(self.refused)} refused, {self.total} in the model"


def coverage(service: Service) -> Coverage:
    registry = import_module(f"api.operations.{service.name}").operations
    served, refused, missing = [], [], []
    for name in sorted(service.model.operation_names):
        refusal = refusal_for(service.name, name)
        if registry.serves(name):
            if refusal is not None:
                raise AssertionError(f"{service.name}:{name} is both served and refused")
            served.append(name)
        elif refusal is not None:
            wire_error(service.model.operation_model(name), refusal.error_shape)  # the model must declare it
            refused.append(name)
        else:
            missing.append(name)
    return Coverage(service, tuple(served), tuple(refused), tuple(missing))
