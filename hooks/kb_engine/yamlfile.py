"""YAML loading that keeps line numbers and refuses duplicate keys.

Mappings come back as :class:`LineDict`, a ``dict`` that also knows the line
of every key, so validators can say *where* a field is wrong. Errors come back
as :class:`~kb_engine.problems.Problem` values naming the file, line and column.

Files people (or importers, or attackers) write are read defensively: a
control character (PyYAML refuses it while reading), an integer of more
than :data:`MAX_DIGITS` digits (Python's ``int`` refuses 4,300), nesting
deeper than :data:`MAX_DEPTH` (PyYAML's parser recurses, and would exhaust
Python's stack) and aliases (``*name``: a few lines of them expand to
billions of values for whoever walks the result) are each one problem naming
the line, never an exception.
"""

from __future__ import annotations

from typing import Any

import yaml

from kb_engine.problems import Problem

MAX_DIGITS = 100  # of an integer; far beyond any count, id or year a file holds
MAX_DEPTH = 100  # levels of nested lists and mappings
_CONTROL = "holds a control character"
_TOO_LONG = f"a number of more than {MAX_DIGITS} digits"
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
_GUARDS = (_CONTROL, _TOO_LONG, _TOO_DEEP)


class LineDict(dict[str, Any]):
    """A mapping read from YAML, with the 1-based line of itself and its keys."""

    line: int
    key_lines: dict[str, int]

    def __init__(self, *args: Any, line: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


class YAMLProblem(Exception):
    """A YAML document that cannot be read; carries a :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are :class:`LineDict` with key lines."""

    line_offset = 0  # lines of the file before the YAML text starts
    depth = 0  # of the node being composed

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """The composer's step, refusing aliases and nesting deeper than MAX_DEPTH."""
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed here: write the value out", mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, _TOO_DEEP, mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def file_line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict(line=loader.file_line(node))
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = loader.file_line(key_node)
    return result


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    if sum(char.isdigit() for char in node.value) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"{_TOO_LONG} (quote it if it is text)", node.start_mark
        )
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    # PyYAML raises a bare ValueError for an impossible date such as
    # 2024-13-01; turn it into a YAML error that knows its position.
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a valid date ({error})", node.start_mark
        ) from None


_LOADERS: list[type[_LineLoader]] = [_LineLoader]
if getattr(yaml, "__with_libyaml__", False):
    # libyaml's parser builds the same nodes (with the same line marks) about
    # eight times faster; it matters when the content check reads 10,000
    # comment files. Messages still come from the pure-Python parser (below),
    # so they read the same with or without libyaml.
    from yaml._yaml import CParser

    class _FastLineLoader(CParser, _LineLoader):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _LOADERS.insert(0, _FastLineLoader)  # the pure-Python loader stays last: the reference

for _loader in _LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _PlainLoader(_LOADERS[0]):  # type: ignore[misc,valid-type]
    """The first loader's parser, without line bookkeeping (see :func:`load_yaml_quick`)."""


_STR_TAG = "tag:yaml.org,2002:str"


def _construct_plain_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    for key_node, value_node in node.value:
        # A plain string scalar constructs to its value (construct_yaml_str);
        # taken directly, it skips the constructor's bookkeeping.
        if key_node.tag == _STR_TAG and type(key_node) is yaml.ScalarNode:
            key = key_node.value
        else:
            key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(None, None, "mapping keys must be plain values", None)
        key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, "duplicate key", None)
        if value_node.tag == _STR_TAG and type(value_node) is yaml.ScalarNode:
            result[key] = value_node.value
        else:
            result[key] = loader.construct_object(value_node, deep=True)
    return result


_PlainLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_plain_mapping)

# What only the reference loader refuses (its composer is Python's, the fast
# one's is libyaml's): aliases and deep nesting. A text that may hold either
# (a "*", or more brackets than MAX_DEPTH) is read by the reference loader only.
_FAILURES = (yaml.YAMLError, ValueError, RecursionError)


def _reference_only(text: str) -> bool:
    return "*" in text or text.count("[") + text.count("{") > MAX_DEPTH


def load_yaml_quick(text: str) -> Any:
    """Parse one YAML document without recording lines; None if it has any problem.

    The same parser and the same checks as :func:`load_yaml` (duplicate keys,
    impossible dates), so it succeeds exactly when :func:`load_yaml` does and
    gives the same values, only with ``line`` 0 and no ``key_lines``. For
    callers that check many files: validate the quick result and, on any
    problem, parse again with :func:`load_yaml` to report lines.
    """
    if _reference_only(text):
        return None  # the caller's load_yaml reads it with the reference loader
    try:
        loader = _PlainLoader(text)
    except _FAILURES:
        return None
    try:
        return loader.get_single_data()
    except _FAILURES:
        return None
    finally:
        loader.dispose()


def load_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse one YAML document.

    ``file`` is the name used in messages; ``first_line`` is the line of the
    file on which ``text`` starts (front matter starts on line 2). Raises
    :class:`YAMLProblem` with the line and column of the first error.
    """
    fast = [] if _reference_only(text) else _LOADERS[:-1]
    for loader_class in fast:
        try:
            return _load_with(loader_class, text, file, first_line)
        except YAMLProblem:
            break  # the reference parser below words the message
    return _load_with(_LOADERS[-1], text, file, first_line)


def _load_with(loader_class: type[_LineLoader], text: str, file: str, first_line: int) -> Any:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as error:  # a control character: refused before parsing
        line = text.count("\n", 0, error.position) + first_line
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a byte"
        raise YAMLProblem(
            Problem(file, line, f"{_CONTROL} ({char}), which YAML does not allow; remove it")
        ) from None
    loader.line_offset = first_line - 1
    try:
        data = loader.get_single_data()
    except RecursionError:  # the fast loader's constructor; the reference one names the line
        raise YAMLProblem(Problem(file, None, _TOO_DEEP)) from None
    except ValueError as error:
        raise YAMLProblem(Problem(file, None, f"malformed YAML: {error}")) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "malformed YAML"
        if mark is None:
            raise YAMLProblem(Problem(file, None, f"malformed YAML: {what}")) from None
        line = mark.line + first_line
        raise YAMLProblem(
            Problem(file, line, f"malformed YAML: {what} (line {line}, column {mark.column + 1})")
        ) from None
    except yaml.YAMLError as error:
        raise YAMLProblem(Problem(file, None, f"malformed YAML: {error}")) from None
    finally:
        loader.dispose()
    return data


class _ConfigLoader(_LineLoader):
    """The reference loader, reading any tag (MkDocs' ``!ENV``, ``!relative``, ``!!python/name:``) as text."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):  # anchors are MkDocs' to allow; only depth is limited
            return yaml.composer.Composer.compose_node(self, parent, index)
        return super().compose_node(parent, index)


def _any_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> object:
    return None


_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def _plain_mapping(loader: _ConfigLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping as MkDocs reads it (a repeated key: the last one wins), not a LineDict."""
    return loader.construct_mapping(node, deep=True)


_ConfigLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _plain_mapping)


def load_config_text(text: str, file: str) -> Any:
    """``mkdocs.yml``'s text as data, every tag read as null, with the guards of :func:`load_yaml`.

    Raises :class:`YAMLProblem`; :func:`is_guard_problem` tells a guard's
    refusal (a control character, a huge number, deep nesting) from a YAML
    syntax error.
    """
    return _load_with(_ConfigLoader, text, file, 1)


def is_guard_problem(problem: Problem) -> bool:
    """Whether ``problem`` is one of the guards' refusals rather than a YAML syntax error."""
    return any(words in problem.message for words in _GUARDS)


def config_text_problem(text: str, file: str) -> Problem | None:
    """What would make MkDocs' own reading of ``mkdocs.yml`` fail with a traceback.

    MkDocs reads its configuration before any plugin runs, and reports only
    YAML syntax errors cleanly: a control character, a huge integer or deep
    nesting there would stop ``mkdocs build`` with a traceback. The content
    check and ``dev.py build`` read the file with these guards first.
    """
    try:
        load_config_text(text, file)
    except YAMLProblem as error:
        # Other YAML mistakes MkDocs reports itself, in its own words.
        if is_guard_problem(error.problem):
            return error.problem
    return None
