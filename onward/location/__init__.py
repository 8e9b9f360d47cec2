"""Location maths in metres: fixes from phones against addresses (and, later, zones)."""
