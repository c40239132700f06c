"""iCalendar building for invites and feeds. Pure: objects in, text out."""
