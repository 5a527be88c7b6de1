"""Search that answers sellers' questions (kb_engine.search, kb-search).

Pure functions first (the questions rule, the vocabulary file, the separator,
the entries), with Hypothesis properties at the two inputs authors write;
then the real site's build and index, and the content check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from enginesite import ENGINE_SITE, GUIDE_URL, THREAD_URL, TREE_URL
from kb_engine.problems import Problem
from kb_engine.search.entries import PageFacts, Ranking, Step, index_form, rework
from kb_engine.search.questions import MAX_QUESTIONS, page_questions
from kb_engine.search.stopwords import STOP_WORDS, separator_dropping_stop_words, worker_stop_words
from kb_engine.search.synonyms import (
    Analyser,
    GroupFinder,
    Vocabulary,
    base_form,
    parse_vocabulary,
    words,
)
from kb_engine.yamlfile import load_yaml
from sitebuild import BuildFailed, Site, build_site, run_check

# Text from outside: any Unicode, surrogates and controls included.
hostile_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=12,
)


def front(text: str) -> Any:
    return load_yaml(text, "docs/guides/g.md", first_line=2)


# --- the questions rule ----------------------------------------------------------------------


def test_questions_are_read_and_tidied() -> None:
    meta = front("title: T\nquestions:\n  - They won't share their   plans\n  - Is it worth it for us?\n")
    assert page_questions(meta, "docs/guides/g.md") == (
        ["They won't share their plans", "Is it worth it for us?"], [])


def test_no_questions_is_no_problem() -> None:
    assert page_questions(front("title: T\n"), "f.md") == ([], [])
    assert page_questions(front("questions:\n"), "f.md") == ([], [])


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("questions: Why?\n", "docs/guides/g.md:3: `questions`: expected a list of questions "
                              "(one `- question` a line), got str"),
        ("questions:\n  - 42\n", "docs/guides/g.md:3: `questions` item 1: expected text, got int"),
        ("questions:\n  - Why?\n", "docs/guides/g.md:3: `questions` item 1: 'Why?' is too short for a "
                                   "question (at least 8 characters)"),
        ("questions:\n  - Who owns it here?\n  - who owns it  here?\n",
         "docs/guides/g.md:3: `questions` item 2: repeats item 1"),
        ("questions:\n  - " + "word " * 40 + "\n",
         "docs/guides/g.md:3: `questions` item 1: longer than 160 characters (199); ask one thing, "
         "as a seller would type it"),
        ("questions:\n  - \"Is it \\x07 worth it?\"\n",
         "docs/guides/g.md:3: `questions` item 1: contains a control character"),
    ],
)
def test_a_bad_question_is_one_line_naming_file_line_and_item(yaml_text: str, message: str) -> None:
    meta = front("title: T\n" + yaml_text)
    questions, problems = page_questions(meta, "docs/guides/g.md")
    assert questions == []
    assert [str(p) for p in problems] == [message]


def test_too_many_questions() -> None:
    items = "".join(f"  - Question number {n} here?\n" for n in range(MAX_QUESTIONS + 1))
    _, problems = page_questions(front("questions:\n" + items), "g.md")
    assert [str(p) for p in problems] == [
        f"g.md:2: `questions`: {MAX_QUESTIONS + 1} questions, at most {MAX_QUESTIONS}; keep the ones sellers "
        "really ask"]


@settings(max_examples=60, deadline=None)
@given(value=yaml_values)
@example(value=["\ud800 lone surrogate question"])
@example(value=["\x00\x00\x00\x00\x00\x00\x00\x00\x00"])
def test_any_questions_value_gives_questions_or_problems_never_an_exception(value: Any) -> None:
    questions, problems = page_questions({"questions": value}, "docs/guides/g.md")
    assert not (questions and problems)
    for problem in problems:
        assert problem.file == "docs/guides/g.md" and "\n" not in problem.message
    for question in questions:
        assert 8 <= len(question) <= 160 and question == " ".join(question.split())
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]", question)


# --- the vocabulary file ---------------------------------------------------------------------

VOCABULARY = "vendor: [supplier, provider]\nnot working: [failing, struggling]\n"


def test_the_vocabulary_is_read_group_by_group() -> None:
    vocabulary, problems = parse_vocabulary(VOCABULARY, "v.yml")
    assert problems == []
    assert vocabulary.groups == ((("vendor",), ("supplier",), ("provider",)),
                                 (("not", "working"), ("failing",), ("struggling",)))


def test_a_page_that_says_a_word_of_a_group_gets_the_others() -> None:
    vocabulary, _ = parse_vocabulary(VOCABULARY, "v.yml")
    finder, analyser = GroupFinder(vocabulary), Analyser()
    text = analyser.analyse("Our Suppliers' work is not working at all")
    groups = finder.groups(text)
    assert groups == [0, 1]
    assert finder.related(finder.said(text).words, groups) == ["vendor", "provider", "failing", "struggling"]
    assert finder.groups(analyser.analyse("working, not quite")) == []  # a phrase is its words in order


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vendor: supplier\n",
         "v.yml:1: 'vendor': expected a list of other words, e.g. `vendor: [word, other word]`"),
        ("vendor: [Supplier]\n", "v.yml:1: 'vendor': 'Supplier' must be lower-case words of letters, digits, "
                                 "apostrophes and hyphens, one space apart"),
        ("vendor: [a b c d e]\n", "v.yml:1: 'vendor': 'a b c d e' is longer than 4 words"),
        ("vendor: [supplier]\nbuyer: [suppliers]\n",
         "v.yml:2: 'buyer': 'suppliers' is already in the group 'vendor' (line 1)"),
        ("vendor: [7]\n", "v.yml:1: 'vendor': 7 is not a word or phrase"),
        ("- vendor\n", "v.yml:1: expected lines of `word: [other words, ...]`"),
        # found by the property below: the YAML reader refused it before parsing, with a traceback
        ("vendor: [\x00]\n",
         "v.yml:1: holds a control character (U+0000), which YAML does not allow; remove it"),
        ("vendor: [supplier\n", "v.yml:2: malformed YAML: expected ',' or ']', but got '<stream end>' "
                                "(line 2, column 1)"),
    ],
)
def test_a_bad_vocabulary_line_is_one_line_naming_file_line_and_term(text: str, message: str) -> None:
    _, problems = parse_vocabulary(text, "v.yml")
    assert [str(p) for p in problems] == [message]


# What a file can hold: UTF-8 decodes to no lone surrogate (kb_engine.textfile).
file_text = st.text(st.characters(codec="utf-8"), max_size=80)


@settings(max_examples=60, deadline=None)
@given(text=file_text | st.builds(lambda k, v: f"{k}: [{v}]\n", file_text, file_text))
@example(text="vendor: [\x00]\n")
@example(text="vendor: [\u2028x]\nvendor: [y]\n")
def test_any_vocabulary_text_gives_groups_or_problems_never_an_exception(text: str) -> None:
    vocabulary, problems = parse_vocabulary(text, "v.yml")
    for problem in problems:
        assert isinstance(problem, Problem) and problem.file == "v.yml" and "\n" not in problem.message
    for group in vocabulary.groups:
        assert len(group) >= 2 and all(re.fullmatch(r"[0-9a-z'\-]+", w) for term in group for w in term)


# The index's rule for "a text says a term", written out plainly: every word of the text in its base
# form, and a term's words found in a row. The build looks up only the words a text has
# (kb_engine.search.synonyms.GroupFinder); both must find the same groups and words.
few_words = st.sampled_from(["vendor", "vendors", "vendor's", "supplier", "not", "working", "deal", "deals",
                             "policy", "policies", "it's", "a", "x"])
vocab_text = st.lists(st.tuples(st.lists(few_words, min_size=1, max_size=3),
                                st.lists(st.lists(few_words, min_size=1, max_size=3), min_size=1, max_size=3)),
                      max_size=5)


def plain_groups(text: str, vocabulary: Vocabulary) -> list[int]:
    bases = [base_form(w) for w in words(text)]

    def in_a_row(term: tuple[str, ...]) -> bool:
        return any(tuple(bases[i:i + len(term)]) == term for i in range(len(bases) - len(term) + 1))

    return [n for n, group in enumerate(vocabulary.groups) if any(in_a_row(term) for term in group)]


def plain_related(text: str, vocabulary: Vocabulary, groups: list[int]) -> list[str]:
    said = {base_form(w) for w in words(text)}
    return list(dict.fromkeys(w for n in groups for term in vocabulary.groups[n] for w in term if w not in said))


@settings(max_examples=80, deadline=None)
@given(lines=vocab_text,
       text=st.lists(few_words | hostile_text, max_size=30).map(" ".join) | hostile_text)
@example(lines=[(["not", "working"], [["deal"]])], text="working, not quite; not-working deals")
def test_the_groups_a_text_says_are_those_the_plain_rule_finds(lines: list[Any], text: str) -> None:
    source = "".join(f"{' '.join(head)}: [{', '.join(' '.join(t) for t in others)}]\n" for head, others in lines)
    vocabulary, _ = parse_vocabulary(source, "v.yml")
    finder = GroupFinder(vocabulary)
    analysed = Analyser().analyse(text)
    groups = finder.groups(analysed)
    assert groups == plain_groups(text, vocabulary)
    assert finder.said(analysed).groups == groups
    assert finder.related(finder.said(analysed).words, groups) == plain_related(text, vocabulary, groups)


# --- the separator ---------------------------------------------------------------------------


def test_the_stop_words_are_those_of_the_installed_search_worker() -> None:
    import material

    assert worker_stop_words(Path(material.__file__).parent) == STOP_WORDS


def test_a_worker_with_other_stop_words_leaves_the_separator_alone(tmp_path: Path) -> None:
    workers = tmp_path / "templates/assets/javascripts/workers"
    workers.mkdir(parents=True)
    (workers / "search.0.min.js").write_text('x.generateStopWordFilter(["a","an"]);')
    assert worker_stop_words(tmp_path) == ("a", "an")
    assert worker_stop_words(tmp_path / "nowhere") is None


def split(separator: str, text: str) -> list[str]:
    # The worker's split (Python's re reads this expression as JavaScript does).
    return [part for part in re.split(separator, text) if part]


def test_the_separator_drops_stop_words_from_queries_and_keeps_the_rest() -> None:
    separator = separator_dropping_stop_words(r"[\s\-]+")
    assert split(separator, "The customer won't share their plans") == ["customer", "won't", "share", "plans"]
    assert separator_dropping_stop_words(separator) == separator
    assert split(separator, "what is it's forecast for an island-wide pilot") == [
        "it's", "forecast", "island", "wide", "pilot"]


# --- the entries -----------------------------------------------------------------------------


def entries() -> list[dict[str, Any]]:
    return [
        {"location": "guides/g/", "title": "A guide", "text": "<p>The customer and the vendor.</p>"},
        {"location": "guides/g/#s", "title": "A section", "text": "When the alliance is failing."},
        {"location": "blog/p/", "title": "A post", "text": "The customer and the vendor."},
        {"location": "about/", "title": "About", "text": "The customer.", "boost": 3},
        {"location": "decisions/t/", "title": "Tree", "text": "The customer."},
    ]


def test_rework_keeps_material_s_entries_and_adds_boosts_questions_related_words_and_steps() -> None:
    vocabulary, _ = parse_vocabulary("partnership: [alliance]\nnot working: [failing, stalled]\n", "v.yml")
    pages = {"guides/g/": PageFacts(boost=2.0, questions=("Why won't the customer share plans?",)),
             "about/": PageFacts(boost=0.5), "decisions/t/": PageFacts(boost=2.0)}
    steps = [Step("decisions/t/", "step-a", "Is it failing?", "Help.")]
    out = rework(entries(), pages, steps, vocabulary, Ranking(step_boost=5.0, common_share=0.5))
    assert [e["location"] for e in out] == [
        "guides/g/", "guides/g/#s", "blog/p/", "about/", "decisions/t/", "decisions/t/#step-a"]
    for before, after in zip(entries(), out[:5], strict=True):
        assert (after["title"], after["text"]) == (before["title"], before["text"])
    assert [e.get("boost") for e in out] == [2.0, 2.0, None, 3, 2.0, 5.0]  # front matter's own boost stays
    # "customer" is on every entry: it tells nothing apart, so the question keeps its other words.
    assert out[0]["questions"] == "won't share plans"
    assert "questions" not in out[1]
    assert out[1]["related"] == "partnerships workings stalleds"  # "not" is a stop word
    assert out[5]["related"] == "workings stalleds"


def test_a_related_word_is_indexed_in_a_form_both_its_query_forms_find() -> None:
    assert index_form("supplier") == "suppliers" and index_form("suppliers") == "suppliers"
    assert index_form("supplier").startswith("supplier")


# --- the engine's fixture site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(engine_site: Site) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(engine_site.text("search/search_index.json"))
    return data


def test_a_question_is_text_on_the_page_never_markup(engine_project: Path, tmp_path: Path) -> None:
    guide = engine_project.parent / "docs/guides/starter.md"
    guide.write_text(guide.read_text().replace(
        "questions:\n", "questions:\n  - \"<script>alert(1)</script> & <b>bold</b>?\"\n", 1))
    site = build_site(engine_project, tmp_path / "site")
    page = site.html(GUIDE_URL)
    assert not page.xpath("//aside[contains(@class, 'kb-answers')]//script | //aside//b")
    assert page.xpath("string(//aside[contains(@class, 'kb-answers')]//li[1])") == \
        "<script>alert(1)</script> & <b>bold</b>?"


def test_every_tree_step_is_an_entry_that_opens_its_step(engine_site: Site, index: dict[str, Any]) -> None:
    from kb_engine.trees.model import parse_tree

    tree_file = ENGINE_SITE / "docs/decisions/which-loaf.yml"
    tree = parse_tree(tree_file.read_text(), "t.yml", "which-loaf")
    assert not isinstance(tree, list)
    steps = {e["location"]: e for e in index["docs"] if "#step-" in e["location"]}
    assert set(steps) == {f"decisions/which-loaf/#step-{node}" for node in tree.nodes}
    page = engine_site.html(TREE_URL)
    for location, entry in steps.items():
        assert page.get_element_by_id(location.split("#")[1]) is not None
        assert entry["boost"] == 5.0
    outcome = steps["decisions/which-loaf/#step-sourdough"]
    assert outcome["title"] == "Outcome: Mix a sourdough for the morning"
    # Material's worker needs a page's own entry before its sections
    locations = [e["location"] for e in index["docs"]]
    assert locations.index(TREE_URL) < min(locations.index(s) for s in steps)


def test_the_index_keeps_material_s_config_and_adds_the_fields(index: dict[str, Any]) -> None:
    config = index["config"]
    assert config["pipeline"] == ["stopWordFilter"] and config["lang"] == ["en"]
    assert config["separator"] == separator_dropping_stop_words(r"[\s\-]+")
    assert config["fields"] == {"title": {"boost": 100}, "tags": {"boost": 300}, "text": {"boost": 1.0},
                                "questions": {"boost": 100.0}, "related": {"boost": 1.0}}
    boosts = {e["location"]: e.get("boost") for e in index["docs"]}
    assert boosts[GUIDE_URL] == 2.0
    assert boosts[THREAD_URL] is None
    assert boosts["about/"] == 0.5


def test_a_bad_question_stops_the_build_with_one_line(engine_project: Path, tmp_path: Path) -> None:
    guide = engine_project.parent / "docs/guides/starter.md"
    guide.write_text(guide.read_text().replace("questions:\n", "questions:\n  - Why?\n", 1))
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    assert failed.value.errors == [
        "docs/guides/starter.md:5: `questions` item 1: 'Why?' is too short for a question "
        "(at least 8 characters)"]


def test_a_bad_vocabulary_stops_the_build_with_one_line(engine_project: Path, tmp_path: Path) -> None:
    vocabulary = engine_project.parent / "search-vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text() + "levain: [starter]\n")
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    [error] = failed.value.errors
    assert re.fullmatch(r"search-vocabulary\.yml:\d+: 'levain': 'levain' is already in the group 'starter' "
                        r"\(line \d+\)\n?.*", error, re.S)


def test_check_reports_questions_and_vocabulary_one_line_each(engine_project: Path) -> None:
    root = engine_project.parent
    guide = root / "docs/guides/starter.md"
    guide.write_text(guide.read_text().replace("questions:\n", "questions:\n  - 42\n", 1))
    (root / "search-vocabulary.yml").write_text("starter: [Levain]\n")
    result = run_check(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "docs/guides/starter.md:5: `questions` item 1: expected text, got int",
        "search-vocabulary.yml:1: 'starter': 'Levain' must be lower-case words of letters, digits, "
        "apostrophes and hyphens, one space apart",
    ]


def test_the_search_page_html_has_no_questions_markup_leak(engine_site: Site) -> None:
    # the box is in the page, never in the search index's text of the page
    assert engine_site.html(GUIDE_URL).xpath("//aside[contains(@class, 'kb-answers')]")
    index = json.loads(engine_site.text("search/search_index.json"))
    assert not any("This guide answers" in e["text"] for e in index["docs"])
    guides_index = lxml.html.fromstring(engine_site.text("guides/"))
    assert guides_index.xpath("//aside[contains(@class,'kb-answers')]") == []
