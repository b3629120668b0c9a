"""Messages: the outbox, mail rendering with calendar files, and scheduled jobs."""
