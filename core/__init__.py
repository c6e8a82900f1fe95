"""The ward's rules as plain Python: domain types, services and ports."""
