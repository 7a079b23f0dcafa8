"""The data layer's foundation: the engine, the tables and the reference data."""
