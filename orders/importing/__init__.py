"""Import the platform's exports (订单报表, 宝贝报表) into the helpdesk.

reading → columns → records/parsing/addresses → seen (duplicates) → upsert, orchestrated
by run.import_file in one transaction; report holds what the command and page show."""

from .errors import ImportFatal
from .report import ImportReport
from .run import import_file

__all__ = ["ImportFatal", "ImportReport", "import_file"]
