"""Reads a scenario (or strategy) file into plain data while remembering the line of every value.

PyYAML's safe composer turns the text into a node tree; we walk it ourselves instead of
letting PyYAML construct objects, so that we can record where each value came from, catch
duplicate keys (which PyYAML silently resolves) and refuse anything but plain data.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.errors import Problem

DocPath = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indexes from the top."""

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{t}" for t in ("str", "null", "bool", "int", "float", "timestamp")}

# What PyYAML says (part of its message), and what a facilitator needs to hear.
_SYNTAX_HINTS = (
    ("found character '\\t'", "use spaces, not tabs, to indent"),
    ("found character", "a value cannot start with this character; put the text in quotes"),
    (
        "mapping values are not allowed here",
        "a ':' is out of place; check the indentation, or put text that contains ': ' in quotes",
    ),
    ("found unexpected end of stream", "a quote opened here is never closed"),
    ("expected ',' or ']'", "a [list] is not closed properly"),
    ("expected ',' or '}'", "a {block} is not closed properly"),
    ("expected <block end>", "this line does not fit here; check its indentation and quotes"),
    ("expected '<document start>'", "this line does not fit here; check its indentation and quotes"),
    ("could not find expected ':'", "a line is missing its ':'; every field is written 'name: value'"),
    ("found undefined alias", "an alias (*name) refers to an anchor (&name) that is not defined"),
    ("found duplicate anchor", "two anchors (&name) have the same name; rename one"),
    ("but found another document", "a file holds one {noun}; remove the extra '---'"),
)


def format_path(path: DocPath) -> str:
    """``("rounds", 2, "cards", 0, "effort")`` -> ``rounds[2].cards[0].effort``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_NEEDS = {
    "scenario": "a title, a story, a company, rounds and more",
    "strategy": "a name and rules",
}
"""What an empty file of each kind is missing."""


@dataclass
class Document:
    """A scenario file's data with the line of every value (keys: line of the key).

    ``settings`` are values a ``--set PATH=VALUE`` put in place of the file's: a problem with one
    of them names the setting, not a line of the file.
    """

    file: str
    data: Any = None
    lines: dict[DocPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = False  # False when the file could not be read or parsed at all
    noun: str = "scenario"  # what the file holds: "scenario" or "strategy"
    settings: dict[DocPath, str] = field(default_factory=dict)  # path -> "--set PATH=VALUE"

    def line(self, path: DocPath) -> int:
        """The line of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 0

    def problem(self, path: DocPath, message: str, line: int | None = None) -> Problem:
        """A problem at ``path``, on its line unless ``line`` is given, or naming the setting that set it."""
        setting = self.settings.get(path) if self.settings else None
        if setting is not None:
            return Problem(setting, 0, format_path(path), message)
        return Problem(self.file, self.line(path) if line is None else line, format_path(path), message)

    def report(self, path: DocPath, message: str, line: int | None = None) -> None:
        self.problems.append(self.problem(path, message, line))


# Reading the plain data: tolerant of values that failed the schema (stage 1 reports those).


def text_of(value: Any) -> str:
    """The text of a value without its surrounding spaces; ``""`` when it is not text."""
    return value.strip() if isinstance(value, str) else ""


def block_of(value: Any) -> dict[str, Any]:
    """A block of fields, or an empty one when the value is something else."""
    return value if isinstance(value, dict) else {}


def blocks_of(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The (index, block) entries of a list, skipping those that are not blocks of fields."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def read_document(path: str | Path, noun: str = "scenario") -> Document:
    """Read and parse ``path``; never raises: every failure becomes a problem."""
    doc = Document(str(path), noun=noun)
    raw = _read_bytes(Path(path), doc)
    return doc if raw is None else _parse(raw, doc)


def parse_document(raw: bytes, name: str, noun: str = "scenario") -> Document:
    """Parse a scenario sent as bytes (a facilitator's upload) as if it were the file ``name``."""
    return _parse(raw, Document(name, noun=noun))


def parse_scalar(text: str) -> tuple[bool, Any]:
    """A value written on the command line, read as YAML reads a value in a file: (ok, value).

    ``0.2`` is a number, ``true`` a yes/no value, ``"7"`` and ``hello`` text, nothing at all
    ``None``; a list, a block or text YAML cannot read is not a single value (``ok`` is False).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return False, None
    if node is None:
        return True, None
    if not isinstance(node, ScalarNode):
        return False, None
    doc = Document("--set")
    value = _Walker(doc).scalar(node, ())
    return not doc.problems, value


def _parse(raw: bytes, doc: Document) -> Document:
    text = _decoded(raw, doc)
    if text is None:
        return doc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        message, line = _syntax_message(err, doc.noun)
        doc.report((), message, line)
        return doc
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        doc.report((), f"contains an invisible control character (U+{code:04X}); delete it", line=line)
        return doc
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is one of the above
        doc.report((), f"is not valid YAML: {err}", line=0)
        return doc
    except RecursionError:
        doc.report((), f"is nested too deeply to be a {doc.noun}", line=0)
        return doc
    if root is None:
        doc.report((), f"is empty; a {doc.noun} needs {_NEEDS[doc.noun]}", 0)
        return doc
    try:
        doc.lines[()] = root.start_mark.line + 1
        doc.data = _Walker(doc).walk(root, (), 0)
    except _TooBig as err:
        doc.data = None
        doc.report((), str(err), line=0)
        return doc
    doc.readable = True
    return doc


def _read_bytes(path: Path, doc: Document) -> bytes | None:
    try:
        if path.is_dir():
            doc.report((), f"is a folder, not a {doc.noun} file", line=0)
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        doc.report((), "no such file", line=0)
        return None
    except OSError as err:
        doc.report((), f"cannot be read: {err.strerror or err}", line=0)
        return None
    except ValueError:  # a name no file can have, such as one with a NUL character
        doc.report((), "is not a valid file name", line=0)
        return None
    return raw


def _decoded(raw: bytes, doc: Document) -> str | None:
    if len(raw) > MAX_FILE_BYTES:
        doc.report((), f"is too large for a {doc.noun} ({len(raw):,} bytes; at most {MAX_FILE_BYTES:,})", 0)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        doc.report((), "is not UTF-8 text; save it from your editor as UTF-8", line=line)
        return None


def _syntax_message(err: yaml.MarkedYAMLError, noun: str) -> tuple[str, int]:
    """A plain explanation of a YAML syntax error, and its line."""
    problem = err.problem or ""
    said = f"{err.context or ''} {problem}"
    mark = err.problem_mark or err.context_mark
    if problem.startswith("found unexpected end of stream") and err.context_mark:
        mark = err.context_mark  # an unclosed quote: point at where it opens
    hint = next((h.replace("{noun}", noun) for words, h in _SYNTAX_HINTS if words in said), said.strip())
    return f"is not valid YAML: {hint}", (mark.line + 1 if mark else 0)


class _TooBig(Exception):
    """The document expands (through aliases or nesting) beyond what a scenario needs."""


class _Walker:
    """Turns a node tree into dicts, lists and scalars, recording lines and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.constructor = SafeConstructor()
        self.visited = 0
        self.active: set[int] = set()  # nodes being walked: an alias back to one is a loop

    def walk(self, node: Node, path: DocPath, depth: int) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooBig(f"uses aliases (*name) that expand to far more data than a {self.doc.noun} needs")
        if depth > MAX_DEPTH:
            raise _TooBig(f"is nested too deeply to be a {self.doc.noun}")
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.active:
            self.doc.report(path, "an alias (*name) here refers to the block that contains it")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node, path, depth)
            if isinstance(node, SequenceNode):
                return self.sequence(node, path, depth)
        finally:
            self.active.discard(id(node))
        return None  # pragma: no cover - the composer only makes the three node kinds

    def check_tag(self, node: Node, path: DocPath, expected: str) -> None:
        if node.tag != expected:
            tag = node.tag.replace(_TAG, "!!")
            self.doc.report(path, f"uses the YAML tag '{tag}', which {self.doc.noun} files do not support")

    def scalar(self, node: ScalarNode, path: DocPath) -> Any:
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            self.check_tag(node, path, f"{_TAG}str")
            return node.value
        if tag in (f"{_TAG}str", f"{_TAG}timestamp"):
            return node.value  # a date is text to a facilitator
        if tag == f"{_TAG}null":
            return None
        try:
            if tag == f"{_TAG}bool":
                return self.constructor.construct_yaml_bool(node)
            if tag == f"{_TAG}int":
                return self.constructor.construct_yaml_int(node)
            number = self.constructor.construct_yaml_float(node)
        except (ValueError, KeyError):  # an explicit tag on a value that does not fit it
            return node.value
        return number if math.isfinite(number) else node.value

    def sequence(self, node: SequenceNode, path: DocPath, depth: int) -> list[Any]:
        self.check_tag(node, path, f"{_TAG}seq")
        items = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            self.doc.lines[item_path] = item.start_mark.line + 1
            items.append(self.walk(item, item_path, depth + 1))
        return items

    def mapping(self, node: MappingNode, path: DocPath, depth: int) -> dict[str, Any]:
        self.check_tag(node, path, f"{_TAG}map")
        result: dict[str, Any] = {}
        # Merge keys (<<: *defaults) first: explicit keys override them without complaint.
        for source in self.merge_sources(node, path):
            merged = self.walk(source, path, depth + 1)
            for key, value in merged.items() if isinstance(merged, dict) else ():
                result.setdefault(key, value)
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == f"{_TAG}merge":
                continue
            if not isinstance(key_node, ScalarNode):
                self.doc.report(path, "a field name must be a plain word, not a list or a block", line)
                continue
            key = str(key_node.value)
            key_path = (*path, key)
            if key in seen:
                self.doc.report(
                    key_path, f"this field appears twice (also on line {seen[key]}); keep only one", line
                )
            seen[key] = line
            self.doc.lines[key_path] = line
            result[key] = self.walk(value_node, key_path, depth + 1)
        return result

    def merge_sources(self, node: MappingNode, path: DocPath) -> Iterator[MappingNode]:
        for key_node, value_node in node.value:
            if key_node.tag != f"{_TAG}merge":
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, MappingNode) and id(source) not in self.active:
                    yield source
                else:
                    line = key_node.start_mark.line + 1
                    self.doc.report(path, "'<<' must refer to a block of fields (&name)", line)
