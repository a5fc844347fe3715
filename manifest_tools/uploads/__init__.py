"""After lint: what happens around an upload job (its result, a plan against the folder, the upload itself).

``results`` maps a job's failures back to the manifest and writes the retry manifest,
``plan`` compares a manifest with the items already in the folder, ``state`` keeps a
resumable upload's progress and ``run`` drives the ``encord`` SDK (imported lazily).
"""
