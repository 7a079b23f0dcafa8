"""The pure core: bands, coverage, fit and claim checking. No web or database imports."""
