"""Shared test settings.

Hypothesis runs derandomized in CI so that a red build is reproducible. The encord SDK (a dev
dependency that tests validate against) warns about pydantic deprecations when first imported, which
pytest's warnings-as-errors would turn into failures: it is imported once here, quietly; a missing SDK
fails the whole run rather than skipping its tests.
"""

from __future__ import annotations

import os
import warnings

from hypothesis import settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import encord.beta.scene.internal.upload
    import encord.orm.storage  # noqa: F401

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
