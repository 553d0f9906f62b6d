"""One exception hierarchy; the CLI maps it to exit codes (2 = bad input/usage)."""
from __future__ import annotations


class EtomKgError(Exception):
    """Base of every error etom-kg raises on purpose."""

    exit_code = 2


class InputError(EtomKgError):
    """A file or text given by the user cannot be read.

    ``str(err)`` is one line: ``FILE[:LINE[:COLUMN]]: what is wrong``.
    """

    def __init__(self, message: str, *, path=None, line: int | None = None,
                 column: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.reason = " ".join(str(message).split())  # always one line
        where = self.path or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {self.reason}")


class InvalidProcessId(EtomKgError, ValueError):
    """A string is not a process ID of the form ``aaaaaa.b.x.c.d.e`` (clause 5.2)."""

    def __init__(self, text: str, reason: str, position: int | None = None):
        self.text = text
        self.reason = reason
        self.position = position
        where = "" if position is None else f" at character {position + 1}"
        super().__init__(f"invalid process ID {text!r}{where}: {reason}")


class UnknownProcess(EtomKgError, KeyError):
    """A well-formed process ID that the graph does not contain."""

    def __init__(self, process_id: str):
        self.process_id = process_id
        super().__init__(process_id)

    def __str__(self) -> str:
        return f"process {self.process_id} not found in the graph"


class UsageError(EtomKgError):
    """A command or API call was given wrong arguments (unknown query, parameter...)."""
