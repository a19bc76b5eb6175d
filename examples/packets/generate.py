#!/usr/bin/env python3
"""Writes the example frames in this folder as hex text (16 bytes a line). Run from this folder."""
import struct


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff


def eth(ethertype):
    return bytes.fromhex('020000000002') + bytes.fromhex('020000000001') + struct.pack('!H', ethertype)


def ip(proto, payload, src=(10, 0, 0, 1), dst=(10, 0, 0, 2)):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, bytes(src), bytes(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def tcp(sport, dport):
    return struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, 0x02, 65535, 0, 0)


def udp(sport, dport, data=b'hello'):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data


FRAMES = {
    'tcp-http.hex': eth(0x0800) + ip(6, tcp(40000, 80)),
    'tcp-https.hex': eth(0x0800) + ip(6, tcp(40001, 443)),
    'udp-dns.hex': eth(0x0800) + ip(17, udp(5353, 53)),
    'icmp-echo.hex': eth(0x0800) + ip(1, struct.pack('!BBHHH', 8, 0, 0, 1, 1) + b'ping'),
    'arp-request.hex': eth(0x0806) + bytes.fromhex('0001080006040001020000000001') + bytes([10, 0, 0, 1])
    + bytes(6) + bytes([10, 0, 0, 2]),
    'tcp-http-truncated.hex': (eth(0x0800) + ip(6, tcp(40002, 80)))[:36],
}

if __name__ == '__main__':
    for name, frame in FRAMES.items():
        with open(name, 'w') as f:
            for i in range(0, len(frame), 16):
                f.write(' '.join('%02x' % x for x in frame[i:i + 16]) + '\n')
