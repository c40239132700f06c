"""The programme: events and topics, the catalogue and its cache, programme changes, CSV import,
`flask events` and `flask topics`, the demo data, and their public and back-office pages."""
