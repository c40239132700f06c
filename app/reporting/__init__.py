"""Reporting: statistics for the ministry and participant exports (CSV, XLSX)."""
