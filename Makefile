# Conveniences; the scripts are the source of truth.
.PHONY: demo test conformance lint format

demo:
	./scripts/demo

test:
	./scripts/test

conformance:
	swift build && ./scripts/conformance

lint:
	swift format lint --strict --recursive Sources Tests

format:
	swift format format --in-place --recursive Sources Tests
