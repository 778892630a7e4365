"""The registry, the scoring policy and the generated docs stay consistent."""

from __future__ import annotations

from pathlib import Path

from ptmscope.attributes.base import Category, CheckResult
from ptmscope.attributes.docs import documented_ids, render_markdown
from ptmscope.attributes.registry import CHECKS, check_by_id
from ptmscope.attributes.scoring import score_category
from ptmscope.records import Outcome

DOC = Path(__file__).resolve().parents[2] / "docs" / "attributes.md"


def test_every_check_has_a_unique_id_and_non_empty_texts() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for check in CHECKS:
        assert check.id and check.id == check.id.lower() and " " not in check.id
        assert check.short.strip() and check.why.strip() and check.remedy.strip(), check.id
        assert 1 <= check.weight <= 3, check.id
        assert callable(check.fn) and check.fn.__doc__, check.id


def test_every_category_has_checks() -> None:
    assert {c.category for c in CHECKS} == set(Category)


def test_the_issue_attributes_are_all_covered() -> None:
    for required in ("publisher", "base-model", "training-datasets", "paper", "upstream-code",
                     "training-logs", "training-procedure", "hyperparameters",
                     "training-hardware", "training-code", "environment", "evaluation-results",
                     "weight-formats", "library", "quantized-variants", "hardware-needs",
                     "usage-instructions", "licence", "size-parameters", "card-present",
                     "template-sections", "placeholders", "usage-example", "limitations",
                     "citation", "commits", "last-change", "downloads", "likes"):
        check_by_id(required)


def test_docs_list_exactly_the_registered_checks() -> None:
    documented = documented_ids(DOC.read_text(encoding="utf-8"))
    registered = [c.id for c in CHECKS]
    assert set(registered) - set(documented) == set(), "registered but not documented"
    assert set(documented) - set(registered) == set(), "documented but not registered"
    assert documented == registered


def test_docs_are_up_to_date_with_the_registry_texts() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "run: python -m ptmscope.attributes.docs docs/attributes.md"
    )


def _judged(*pairs: tuple[str, Outcome]) -> list[tuple]:  # type: ignore[type-arg]
    return [(check_by_id(i), CheckResult(o, "")) for i, o in pairs]


def test_scores_weight_partial_as_half_and_leave_out_unknowns() -> None:
    # licence (3) present, weight-formats (3) partial, library (2) missing,
    # hardware-needs (1) not available: 100 * (3 + 1.5 + 0) / 8 = 56.25
    score = score_category(Category.PORTABILITY, _judged(
        ("licence", Outcome.PRESENT), ("weight-formats", Outcome.PARTIAL),
        ("library", Outcome.MISSING), ("hardware-needs", Outcome.NOT_AVAILABLE)))
    assert score.score == 56
    assert score.missing == ("library",) and score.partial == ("weight-formats",)
    assert score.unknown == ("hardware-needs",)


def test_an_error_lowers_the_score_and_is_named_with_the_missing() -> None:
    # licence (3) present, library (2) error: 100 * 3 / 5 = 60, and library is named
    score = score_category(Category.PORTABILITY, _judged(
        ("licence", Outcome.PRESENT), ("library", Outcome.ERROR)))
    assert score.score == 60
    assert score.missing == ("library",) and score.unknown == ()


def test_a_category_with_nothing_judged_has_no_score() -> None:
    score = score_category(Category.MAINTENANCE, _judged(("downloads", Outcome.NOT_AVAILABLE)))
    assert score.score is None and score.unknown == ("downloads",)


def test_a_check_that_raises_becomes_an_error_result() -> None:
    from dataclasses import replace

    from .factories import facts_for

    def boom(_: object) -> CheckResult:
        raise RuntimeError("bad")

    broken = replace(check_by_id("licence"), fn=boom)
    result = broken.run(facts_for("# m\n"))
    assert result.outcome is Outcome.ERROR and "RuntimeError" in result.message
