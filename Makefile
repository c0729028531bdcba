# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Shortcuts for the scripts in scripts/: `make demo`, `make test`, `make bench`; the Debian package: `make package`,
# and `make package-test` installs it into a clean Debian 12 root and runs it there (packaging/install-test.sh).
.PHONY: demo test build bench package package-test format clean

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

build:
	./scripts/install-deps.sh
	./scripts/build.sh

bench: build
	./tests/bench/run.sh

package: build
	cd build && cpack -G DEB

package-test: build
	./packaging/install-test.sh build

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
