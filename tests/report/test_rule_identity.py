"""A diagnostic carries its rule's name, so report formats need no catalogue (its documentation is the
command `manifest-tools rules CODE`)."""

from __future__ import annotations

from manifest_tools import api
from manifest_tools.report.rule_docs import published
from manifest_tools.rules.catalogue import all_rules


def test_diagnostics_from_readers_and_rules_carry_their_rule_name() -> None:
    report = api.check(api.parse("m.json", '{"images": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/a.jpg",}]}'))
    rules = all_rules()
    assert {d.code for d in report.diagnostics} >= {"MT102", "MT303"}  # a reader's and a rule's
    for d in report.diagnostics:
        assert d.name == rules[d.code].name


def test_the_rules_layer_publishes_every_rule_for_sarif() -> None:
    all_rules()
    assert [doc.code for doc in published()] == sorted(all_rules())
