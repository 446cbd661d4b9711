"""`sevbook import statuspage|cstate`: bring another status page's history into the repository.

Each source module reads its files into the plain records of `records.py` (services,
incidents, maintenance, and notes on what could not be mapped); `write.py` turns records into
Markdown files with frontmatter and writes them without ever overwriting an edited file;
`report.py` is what the command prints.
"""

from __future__ import annotations

from .records import Imported, Note, Record, ServiceRecord, UpdateRecord
from .report import ImportReport
from .write import write_import

__all__ = ["ImportReport", "Imported", "Note", "Record", "ServiceRecord", "UpdateRecord",
           "write_import"]
