# The two set-up commands of the README: `make demo` and `make test`.
# Both install missing Debian packages, then configure and build incrementally.
.PHONY: deps configure build demo test bench format clean

deps:
	./scripts/install-deps.sh

build/build.ninja: | deps
	cmake --preset release

configure: build/build.ninja

build: deps configure
	cmake --build --preset release

demo: build
	./build/app/peakwatch-cli demo

test: build
	ctest --preset release

bench: build
	cmake --build --preset release --target benchmarks
	./tests/bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
