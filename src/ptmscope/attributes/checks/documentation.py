"""Documentation checks: is there a card, is it filled, does it tell a reuser what they need?

"Documented" follows huggingface_hub's official model card template: its sections, and the
``[More Information Needed]`` placeholder it leaves in unfilled ones. The most-downloaded
models can lack a card entirely, so "no card" is its own result, never "card without X".
"""

from __future__ import annotations

from ptmscope.attributes.base import (
    Category,
    Check,
    CheckResult,
    Evidence,
    missing,
    not_applicable,
    partial,
    present,
)
from ptmscope.attributes.checks._common import (
    NO_CARD,
    clip,
    line_evidence,
    no_card_suffix,
    probe,
    section_evidence,
    sections,
)
from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import Severity

#: The official template's top-level sections, as (name, title patterns).
TEMPLATE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Model Details", (r"model details", r"model description", r"^model$", r"overview")),
    ("Uses", (r"^uses?$", r"intended uses?", r"direct use", r"downstream use",
              r"how to use", r"^usage")),
    ("Bias, Risks, and Limitations", (r"bias", r"risks?", r"limitations?")),
    ("How to Get Started", (r"how to get started", r"getting started", r"quick ?start")),
    ("Training Details", (r"training details", r"training procedure", r"training data",
                          r"^training$")),
    ("Evaluation", (r"evaluation", r"^results?$")),
    ("Environmental Impact", (r"environmental impact", r"carbon", r"co2")),
    ("Technical Specifications", (r"technical specifications", r"model architecture",
                                  r"compute infrastructure")),
    ("Citation", (r"citation", r"bibtex", r"cite")),
)
FILLED_FOR_PRESENT = 6  # of the 9 template sections

_BIBTEX = probe(
    r"@(?:article|inproceedings|misc|book|techreport|phdthesis|software)\s*\{",
    '@',
)
_LOADS_MODEL = probe(
    r"from_pretrained\(|pipeline\(|import |hf_hub_download|SentenceTransformer\(|"
    r"llama[-_.]cpp|ollama run|transformers|diffusers",
    "from_pretrained", "pipeline(", "import ", "hf_hub_download", "sentencetransformer",
    "llama", "ollama", "transformers", "diffusers",
    ignore_case=False,
)


def card_present(facts: ModelFacts) -> CheckResult:
    """A model card exists and is not empty."""
    card = facts.card
    if card is None:
        return missing(NO_CARD)
    if card.is_empty:
        return partial("the card is empty", Evidence(path=card.path))
    note = " (truncated at the read bound)" if card.truncated else ""
    return present(f"card {clip(card.path, 60)}, {len(card.lines):,} lines{note}",
                   Evidence(path=card.path), lines=len(card.lines), truncated=card.truncated)


def metadata_valid(facts: ModelFacts) -> CheckResult:
    """The card starts with YAML front matter that parses as a mapping."""
    card = facts.card
    if card is None:
        return missing(f"{NO_CARD}, so no metadata")
    if card.metadata_problem:
        return partial(f"front matter unusable: {clip(card.metadata_problem, 120)}",
                       Evidence(path=card.path, line=1, excerpt=clip(card.metadata_problem)))
    if card.metadata is None:
        return missing("card has no YAML front matter", Evidence(path=card.path))
    if not card.metadata:
        return partial("front matter is empty", Evidence(path=card.path, line=1))
    tab_lines = [i + 1 for i in range(1, card.body_start) if "\t" in card.lines[i]]
    if tab_lines:
        return partial("front matter uses tabs (YAML forbids them; read by replacing them)",
                       Evidence(path=card.path, line=tab_lines[0]))
    return present(f"{len(card.metadata)} metadata key(s)", Evidence(path=card.path, line=1),
                   keys=sorted(str(k) for k in card.metadata)[:50])


def template_sections(facts: ModelFacts) -> CheckResult:
    """How many of the official template's sections are present and filled."""
    if facts.card is None:
        return missing(NO_CARD, filled=[], unfilled=[], absent=[t for t, _ in TEMPLATE_SECTIONS])
    filled: list[str] = []
    unfilled: list[str] = []
    absent: list[str] = []
    first: Evidence | None = None
    for name, patterns in TEMPLATE_SECTIONS:
        found = sections(facts, *patterns)
        if any(s.filled for s in found):
            filled.append(name)
            first = first or section_evidence(facts, next(s for s in found if s.filled))
        elif found:
            unfilled.append(name)
        else:
            absent.append(name)
    message = f"{len(filled)} of {len(TEMPLATE_SECTIONS)} template sections filled"
    if absent or unfilled:
        message += "; missing: " + ", ".join(unfilled + absent)
    evidence = (first,) if first else ()
    details = {"filled": filled, "unfilled": unfilled, "absent": absent}
    if len(filled) >= FILLED_FOR_PRESENT:
        return present(message, *evidence, **details)
    if filled:
        return partial(message, *evidence, **details)
    return missing(message, *evidence, **details)


def placeholders(facts: ModelFacts) -> CheckResult:
    """No "[More Information Needed]" placeholder left from the template."""
    card = facts.card
    if card is None:
        return not_applicable(NO_CARD)
    lines = card.placeholder_lines
    if not lines:
        return present("no template placeholder left", count=0)
    evidence = tuple(Evidence(path=card.path, line=n) for n in lines[:10])
    return partial(f"{len(lines)} '[More Information Needed]' placeholder(s) left", *evidence,
                   count=len(lines), lines=list(lines[:100]))


def usage_example(facts: ModelFacts) -> CheckResult:
    """A code example that loads or runs the model."""
    card = facts.card
    if card is None or not card.code_blocks:
        return missing("no code example" + no_card_suffix(facts))
    for section in card.sections:
        if section.has_code and _LOADS_MODEL.search(section.text):
            return present("code example loading the model", section_evidence(facts, section))
    found = line_evidence(facts, _LOADS_MODEL)
    if found is not None:
        return present("code example in the card", found)
    return partial(f"{card.code_blocks} code block(s), none loading the model",
                   Evidence(path=card.path))


def limitations(facts: ModelFacts) -> CheckResult:
    """A filled limitations / bias / risks section."""
    found = sections(facts, r"limitations?", r"bias", r"risks?", r"out of scope",
                     r"ethical considerations", r"caveats")
    filled = [s for s in found if s.filled]
    if filled:
        return present("limitations described", section_evidence(facts, filled[0]))
    if found:
        return partial("limitations section left unfilled", section_evidence(facts, found[0]))
    return missing("no limitations or bias section" + no_card_suffix(facts))


def citation(facts: ModelFacts) -> CheckResult:
    """A citation: a filled citation section or a BibTeX entry."""
    found = line_evidence(facts, _BIBTEX)
    if found is not None:
        return present("BibTeX citation", found)
    cited = sections(facts, r"citation", r"bibtex", r"cite")
    filled = [s for s in cited if s.filled]
    if filled:
        return present("citation section", section_evidence(facts, filled[0]))
    if cited:
        return partial("citation section left unfilled", section_evidence(facts, cited[0]))
    return missing("no citation" + no_card_suffix(facts))


CHECKS: tuple[Check, ...] = (
    Check(
        "card-present", Category.DOCUMENTATION, "Model card present",
        "The card is where every other attribute is documented; popular models can lack one.",
        "Add a README.md model card (start from huggingface_hub's template).",
        3, Severity.HIGH, card_present,
    ),
    Check(
        "metadata", Category.DOCUMENTATION, "Card metadata (YAML) usable",
        "Tools and the Hub read licence, datasets and claims from the YAML front matter only.",
        "Start the card with a `---` YAML mapping block; use spaces, not tabs.",
        2, Severity.MEDIUM, metadata_valid,
    ),
    Check(
        "template-sections", Category.DOCUMENTATION, "Template sections filled",
        "The official template lists what reusers need; an absent section is a missing answer.",
        "Fill the template sections reported missing (Uses, Training, Evaluation...).",
        2, Severity.MEDIUM, template_sections,
    ),
    Check(
        "placeholders", Category.DOCUMENTATION, "No '[More Information Needed]' left",
        "A placeholder says the publisher knew the question and left it unanswered.",
        "Replace every '[More Information Needed]' with the information, or drop the section.",
        1, Severity.LOW, placeholders,
    ),
    Check(
        "usage-example", Category.DOCUMENTATION, "Usage example",
        "A runnable example is the fastest way to try a model in downstream evaluation.",
        "Add a fenced code block that loads and runs the model.",
        2, Severity.MEDIUM, usage_example,
    ),
    Check(
        "limitations", Category.DOCUMENTATION, "Limitations and bias",
        "Known limits and biases decide whether a model is safe for a use case.",
        "Fill the 'Bias, Risks, and Limitations' section.",
        2, Severity.MEDIUM, limitations,
    ),
    Check(
        "citation", Category.DOCUMENTATION, "Citation",
        "A citation credits the authors and points to the authoritative description.",
        "Add a 'Citation' section with a BibTeX entry.",
        1, Severity.INFO, citation,
    ),
)
