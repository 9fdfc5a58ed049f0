"""The patient's appointments pages: the list and one appointment (`appointments`), and booking
(`booking`)."""
