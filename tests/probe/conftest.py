"""The cloud emulators of tests/cloud, shared with the probe tests."""

from tests.cloud.conftest import (  # noqa: F401  (fixtures, found by name)
    _dummy_credentials,
    azure,
    azure_server,
    gcs,
    gcs_server,
    s3,
    s3_server,
)
