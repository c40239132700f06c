"""Messages from organisers to the participants of an event: recipients, preview, outbox, log."""
