"""Process identifiers of ГОСТ Р 53633.3-2009, clause 5.2: ``aaaaaa.b.x.c.d.e``.

* ``aaaaaa`` — optional organisation prefix: exactly six digits, put by an
  operator in front of a *complete* ID of a standard element it extends or
  changes (``123456.1.1.1.5``);
* ``b`` — developer: 1 = TM Forum, 2 = any other developer;
* ``x`` — process area: 1 OPS, 2 SIP, 3 EM;
* ``c``, ``d``, ``e`` — level-1 grouping, level-2 element, level-3 element:
  positive integers without leading zeros, any number of digits (``1.1.1.10``).

The level is the number of components after the prefix minus two: ``1.1`` is
a level-0 area, ``1.1.1`` a level-1 grouping, ``1.1.1.5`` a level-2 element,
``1.1.1.5.3`` a level-3 element.

Deeper levels (4 and more, ``1.1.1.5.3.2``) are not defined by the standard.
Policy: they are *accepted* here as a documented extension (operators
decompose further), :attr:`ProcessId.beyond_standard` is true for them, and
the shipped SHACL shapes report them as a Warning, never as a Violation.

Pure Python, no RDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import re

from .errors import InvalidProcessId

_DIGITS = re.compile(r"(\d+)")

PREFIX_DIGITS = 6
DEVELOPERS = {1: "TM Forum", 2: "other developer"}
AREAS = {1: "OPS", 2: "SIP", 3: "EM"}
STANDARD_MAX_LEVEL = 3  # clause 5.2 names components up to e (level 3)
COMPONENT_NAMES = ("developer", "area", "group", "element", "sub-element")


@dataclass(frozen=True, order=False)
class ProcessId:
    """A parsed process ID. Build one with :meth:`parse`; ``str(pid)`` formats it back."""

    developer: int
    area: int
    path: tuple[int, ...] = ()          # c, d, e, ... (possibly empty for a level-0 area)
    prefix: str | None = None           # six digits, or None
    _text: str = field(default="", compare=False, repr=False)

    def __post_init__(self):
        # Direct construction must obey the same grammar as parse().
        text = _format(self.prefix, self.developer, self.area, self.path)
        parse(text)  # raises InvalidProcessId for out-of-grammar components
        object.__setattr__(self, "path", tuple(self.path))
        object.__setattr__(self, "_text", text)

    # -- construction -----------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> "ProcessId":
        """Parse ``text`` (strictly: no spaces, no leading zeros) or raise InvalidProcessId."""
        return parse(text)

    # -- views ------------------------------------------------------------------
    def __str__(self) -> str:
        return self._text

    @property
    def components(self) -> tuple[int, ...]:
        """The numeric components after the prefix: (b, x, c, d, e, ...)."""
        return (self.developer, self.area, *self.path)

    @property
    def level(self) -> int:
        """0 for an area, 1 for a level-1 grouping, 2 and 3 for elements (4+ = extension)."""
        return len(self.path)

    @property
    def group(self) -> int | None:
        """The level-1 grouping number c, if any."""
        return self.path[0] if len(self.path) > 0 else None

    @property
    def element(self) -> int | None:
        """The level-2 element number d, if any."""
        return self.path[1] if len(self.path) > 1 else None

    @property
    def sub_element(self) -> int | None:
        """The level-3 element number e, if any."""
        return self.path[2] if len(self.path) > 2 else None

    @property
    def is_standard(self) -> bool:
        """True for IDs reserved for the standard itself: developer 1 and no prefix."""
        return self.developer == 1 and self.prefix is None

    @property
    def beyond_standard(self) -> bool:
        """True below level 3: accepted, but outside what clause 5.2 defines."""
        return self.level > STANDARD_MAX_LEVEL

    @property
    def unprefixed(self) -> "ProcessId":
        """The same ID without its organisation prefix (the standard element it modifies)."""
        if self.prefix is None:
            return self
        return ProcessId(self.developer, self.area, self.path)

    @property
    def parent(self) -> "ProcessId | None":
        """The ID less its last component (same prefix and developer); None at level 0."""
        if not self.path:
            return None
        return ProcessId(self.developer, self.area, self.path[:-1], self.prefix)

    def ancestors(self) -> list["ProcessId"]:
        """Parent, grandparent, ... up to the level-0 area."""
        out, current = [], self.parent
        while current is not None:
            out.append(current)
            current = current.parent
        return out

    def accepts_parent(self, other: "ProcessId") -> bool:
        """Whether ``other`` may be the ``skos:broader`` of this element.

        The area/grouping path of ``other`` must be this path less its last
        component; a developer-1 element may not sit under a developer-2 one
        (a developer-2 element may sit under either); a prefixed element may
        sit under an unprefixed element or one with the same prefix, an
        unprefixed element only under an unprefixed one.
        """
        if not self.path:
            return False
        if (other.area, other.path) != (self.area, self.path[:-1]):
            return False
        if other.developer > self.developer:
            return False
        return other.prefix is None or other.prefix == self.prefix

    def sort_key(self) -> tuple:
        """Natural order: numerically by component (1.1.1.9 < 1.1.1.10); a prefixed
        element right after the standard element it modifies."""
        return (self.components, self.prefix or "")

    def __lt__(self, other: "ProcessId") -> bool:
        if not isinstance(other, ProcessId):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other):
        if not isinstance(other, ProcessId):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other):
        if not isinstance(other, ProcessId):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other):
        if not isinstance(other, ProcessId):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    def __repr__(self) -> str:
        return f"ProcessId({str(self)!r})"


def _format(prefix, developer, area, path) -> str:
    parts = [str(developer), str(area), *map(str, path)]
    if prefix is not None:
        parts.insert(0, str(prefix))
    return ".".join(parts)


def parse(text: str) -> ProcessId:
    """Parse a process ID; raise :class:`InvalidProcessId` saying what is wrong and where."""
    if not isinstance(text, str):
        raise InvalidProcessId(repr(text), f"expected a string, got {type(text).__name__}")
    if text == "":
        raise InvalidProcessId(text, "empty identifier")
    # Split by hand to know each component's position in the text.
    pieces: list[tuple[int, str]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch == ".":
            pieces.append((start, text[start:i]))
            start = i + 1
        elif not ("0" <= ch <= "9"):
            what = "a space" if ch.isspace() else f"character {ch!r}"
            raise InvalidProcessId(text, f"{what} is not allowed; an ID is numbers "
                                         "separated by dots", i)
    pieces.append((start, text[start:]))
    for pos, piece in pieces:
        if piece == "":
            raise InvalidProcessId(text, "empty component (two dots in a row, or a dot "
                                         "at the start or end)", pos)

    prefix = None
    if len(pieces[0][1]) == PREFIX_DIGITS:
        prefix = pieces[0][1]
        pieces = pieces[1:]
        if len(pieces) < 2:
            raise InvalidProcessId(text, "an organisation prefix must be followed by a "
                                         "complete ID (developer.area...)",
                                   len(text) if not pieces else pieces[0][0])
    if len(pieces) < 2:
        raise InvalidProcessId(text, "too few components: an ID has at least developer "
                                     "and area (b.x), e.g. 1.1", len(text))

    numbers = []
    for index, (pos, piece) in enumerate(pieces):
        name = COMPONENT_NAMES[min(index, len(COMPONENT_NAMES) - 1)]
        if index == 0 and len(piece) > 1:
            if len(piece) != PREFIX_DIGITS and piece.isdigit() and prefix is None:
                raise InvalidProcessId(text, f"{piece!r} is neither a developer (1 or 2) "
                                             "nor a six-digit organisation prefix", pos)
        if len(piece) > 1 and piece[0] == "0":
            raise InvalidProcessId(text, f"{name} {piece!r} has a leading zero", pos)
        value = int(piece)
        if index == 0 and value not in DEVELOPERS:
            raise InvalidProcessId(text, f"developer must be 1 (TM Forum) or 2 (other), "
                                         f"not {piece}", pos)
        if index == 1 and value not in AREAS:
            raise InvalidProcessId(text, f"area must be 1 (OPS), 2 (SIP) or 3 (EM), "
                                         f"not {piece}", pos)
        if value == 0:
            raise InvalidProcessId(text, f"{name} number must be positive, not 0", pos)
        numbers.append(value)

    pid = object.__new__(ProcessId)
    object.__setattr__(pid, "developer", numbers[0])
    object.__setattr__(pid, "area", numbers[1])
    object.__setattr__(pid, "path", tuple(numbers[2:]))
    object.__setattr__(pid, "prefix", prefix)
    object.__setattr__(pid, "_text", text)
    return pid


def is_valid(text) -> bool:
    """True when ``text`` parses as a process ID."""
    try:
        parse(text)
    except InvalidProcessId:
        return False
    return True


def sort_key(text: str) -> tuple:
    """Key for sorting ID strings naturally; unparsable strings sort last, as text."""
    try:
        return (0, parse(text).sort_key())
    except InvalidProcessId:
        return (1, str(text))


def natural_key(text) -> tuple:
    """Key for sorting any identifier naturally: digit runs compare as numbers, so
    TAM 5.3.3 comes before 5.3.10, TMF621 before TMF1000, 1.1.1.2 before 1.1.1.10.

    Works for every text (process IDs, TAM/SID/ODA/Open API IDs, names); ``None``
    sorts last. Used by the tables and by the order of query results.
    """
    if text is None:
        return ((2, ""),)
    parts = _DIGITS.split(str(text))
    return tuple((0, int(p)) if i % 2 else (1, p.casefold()) for i, p in enumerate(parts)
                 if p or i == 0)


def natural_sorted(ids) -> list[str]:
    """ID strings in natural order (1.1.1.9 before 1.1.1.10)."""
    return sorted(ids, key=sort_key)


__all__ = ["ProcessId", "parse", "is_valid", "sort_key", "natural_key", "natural_sorted",
           "STANDARD_MAX_LEVEL", "AREAS", "DEVELOPERS"]
