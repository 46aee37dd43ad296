"""Reads used by core views, exports and the API, one module per area."""
