#!/usr/bin/env python3
"""Time to the first streamed byte, straight from an upstream and through gatewayd.

usage: bench/stream-ttfb.py DIRECT_URL GATEWAY_URL UPSTREAM_MODEL GATEWAY_MODEL KEY [CALLS]

Both URLs are chat completion endpoints. Calls alternate between the two on
one keep-alive connection each, so that drift on a shared machine hits both
alike. A call's time is from sending the request to receiving the first
byte of the body (the first SSE event), then the rest is read to the end.
Prints the median, p90 and p99 of each and the gateway's difference.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def connect(url):
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port), parts.path


def first_byte_ms(conn, path, model, key):
    body = json.dumps({"model": model, "stream": True, "max_tokens": 64,
                       "messages": [{"role": "user", "content": "Say hello."}]})
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}
    start = time.perf_counter()
    conn.request("POST", path, body, headers)
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}: {response.read()[:200]!r}")
    first = response.read1(65536)
    elapsed = (time.perf_counter() - start) * 1000.0
    if not first:
        raise SystemExit(f"{path}: empty stream")
    response.read()
    return elapsed


def summary(values):
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return statistics.median(ordered), pick(0.90), pick(0.99)


def main():
    if len(sys.argv) < 6:
        raise SystemExit(__doc__)
    direct_url, gateway_url, upstream_model, gateway_model, key = sys.argv[1:6]
    calls = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    direct, direct_path = connect(direct_url)
    gateway, gateway_path = connect(gateway_url)
    for _ in range(10):  # warm both connections and the gateway's upstream one
        first_byte_ms(direct, direct_path, upstream_model, key)
        first_byte_ms(gateway, gateway_path, gateway_model, key)
    d, g = [], []
    for _ in range(calls):
        d.append(first_byte_ms(direct, direct_path, upstream_model, key))
        g.append(first_byte_ms(gateway, gateway_path, gateway_model, key))
    dm, d90, d99 = summary(d)
    gm, g90, g99 = summary(g)
    print(f"{'first byte (ms)':<16}{'p50':>8}{'p90':>8}{'p99':>8}")
    print(f"{'direct':<16}{dm:8.3f}{d90:8.3f}{d99:8.3f}")
    print(f"{'gateway':<16}{gm:8.3f}{g90:8.3f}{g99:8.3f}")
    print(f"RESULT ttfb_direct_p50_ms={dm:.3f} ttfb_gateway_p50_ms={gm:.3f} added_p50_ms={gm - dm:.3f} "
          f"added_p90_ms={g90 - d90:.3f} calls={calls}")


if __name__ == "__main__":
    main()
