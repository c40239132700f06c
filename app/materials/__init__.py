"""Materials of an event: files and links organisers attach (slides, the minutes), public or
for participants only, the checks of uploaded files, their storage, and the mail about them."""
