"""The development mailbox: every queued mail in the browser. Registered only in development."""
