"""deployguard: would this deployment break Russia's December 2021 draft treaties?"""

from deployguard.errors import (
    DataError,
    DeployguardError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
    UnknownSystemError,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "DeployguardError",
    "InvalidInputError",
    "ModellingAssumptionWarning",
    "UnknownStateError",
    "UnknownSystemError",
    "__version__",
]
