"""MT91x upload results and MT92x upload plans: what `upload`, `upload-report` and `plan` find.

No checker here: lint never reaches the platform. ``uploads/results.py`` maps a job's
failures back to the manifest (MT91x) and ``uploads/plan.py`` compares a manifest with
the items already in the target folder (MT92x).
"""

from __future__ import annotations

from manifest_tools.codes import Code
from manifest_tools.rules.registry import register, rule

_U = "https://acme.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT911,
        "upload-failed",
        "error",
        "The upload job could not register this item (found by `upload` or `upload-report`).",
        """The job ended DONE with "ignore errors", but this item's unit failed: it is
        not in the folder. The message quotes the platform's error and action. Fix the
        cause (permissions, a missing object, an unreadable file) and upload the retry
        manifest (--retry-out), which holds only the failed items.""",
        f'{{"images": [{{"objectUrl": "{_U}/photos/cat-0001.jpg"}}]}}  (the job reports: Access denied)',
        f'{{"images": [{{"objectUrl": "{_U}/photos/cat-0001.jpg"}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT912,
        "failed-url-not-in-manifest",
        "error",
        "The job reports a failed URL that the manifest does not hold.",
        """The result belongs to another manifest, or the manifest was edited after
        the upload: the failed item cannot be mapped to a line nor retried from this
        file. Report against the manifest that was uploaded.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}  (the job reports {_U}/b.jpg as failed)',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT913,
        "upload-incomplete",
        "error",
        "The job did not finish (PENDING, ERROR or CANCELLED): some items may be missing.",
        """Only a job that ends DONE says which items failed. A cancelled or failed
        job (or one still running) leaves items whose fate is unknown; upload the
        whole manifest again with "skip_duplicate_urls": true, which registers only
        what is not in the folder yet.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}  (the job ended CANCELLED)',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT921,
        "skipped-as-duplicate",
        "warning",
        "The URL is already in the folder and skip_duplicate_urls is on: the item will be skipped.",
        """The item is not registered again; when its title or metadata differ from the
        item in the folder, those differences are NOT applied unless upsert_metadata is
        on too. Found by `manifest-tools plan` from an export of the folder's items.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "new title"}}], "skip_duplicate_urls": true}}  (a.jpg is in the folder)',
        f'{{"images": [{{"objectUrl": "{_U}/new.jpg"}}], "skip_duplicate_urls": true}}',
        literal_bad=False,
    ),
    rule(
        Code.MT922,
        "metadata-overwritten",
        "warning",
        "upsert_metadata will overwrite the metadata of an item already in the folder.",
        """With skip_duplicate_urls and upsert_metadata on, an item whose URL is already
        registered is not added again but its metadata is replaced by the manifest's. The
        message lists what changes (title, the metadata block's values, clientMetadata
        keys), so that an overwrite is a decision, not a surprise.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "clientMetadata": {{"split": "test"}}}}], "skip_duplicate_urls": true, "upsert_metadata": true}}  (the folder says split: train)',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "clientMetadata": {{"split": "train"}}}}], "skip_duplicate_urls": true, "upsert_metadata": true}}',
        literal_bad=False,
    ),
    rule(
        Code.MT923,
        "registered-twice",
        "error",
        "The URL is already in the folder and skip_duplicate_urls is off: it will be registered a second time.",
        """Two items for one file: labels split across copies, and the same image in the
        training and the test set. Set "skip_duplicate_urls": true, or drop the item.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}  (a.jpg is in the folder)',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}], "skip_duplicate_urls": true}}',
        literal_bad=False,
    ),
    rule(
        Code.MT924,
        "title-taken",
        "warning",
        "Another item in the folder already has this title.",
        """The platform accepts two items with one name, but people and scripts that
        find data by name will pick either. Choose a distinct title.""",
        f'{{"images": [{{"objectUrl": "{_U}/b/cat.jpg", "title": "cat.jpg"}}]}}  (the folder holds a/cat.jpg named cat.jpg)',
        f'{{"images": [{{"objectUrl": "{_U}/b/cat.jpg", "title": "b-cat.jpg"}}]}}',
        literal_bad=False,
    ),
]


register(RULES)
