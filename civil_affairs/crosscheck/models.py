"""Models arrive with the cross-check issue."""
