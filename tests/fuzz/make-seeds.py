#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the hand-made seeds of tests/fuzz/corpus/<harness>/ (seed-* files).

The rest of each corpus is what libFuzzer kept from short runs, minimised
with -merge=1 (README.md, "Fuzzing").  The input layouts are the ones the
harnesses' comments describe.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(harness, name, data):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


STAT = b"4242 (a) b) 9) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 3 0 98765 " \
       b"10000000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
STATUS = b"Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nPid:\t4242\n" \
         b"PPid:\t1\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n" \
         b"Threads:\t3\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n"
MAPS = b"55d0c0a00000-55d0c0a02000 r--p 00000000 08:01 1311 /usr/bin/sleep\n" \
       b"7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0                          [stack]\n" \
       b"7ffd1c1fe000-7ffd1c200000 r-xp 00000000 00:00 0 [vdso]\n" \
       b"7f0000000000-7f0000001000 rwxp 00000000 00:00 0\n"


def procfs():
    write("procfs", "stat", b"\x00" + STAT)
    write("procfs", "stat-zombie", b"\x00" + b"7 (z) Z 1 7 7 0 -1 4194572 " + b"0 " * 10 + b"1 0 5\n")
    write("procfs", "keyed", b"\x01\x00" + STATUS)
    write("procfs", "ids", b"\x02" + STATUS)
    write("procfs", "lines", b"\x03" + STATUS + b"x" * 1100 + b"\nlast")
    write("procfs", "maps", b"\x04" + MAPS)
    write("procfs", "children", b"\x05" + b"12 345 6789 ")
    write("procfs", "long", b"\x06" + b"-42\n")
    write("procfs", "stat-file", b"\x07" + STAT)


def bpf(code, jt, jf, k):
    return struct.pack("<HBBI", code, jt, jf, k)


def remote():
    AUDIT_ARCH_X86_64 = 0xC000003E
    data = struct.pack("<iIQ6Q", 157, AUDIT_ARCH_X86_64, 0x7f0000001002, 4, 0, 0, 0, 0, 0)
    prog = b"".join([
        bpf(0x20, 0, 0, 4),                       # ld [arch]
        bpf(0x15, 1, 0, AUDIT_ARCH_X86_64),       # jeq arch, +1
        bpf(0x06, 0, 0, 0x80000000),              # ret KILL_PROCESS
        bpf(0x20, 0, 0, 0),                       # ld [nr]
        bpf(0x15, 0, 1, 157),                     # jeq prctl
        bpf(0x06, 0, 0, 0x00050000 | 13),         # ret ERRNO(EACCES)
        bpf(0x20, 0, 0, 16),                      # ld [args[0] low]
        bpf(0x02, 0, 0, 3),                       # st M[3]
        bpf(0x61, 0, 0, 3),                       # ldx M[3]
        bpf(0x0c, 0, 0, 0),                       # add x
        bpf(0x54, 0, 0, 0xff),                    # and #0xff
        bpf(0x45, 0, 1, 0x8),                     # jset #8
        bpf(0x06, 0, 0, 0x7ff00000),              # ret TRACE
        bpf(0x87, 0, 0, 0),                       # txa
        bpf(0x06, 0, 0, 0x7fff0000),              # ret ALLOW
    ])
    write("remote", "filter", b"\x00" + data + prog)
    write("remote", "filter-div", b"\x00" + data + bpf(0x00, 0, 0, 0) + bpf(0x34, 0, 0, 0)
          + bpf(0x16, 0, 0, 0))
    regs = bytearray(27 * 8)
    struct.pack_into("<Q", regs, 15 * 8, 232)            # orig_rax: epoll_wait
    struct.pack_into("<Q", regs, 16 * 8, 0x7f0000001002)  # rip
    struct.pack_into("<Q", regs, 19 * 8, 0x7ffd1c010000)  # rsp
    args = struct.pack("<6q", 39, 0, 0, 0, 0, -1)
    write("remote", "regs", b"\x01" + bytes(regs) + args + struct.pack("<q", 157) + b"\x0f\x05")


def dispatch():
    # type (1: P_PID, 0: P_PGID), id (0: 0, 1: self, 2: child, 4: pgrp), cmd,
    # data pointer (1: fits), rp_pids pointer (1: fits), then the data.
    for cmd in range(1, 25):
        write("dispatch", "self-%02d" % cmd, bytes([1, 0, cmd, 1, 1]) + struct.pack("<i", 1))
        write("dispatch", "child-%02d" % cmd, bytes([1, 2, cmd, 1, 1]) + struct.pack("<i", 2))
    write("dispatch", "pgid-sprotect", bytes([0, 4, 1, 1, 1]) + struct.pack("<i", 0x11))
    write("dispatch", "getpids", bytes([1, 0, 5, 1, 1]) + struct.pack("<I", 4))
    write("dispatch", "reap-kill", bytes([1, 0, 6, 1, 1]) + struct.pack("<iIi", 18, 0, 0))
    write("dispatch", "md-la", bytes([1, 0, 164, 1, 1]) + struct.pack("<i", 1))
    write("dispatch", "efault", bytes([1, 0, 13, 4, 1]))


if __name__ == "__main__":
    procfs()
    remote()
    dispatch()
