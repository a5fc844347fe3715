"""MT7xx CSV format: problems the CSV reader finds in blocks, headers and cells.

Reported by the CSV reader (spec section 2), which knows the cells; the rules
that apply to both formats (URLs, file types, limits) run on the shared model.
"""

from __future__ import annotations

from manifest_tools.codes import Code
from manifest_tools.rules.registry import register, rule

_URL = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT701,
        "csv-delimiter",
        "error",
        "The CSV file is delimited by semicolons or tabs.",
        """Excel in many European locales saves 'CSV' with semicolons. The platform
        reads commas only, so every row would be one cell. Re-export with commas.""",
        f"ObjectUrl;Image title\n{_URL}/a.jpg;Image 1\n",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n",
        example_format="csv",
    ),
    rule(
        Code.MT702,
        "csv-data-before-header",
        "error",
        "Rows before the first ObjectUrl header row.",
        """Every block starts with a header row whose first cell is ObjectUrl; rows
        before the first header belong to no block and are not registered.""",
        f"{_URL}/a.jpg,Image 1\nObjectUrl,Image title\n{_URL}/b.jpg,Image 2\n",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n{_URL}/b.jpg,Image 2\n",
        example_format="csv",
    ),
    rule(
        Code.MT703,
        "csv-unknown-header",
        "error",
        "A header row whose headings name no known block type.",
        """The headings decide the type: ObjectUrl alone or with Video title (videos),
        Image title with an optional Create video (images), Image group title and
        Create video (image groups and sequences), Series title or Dicom title
        (DICOM). Other headings make the platform reject the block.""",
        f"ObjectUrl,Title\n{_URL}/a.jpg,Image 1\n",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n",
        example_format="csv",
    ),
    rule(
        Code.MT704,
        "csv-blank-create-video",
        "warning",
        "A blank Create video cell in an image-group block (opt-in).",
        """Create video defaults to true ("This can be left blank", says the
        documentation), so a blank cell makes an image sequence: the images are
        turned into a video (which needs write access to the bucket) and resized
        to the first frame. Enable this rule to make every row say true or false;
        the fix writes the default, true, explicitly.""",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,\n",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,true\n",
        example_format="csv",
        fix="safe",
        default=False,
    ),
    rule(
        Code.MT705,
        "csv-invalid-create-video",
        "error",
        "A Create video cell that is neither true nor false.",
        """Only true and false are meaningful; yes, 1 or a typo leave the platform to
        guess. Write true for an image sequence, false for an image group.""",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,no\n",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,false\n",
        example_format="csv",
    ),
    rule(
        Code.MT706,
        "csv-image-create-video",
        "error",
        "Create video is not false in an Image title block.",
        """An Image title block registers single images; its optional Create video
        column must say false on every row (a blank cell means true). Put image
        sequences in an ObjectUrl,Image group title,Create video block.""",
        f"ObjectUrl,Image title,Create video\n{_URL}/a.jpg,Image 1,true\n",
        f"ObjectUrl,Image title,Create video\n{_URL}/a.jpg,Image 1,false\n",
        example_format="csv",
    ),
    rule(
        Code.MT707,
        "csv-missing-url",
        "error",
        "A data row with an empty ObjectUrl cell.",
        """The URL cell is mandatory; a row without one registers nothing.""",
        "ObjectUrl,Image title\n,Image 1\n",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n",
        example_format="csv",
    ),
    rule(
        Code.MT708,
        "csv-extra-cells",
        "error",
        "A row with more non-empty cells than its header has headings.",
        """Extra cells are ignored. The usual cause is a title containing a comma
        without quotes around it: "Scan 1, left" must be quoted.""",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Scan 1, left\n",
        f'ObjectUrl,Image title\n{_URL}/a.jpg,"Scan 1, left"\n',
        example_format="csv",
    ),
    rule(
        Code.MT709,
        "csv-blank-group-title",
        "error",
        "An image-group row with a blank title.",
        """For image groups the title is mandatory: rows with the same title form
        one group, so a row without one belongs to no group.""",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,,false\n",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,false\n",
        example_format="csv",
    ),
    rule(
        Code.MT710,
        "csv-unterminated-quote",
        "error",
        "A quoted cell whose closing quote is missing.",
        """Everything after the opening quote, to the end of the file, becomes one
        cell. Close the quote, and double any quote inside a quoted cell ("").""",
        f'ObjectUrl,Image title\n{_URL}/a.jpg,"Image 1\n{_URL}/b.jpg,Image 2\n',
        f'ObjectUrl,Image title\n{_URL}/a.jpg,"Image 1"\n{_URL}/b.jpg,Image 2\n',
        example_format="csv",
    ),
    rule(
        Code.MT711,
        "csv-inconsistent-create-video",
        "error",
        "Rows of one group disagree on Create video.",
        """Rows with the same title form one group, which is either an image group
        (false) or an image sequence (true), never both. Use one value for all of
        the group's rows, or give the two groups different titles.""",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,false\n{_URL}/g/2.jpg,Group 1,true\n",
        f"ObjectUrl,Image group title,Create video\n{_URL}/g/1.jpg,Group 1,false\n{_URL}/g/2.jpg,Group 1,false\n",
        example_format="csv",
    ),
    rule(
        Code.MT712,
        "csv-empty-block",
        "warning",
        "A header row with no data rows under it.",
        """Harmless, but usually a sign that rows were deleted or put under the
        wrong header. The fix removes the header row: it registers nothing.""",
        f"ObjectUrl,Video title\nObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n",
        f"ObjectUrl,Image title\n{_URL}/a.jpg,Image 1\n",
        example_format="csv",
        fix="safe",
    ),
    rule(
        Code.MT713,
        "csv-blank-series-title",
        "warning",
        "A DICOM row with a blank Series title (opt-in).",
        """A blank title is documented ("the original file name is used") and makes
        the file a one-file series named after the file. A DICOM series is normally
        many files: enable this rule to have every row name its series.""",
        f"ObjectUrl,Series title\n{_URL}/ct/1.dcm,\n",
        f"ObjectUrl,Series title\n{_URL}/ct/1.dcm,CT 1\n",
        example_format="csv",
        default=False,
    ),
    rule(
        Code.MT714,
        "csv-create-video-ignored",
        "warning",
        "A Create video column in a Video title or Series title block.",
        """Users copy the three-column header of the documentation's "multiple file
        types" example. The block is read as what its title heading says (videos,
        or DICOM series); the Create video column means nothing there and is
        ignored. The fix drops it.""",
        f"ObjectUrl,Video title,Create video\n{_URL}/v/a.mp4,Video 1,false\n",
        f"ObjectUrl,Video title\n{_URL}/v/a.mp4,Video 1\n",
        example_format="csv",
        fix="safe",
    ),
    rule(
        Code.MT715,
        "csv-text-after-quote",
        "error",
        "Text between a quoted cell's closing quote and the next comma.",
        """A quoted cell ends at its closing quote (RFC 4180); readers that accept
        more join the rest to the cell, so a stray quote merges a URL and a title
        into one URL, or a title with what follows it. Quote the whole cell, double
        any quote inside it (""), or remove the quotes.""",
        f'ObjectUrl,Image title\n{_URL}/a.jpg,"Scan 1" left\n',
        f'ObjectUrl,Image title\n{_URL}/a.jpg,"Scan 1 left"\n',
        example_format="csv",
    ),
]

register(RULES)
