"""Job results and folder inventories built with the encord SDK's own models, serialised with ``to_dict()``."""

from __future__ import annotations

import json
import uuid
import warnings
from datetime import UTC, datetime
from typing import Any

with warnings.catch_warnings():  # the SDK's models warn about pydantic deprecations on import
    warnings.simplefilter("ignore")
    from encord.orm.dataset import DataUnitError, LongPollingStatus
    from encord.orm.storage import (
        StorageItem,
        StorageItemType,
        StorageItemWithName,
        StorageLocationName,
        UploadLongPollingState,
    )

__all__ = ["LongPollingStatus", "StorageItemType"]

FOLDER = uuid.UUID("11111111-2222-3333-4444-555555555555")


def unit_error(urls: list[str], error: str = "Access denied", action: str = "Uploading image") -> DataUnitError:
    return DataUnitError(object_urls=urls, error=error, subtask_uuid=uuid.uuid4(), action_description=action)


def job_state(
    *failures: DataUnitError,
    status: LongPollingStatus = LongPollingStatus.DONE,
    done: int = 0,
    cancelled: int = 0,
    pending: int = 0,
    names: tuple[str, ...] = (),
) -> UploadLongPollingState:
    return UploadLongPollingState(
        status=status,
        items_with_names=[StorageItemWithName(item_uuid=uuid.uuid4(), name=name) for name in names],
        errors=[f.error for f in failures],
        units_pending_count=pending,
        units_done_count=done,
        units_error_count=len(failures),
        units_cancelled_count=cancelled,
        unit_errors=list(failures),
    )


def job_result(*failures: DataUnitError, **options: Any) -> dict[str, Any]:
    """What a user saves: ``json.dump(folder.add_private_data_to_folder_get_result(job).to_dict(), file)``."""
    return job_state(*failures, **options).to_dict()


def stored_item(
    name: str,
    url: str | None,
    item_type: StorageItemType = StorageItemType.IMAGE,
    client_metadata: dict[str, Any] | None = None,
    **media: Any,
) -> dict[str, Any]:
    """One line of a folder export: ``StorageItem.to_dict()`` as ``list_items`` yields it."""
    now = datetime(2026, 1, 2, tzinfo=UTC)
    values: dict[str, Any] = dict.fromkeys(
        (
            "integration_hash",
            "signed_url",
            "file_size",
            "mime_type",
            "duration",
            "fps",
            "height",
            "width",
            "dicom_instance_uid",
            "dicom_study_uid",
            "dicom_series_uid",
            "frame_count",
            "audio_sample_rate",
            "audio_bit_depth",
            "audio_codec",
            "audio_num_channels",
            "frames_subfolder_name",
        )
    )
    values.update(media)
    item = StorageItem(
        uuid=uuid.uuid4(),
        parent=FOLDER,
        item_type=item_type,
        name=name,
        client_metadata=json.dumps(client_metadata or {}),
        owner="someone@example.org",
        created_at=now,
        last_edited_at=now,
        backed_data_units_count=1,
        storage_location=StorageLocationName.S3,
        url=url,
        **values,
    )
    return item.to_dict()
