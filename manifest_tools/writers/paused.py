"""Where the writers found :func:`collector_paused` before it moved below the readers (``manifest_tools.collector``)."""

from manifest_tools.collector import collector_paused as collector_paused
