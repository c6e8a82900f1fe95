"""Open311 GeoReport v2 at `/open311/v2/`: the city's systems read reports and file them."""
