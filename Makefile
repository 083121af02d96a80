# Conveniences; the scripts are the source of truth.
.PHONY: demo test conformance openapi bench lint format

demo:
	./scripts/demo

test:
	./scripts/test

conformance:
	swift build && ./scripts/conformance

openapi:
	swift build && ./scripts/openapi-check

bench:
	./bench/run

lint:
	swift format lint --strict --recursive Sources Tests

format:
	swift format format --in-place --recursive Sources Tests
