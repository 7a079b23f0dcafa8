"""The device file: reading, importing, exporting, and seeding a fresh install."""
