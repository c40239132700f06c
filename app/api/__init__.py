"""JSON API, version 1: the public catalogue, described by an OpenAPI 3 document."""
