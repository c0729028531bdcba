#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
"""Builds the Debian package from a build tree and checks that it installs and runs (the CTest package_check).

1. cpack -G DEB into a fresh directory;
2. apt-get --simulate installs it: every package its Depends names can be installed here;
3. what the programs load at run time (the SQLite driver, the SVG plugins, the xcb platform) belongs to a
   package of its Depends or one they depend on, directly or further down;
4. its files: both programs, a man page each and one per command, the bash completion, the desktop entry, the
   AppStream metainfo, the icons, the copyright file and the changelog;
5. the programs unpacked from it run: peakwatch-cli --version and analyze on a webhook, peakwatch --version;
6. lintian finds no error and no warning; appstreamcli validates the unpacked tree.
Usage: check-package.py BUILD_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

PLUGINS = ['sqldrivers/libqsqlite.so', 'iconengines/libqsvgicon.so', 'imageformats/libqsvg.so', 'platforms/libqxcb.so']
COMMANDS = ['broker', 'analyze', 'simulate', 'gateway', 'demo', 'doctor', 'msk-token', 'profile', 'topics', 'consume', 'produce', 'lag', 'filter']
WEBHOOK = ('{"id":8841726390317,"title":"Fleece Hoodie","handle":"fleece-hoodie","updated_at":"2026-11-27T05:00:00Z",'
           '"variants":[{"id":44120001,"price":"24.00","inventory_quantity":5}]}\n')
failures = []


def check(condition, what):
    print(('ok: ' if condition else 'FAIL: ') + what)
    if not condition:
        failures.append(what)


def run(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, **kwargs)


def depends_closure(names):
    """The packages `names` pull in, by Depends and Pre-Depends, as dpkg knows them on this machine."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        status = run('dpkg-query', '-W', '-f=${Depends}, ${Pre-Depends}', name)
        if status.returncode != 0:
            continue
        for alternative in status.stdout.split(','):
            for candidate in alternative.split('|'):  # any alternative may be the one installed
                candidate = re.sub(r'\(.*?\)|:any', '', candidate).strip()
                if candidate:
                    todo.append(candidate)
    return seen


def main():
    build = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix='peakwatch-package-')
    try:
        made = run('cpack', '-G', 'DEB', '-B', work, cwd=build)
        debs = glob.glob(os.path.join(work, '*.deb'))
        check(made.returncode == 0 and len(debs) == 1, 'cpack -G DEB makes one package' +
              ('' if made.returncode == 0 else ': ' + made.stdout[-2000:] + made.stderr[-2000:]))
        if not debs:
            return 1
        deb = debs[0]
        print('package:', os.path.basename(deb), os.path.getsize(deb) // 1024, 'KiB')

        fields = run('dpkg-deb', '-f', deb, 'Depends', 'Recommends', 'Suggests').stdout
        print(fields.strip())
        depends = fields.split('\n', 1)[0].removeprefix('Depends:').strip()
        names = [re.sub(r'\(.*?\)', '', a.split('|')[0]).strip() for a in depends.split(',') if a.strip()]
        for needed in ('libqt6sql6-sqlite', 'libqt6svg6', 'libqt6widgets6', 'libqt6keychain1', 'librdkafka1',
                       'libqt6dbus6', 'dbus'):
            check(needed in names, f'Depends names {needed}')

        simulated = run('apt-get', '--simulate', '-q', 'install', deb)
        check(simulated.returncode == 0, 'apt-get --simulate installs it' +
              ('' if simulated.returncode == 0 else ': ' + simulated.stdout[-1500:] + simulated.stderr[-1500:]))

        closure = depends_closure(names)
        plugin_dir = run('qtpaths6', '--query', 'QT_INSTALL_PLUGINS').stdout.strip()
        for plugin in PLUGINS:
            owner = run('dpkg', '-S', os.path.join(plugin_dir, plugin)).stdout.split(':')[0]
            check(owner in closure, f'{plugin} ({owner or "no package"}) comes with the Depends')

        root = os.path.join(work, 'root')
        check(run('dpkg-deb', '-x', deb, root).returncode == 0, 'dpkg-deb unpacks it')
        expected = ['usr/bin/peakwatch', 'usr/bin/peakwatch-cli',
                    'usr/share/man/man1/peakwatch.1.gz', 'usr/share/man/man1/peakwatch-cli.1.gz',
                    'usr/share/bash-completion/completions/peakwatch-cli',
                    'usr/share/applications/io.github.peakwatch.Peakwatch.desktop',
                    'usr/share/metainfo/io.github.peakwatch.Peakwatch.metainfo.xml',
                    'usr/share/icons/hicolor/scalable/apps/peakwatch.svg',
                    'usr/share/icons/hicolor/48x48/apps/peakwatch.png',
                    'usr/share/doc/peakwatch/copyright', 'usr/share/doc/peakwatch/changelog.gz']
        expected += [f'usr/share/man/man1/peakwatch-cli-{c}.1.gz' for c in COMMANDS]
        for path in expected:
            check(os.path.isfile(os.path.join(root, path)), f'the package holds /{path}')

        for page in sorted(glob.glob(os.path.join(root, 'usr/share/man/man1/*.1.gz'))):
            rendered = run('sh', '-c', f'zcat "{page}" | groff -man -Tutf8 -ww -z')
            check(rendered.returncode == 0 and not rendered.stderr.strip(),
                  f'{os.path.basename(page)} renders without a groff warning {rendered.stderr.strip()[:300]}')

        cli = os.path.join(root, 'usr/bin/peakwatch-cli')
        version = run(cli, '--version')
        check(version.returncode == 0 and version.stdout.startswith('peakwatch-cli '),
              f'the unpacked peakwatch-cli runs: {version.stdout.strip()}')
        analyzed = run(cli, 'analyze', '--input', '-', '--max-ahead', '0', input=WEBHOOK)
        check(analyzed.returncode == 0 and '"product_id":8841726390317' in analyzed.stdout,
              'the unpacked peakwatch-cli analyzes a products/update webhook')
        desktop = run(os.path.join(root, 'usr/bin/peakwatch'), '--version',
                      env=dict(os.environ, QT_QPA_PLATFORM='offscreen'))
        check(desktop.returncode == 0 and desktop.stdout.startswith('peakwatch '),
              f'the unpacked peakwatch runs: {desktop.stdout.strip()}')

        tree = run('appstreamcli', 'validate-tree', '--no-net', root)
        check(tree.returncode == 0, 'appstreamcli validate-tree accepts the unpacked tree ' + tree.stdout[-800:])

        lintian = run('lintian', '--fail-on', 'error,warning', '--tag-display-limit', '0', deb)
        check(lintian.returncode == 0, 'lintian finds no error and no warning' +
              ('' if lintian.returncode == 0 else ':\n' + lintian.stdout + lintian.stderr))
        if lintian.stdout.strip():
            print(lintian.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
