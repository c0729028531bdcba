#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
"""Fails when a lower layer of Peakwatch includes a header of a higher one.

Each folder of core/ is a subsystem (and a library); a subsystem may include its own headers and those of the
subsystems below it, as DESIGN.md draws them. simulator/ sits on the core; ui/ and app/ on everything. Includes
are by file name ("kafka_consumer.h"), so each is resolved to the folder that holds that header.
Usage: check-layers.py [SOURCE_DIR]
"""
import os
import re
import sys

ALLOWED = {
    'core/base': set(),
    'core/engine': {'core/base'},
    'core/connect': {'core/base'},
    'core/kafka': {'core/base', 'core/engine', 'core/connect'},
    'core/alerts': {'core/base', 'core/engine', 'core/connect', 'core/kafka'},
    'core/gateway': {'core/base', 'core/engine', 'core/connect', 'core/kafka'},
    'core/browse': {'core/base', 'core/engine', 'core/connect', 'core/kafka'},
    'simulator': {'core/base', 'core/engine', 'core/connect', 'core/kafka', 'core/gateway'},
}
SCANNED = ('core', 'simulator', 'ui', 'app')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def folder_of(path, root):
    return os.path.relpath(os.path.dirname(path), root).replace(os.sep, '/')


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
    sources, home = [], {}
    for top in SCANNED:
        for directory, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith(('.h', '.cpp')):
                    path = os.path.join(directory, name)
                    sources.append(path)
                    if name.endswith('.h'):
                        if name in home:
                            print(f'{name} is in both {home[name]}/ and {folder_of(path, root)}/: '
                                  'includes by name cannot tell them apart')
                            return 1
                        home[name] = folder_of(path, root)
    for folder in ALLOWED:
        if not os.path.isdir(os.path.join(root, folder)):
            print(f'{folder}/ is missing: the layers this check knows are {", ".join(sorted(ALLOWED))}')
            return 1
    problems = []
    for path in sorted(sources):
        folder = folder_of(path, root)
        allowed = ALLOWED.get(folder)
        if allowed is None:
            continue  # ui/ and app/ may include any layer
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for header in INCLUDE.findall(text):
            target = home.get(os.path.basename(header))
            if target is None or target == folder or target in allowed:
                continue
            problems.append(f'{os.path.relpath(path, root)} includes {header} ({target}/): {folder}/ may include '
                            + (', '.join(sorted(allowed)) if allowed else 'only its own headers'))
    for problem in problems:
        print(problem)
    print(f'{len(sources)} files, {len(problems)} includes against the layers')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
