"""Every spreadsheet the helpdesk reads or writes goes through this package: ``reading``
(CSV and XLSX imports: encoding, size guards, line numbers) and ``writing`` (CSV and XLSX
exports whose text cells can never run as formulas). docs/spreadsheets.md explains both."""
