"""Template tags of the initiatives app, one module per area (initiatives_<area>)."""
