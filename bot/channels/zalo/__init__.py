"""The Zalo channel, through the Zalo Bot Platform's HTTP API."""
