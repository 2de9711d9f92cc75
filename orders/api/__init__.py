"""The orders REST API: one view per operation, each with its input and output serializers."""
