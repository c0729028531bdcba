#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
"""An independent AWS Signature Version 4 written from the spec with hashlib/hmac only, to obtain the
known answers tst_aws checks peakwatch's C++ signer against (the MSK IAM token's signature).

It first reproduces two published answers (the SigV4 test suite's get-vanilla and the S3 docs' presigned
GET object example), then prints the MSK token known answers. Run: python3 sigv4_reference.py
"""
import base64
import hashlib
import hmac
from urllib.parse import quote

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"


def enc(text, slash=True):
    return quote(text, safe="" if slash else "/", encoding="utf-8").replace("%7E", "~")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def mac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(secret, amz_date, region, service, creq):
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, sha256_hex(creq.encode("utf-8"))])
    key = mac(mac(mac(mac(("AWS4" + secret).encode("utf-8"), amz_date[:8]), region), service), "aws4_request")
    return sts, hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_query(pairs):
    return "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in pairs))


def presign(access_key, secret, token, region, service, host, path, query, amz_date, expires, payload_hash):
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    params = list(query) + [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    if token:
        params.append(("X-Amz-Security-Token", token))
    creq = "\n".join(["GET", enc(path, slash=False), canonical_query(params), f"host:{host}", "", "host", payload_hash])
    _, signature = sign(secret, amz_date, region, service, creq)
    ordered = "&".join(f"{enc(k)}={enc(v)}" for k, v in params)
    return f"https://{host}{enc(path, slash=False)}?{ordered}&X-Amz-Signature={signature}", signature


# Published answer 1: the SigV4 test suite, get-vanilla.
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
creq = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + sha256_hex(b"")
assert sign(SUITE_SECRET, "20150830T123600Z", "us-east-1", "service", creq)[1] == \
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

# Published answer 2: the S3 docs' presigned URL for GET examplebucket/test.txt.
S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
_, s3sig = presign("AKIAIOSFODNN7EXAMPLE", S3_SECRET, None, "us-east-1", "s3", "examplebucket.s3.amazonaws.com",
                   "/test.txt", [], "20130524T000000Z", 86400, "UNSIGNED-PAYLOAD")
assert s3sig == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

# The MSK IAM token known answers: 2026-11-27T05:00:00Z, eu-west-1, the S3 docs' example key.
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/session+token=="
for name, token in (("long-term key", None), ("session token", TOKEN)):
    url, signature = presign("AKIAIOSFODNN7EXAMPLE", S3_SECRET, token, "eu-west-1", "kafka-cluster",
                             "kafka.eu-west-1.amazonaws.com", "/", [("Action", "kafka-cluster:Connect")],
                             "20261127T050000Z", 900, sha256_hex(b""))
    url += "&User-Agent=" + enc("peakwatch/0.1.0")
    print(f"{name}: signature {signature}")
    print(f"{name}: token {base64.urlsafe_b64encode(url.encode()).decode().rstrip('=')}")
