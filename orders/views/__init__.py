"""Pages of the orders app: thin callers of selectors and services."""
