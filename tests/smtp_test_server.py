#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
"""A real SMTP server on loopback for the e-mail alert tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_test_server.py --dir DIR --user USER --password PASSWORD [--defer ADDRESS=N]... [--reject ADDRESS]...
                           [--defer-data N]...

Listens on 127.0.0.1 on a free port and prints that port on a line of its own once it takes connections. Takes
AUTH PLAIN and LOGIN, without TLS (loopback), against USER and PASSWORD, and refuses mail without them (530).
A recipient given with --defer ADDRESS=N is answered 451 for its first N RCPT commands and then taken; one given
with --reject ADDRESS is always answered 550. The Nth message sent (counting from 1, refused ones too) is answered
451 when given with --defer-data N. A line longer than 998 octets in a message is refused (500).

Every message taken is written to DIR as NNNN.eml, as it came, and as NNNN.json, as Python's email module reads
it: when it came (ms since the epoch), the client's port (one per connection), the envelope, the user who logged in, the headers decoded (RFC 2047), the content type of each part, the text
of the text/plain and text/html parts (their transfer encoding undone, lines ending in LF), whether the file holds only ASCII with
CRLF line ends, and its longest line. The .json is written last, and by rename: once it is there, both are whole.
The server ends when its standard input closes.
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import json
import os
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory, defer, reject, defer_data):
        self.directory = directory
        self.defer = defer
        self.reject = reject
        self.defer_data = defer_data
        self.count = 0
        self.data_commands = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        if key in self.reject:
            return f'550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table'
        if self.defer.get(key, 0) > 0:
            self.defer[key] -= 1
            return f'451 4.3.0 <{address}>: Temporary lookup failure, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.data_commands in self.defer_data:
            return '451 4.3.0 Error: queue file write error, try again later'
        self.count += 1
        raw = envelope.original_content
        base = os.path.join(self.directory, f'{self.count:04d}')
        with open(base + '.eml', 'wb') as f:
            f.write(raw)
        record = describe(raw)
        record['received_at_ms'] = int(time.time() * 1000)
        record['client_port'] = session.peer[1]
        record['mail_from'] = envelope.mail_from
        record['rcpt_tos'] = envelope.rcpt_tos
        login = getattr(session.auth_data, 'login', None)
        record['login'] = login.decode('utf-8', 'replace') if isinstance(login, bytes) else login
        with open(base + '.json.part', 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False, indent=1)
        os.replace(base + '.json.part', base + '.json')
        return '250 2.0.0 Ok: queued'


def describe(raw):
    """What a mail reader sees of a message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name in message.keys():
        # str() of a header under the default policy is its value with RFC 2047 undone.
        headers[name] = str(message[name])
    parts = []
    texts = {}
    for part in message.walk():
        parts.append({'content_type': part.get_content_type(),
                      'charset': part.get_content_charset(),
                      'transfer_encoding': part.get('Content-Transfer-Encoding')})
        if part.get_content_maintype() == 'text':
            texts[part.get_content_type()] = part.get_content().replace('\r\n', '\n')
    lines = raw.split(b'\n')
    return {
        'headers': headers,
        'header_defects': [str(d) for d in message.defects],
        'parts': parts,
        'text': texts.get('text/plain'),
        'html': texts.get('text/html'),
        'ascii_only': all(b < 128 for b in raw),
        'crlf_only': all(line.endswith(b'\r') for line in lines[:-1]) and lines[-1] == b'',
        'longest_line': max(len(line.rstrip(b'\r')) for line in lines),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dir', required=True)
    parser.add_argument('--user', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--defer', action='append', default=[], metavar='ADDRESS=N')
    parser.add_argument('--reject', action='append', default=[], metavar='ADDRESS')
    parser.add_argument('--defer-data', action='append', default=[], type=int, metavar='N')
    args = parser.parse_args()

    defer = {}
    for item in args.defer:
        address, _, count = item.rpartition('=')
        defer[address.lower()] = int(count)
    recorder = Recorder(args.dir, defer, {a.lower() for a in args.reject}, set(args.defer_data))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == args.user.encode() and auth_data.password == args.password.encode())
        # handled=False: the server itself answers a refusal, 535 5.7.8.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    # Loopback only: AUTH without TLS is what this test server is for.
    warnings.simplefilter('ignore')
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(recorder, hostname='smtp.test', authenticator=authenticator, auth_required=True,
                    auth_require_tls=False, loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, host='127.0.0.1', port=0))
    print(server.sockets[0].getsockname()[1], flush=True)

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()


if __name__ == '__main__':
    main()
