"""What goes in and out of a home: imports, CSV, reports, exports and backups."""
