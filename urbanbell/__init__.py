"""Urban Bell: a ward's chat bot for garbage collection, reports and volunteers."""
