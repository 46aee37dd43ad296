"""Core forms, one module per area; base.py holds the NFC/date plumbing."""
