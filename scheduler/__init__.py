"""Time: the outbox dispatcher, its pacing, and (later) reminder planning and periodic jobs."""
