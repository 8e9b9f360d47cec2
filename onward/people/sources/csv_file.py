"""People from a CSV file: a header row naming IMPORT_COLUMNS in any order, then one person a row.

Line numbers are the ones a person sees in a spreadsheet or text editor: the header is line 1, and a
row whose quoted cell runs over several lines is found at the line it starts on. Blank rows are skipped.
"""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from onward.people.sources import (
    IMPORT_COLUMNS,
    KEY_COLUMNS,
    REQUIRED_COLUMNS,
    SourceProblem,
    SourceRecord,
    SourceRefused,
)


class CsvPersonSource:
    """A CSV file's bytes as records. Refuses a file over `max_bytes`, not UTF-8, or with the wrong columns."""

    def __init__(self, content: bytes, *, description: str, max_bytes: int) -> None:
        self.content = content
        self.description = description
        self.max_bytes = max_bytes

    def records(self) -> Iterator[SourceRecord]:
        reader = csv.reader(io.StringIO(self._text(), newline=""))
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise SourceRefused([_unreadable(1, error)]) from None
        columns = self._columns(header)
        last_line = reader.line_num
        while True:
            start = last_line + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise SourceRefused([_unreadable(reader.line_num, error)]) from None
            last_line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            problems: tuple[SourceProblem, ...] = ()
            if len(cells) > len(columns):
                problems = (
                    SourceProblem(
                        start,
                        "",
                        _("This row has %(cells)s cells but the header names %(columns)s columns.")
                        % {"cells": len(cells), "columns": len(columns)},
                    ),
                )
            values = {column: (cells[i] if i < len(cells) else "").strip() for i, column in enumerate(columns)}
            yield SourceRecord(start, values, problems)

    def _text(self) -> str:
        if len(self.content) > self.max_bytes:
            raise SourceRefused(
                [
                    SourceProblem(
                        None,
                        "",
                        _("The file is too big: it can be up to %(mb)s MB. Split it into smaller files.")
                        % {"mb": _megabytes(self.max_bytes)},
                    )
                ]
            )
        try:
            return self.content.decode("utf-8-sig")  # "-sig": a byte order mark from Excel is allowed
        except UnicodeDecodeError as error:
            line = self.content[: error.start].count(b"\n") + 1
            message = _(
                "The file is not saved as UTF-8 (there is a character we cannot read on line %(line)s). "
                "In your spreadsheet, choose Save as, then 'CSV UTF-8', and upload it again."
            ) % {"line": line}
            raise SourceRefused([SourceProblem(line, "", message)]) from None

    def _columns(self, header: list[str] | None) -> list[str]:
        if header is None or not any(cell.strip() for cell in header):
            raise SourceRefused([SourceProblem(1, "", _("The file is empty. The first line must name the columns."))])
        columns = [cell.strip().lower() for cell in header]
        problems = []
        seen: set[str] = set()
        for column in columns:
            if column not in IMPORT_COLUMNS:
                problems.append(
                    SourceProblem(
                        1,
                        column,
                        _("We do not know the column “%(column)s”. The columns we know are: %(known)s.")
                        % {"column": column, "known": ", ".join(IMPORT_COLUMNS)},
                    )
                )
            elif column in seen:
                problems.append(
                    SourceProblem(1, column, _("The column “%(column)s” is there twice.") % {"column": column})
                )
            seen.add(column)
        for column in REQUIRED_COLUMNS:
            if column not in seen:
                problems.append(
                    SourceProblem(1, column, _("The file needs a column called “%(column)s”.") % {"column": column})
                )
        if not seen & set(KEY_COLUMNS):
            problems.append(
                SourceProblem(1, "prison_number", _("The file needs a prison_number column, a crn column, or both."))
            )
        if problems:
            raise SourceRefused(problems)
        return columns


def _unreadable(line: int, error: csv.Error) -> SourceProblem:
    return SourceProblem(
        line,
        "",
        _("We cannot read the file from line %(line)s: check its quotation marks.") % {"line": line},
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
