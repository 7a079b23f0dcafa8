"""The thin web layer: controllers that parse input, call the core and queries, render."""
