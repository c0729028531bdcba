# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Shortcuts for the scripts in scripts/: `make demo`, `make test`, `make bench`.
.PHONY: demo test build bench format clean

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

build:
	./scripts/install-deps.sh
	./scripts/build.sh

bench: build
	./tests/bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
